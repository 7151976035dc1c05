package io.warden.agent.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Holds at most one open connection to one Redis address and opens a new one on demand. Lettuce's own
 * reconnect loop is off: the agent's tick decides when to try again, so a dead Redis costs one attempt a
 * tick and a log line per change of state, never a storm of stack traces. Commands sent while disconnected
 * fail at once instead of queueing, so probes answer promptly.
 */
public final class RedisConnector implements AutoCloseable {

    private final RedisClient client;
    private final RedisURI uri;
    private CompletableFuture<StatefulRedisConnection<String, String>> current;

    RedisConnector(ClientResources resources, String host, int port, Optional<String> password, Duration timeout) {
        RedisURI.Builder builder = RedisURI.builder().withHost(host).withPort(port).withTimeout(timeout);
        password.ifPresent(p -> builder.withPassword(p.toCharArray()));
        this.uri = builder.build();
        this.client = RedisClient.create(resources);
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // RESP2 with a plain AUTH: works with every Redis the agent may sit next to.
                .protocolVersion(ProtocolVersion.RESP2)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(timeout).build())
                .build());
    }

    /**
     * Told (on a Lettuce thread) when an open connection drops: a Redis process that dies closes its sockets at once,
     * which is news sooner than the next tick's failed read.
     */
    public void onDisconnect(Runnable listener) {
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                listener.run();
            }
        });
    }

    /** The open connection, or a new one. Concurrent callers share one attempt. */
    public synchronized CompletionStage<StatefulRedisConnection<String, String>> connection() {
        if (current != null) {
            if (!current.isDone()) {
                return current;
            }
            StatefulRedisConnection<String, String> open = openOrNull(current);
            if (open != null && open.isOpen()) {
                return current;
            }
        }
        current = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
        return current;
    }

    /**
     * A connection of its own whose keys and values stay bytes, for commands that carry many keys through unchanged
     * (a slot's keys from GETKEYSINSLOT into MIGRATE): no text decoding and encoding per key. Closed with this
     * connector.
     */
    public CompletionStage<StatefulRedisConnection<byte[], byte[]>> binaryConnection() {
        return client.connectAsync(ByteArrayCodec.INSTANCE, uri);
    }

    /** Drops the connection so the next call opens a fresh one (after a failure that may have broken it). */
    public synchronized void reset() {
        if (current != null && current.isDone()) {
            StatefulRedisConnection<String, String> open = openOrNull(current);
            if (open != null && open.isOpen()) {
                open.closeAsync();
            }
            current = null;
        }
    }

    private static StatefulRedisConnection<String, String> openOrNull(
            CompletableFuture<StatefulRedisConnection<String, String>> attempt) {
        return attempt.isCompletedExceptionally() ? null : attempt.getNow(null);
    }

    /** Closes, waiting (at most a second) until the connections are closed: never on a Lettuce I/O thread. */
    @Override
    public synchronized void close() {
        reset();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }

    /**
     * Closes without waiting: for a command's completion, which runs on a Lettuce I/O thread, where {@link #close()}
     * would wait for the very thread it holds.
     */
    public synchronized void closeAsync() {
        reset();
        client.shutdownAsync(0, 1, TimeUnit.SECONDS);
    }
}
