package io.warden.agent.redis;

import io.lettuce.core.resource.ClientResources;
import io.warden.common.redis.RedisInfoParser;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * Reads a replica's master's replication offset. A replica knows only its own offset; its lag in bytes needs
 * the master's, so a replica's agent asks the master directly (one kept connection, replaced when the
 * master changes). Any failure answers "unknown" rather than failing the tick.
 */
final class MasterOffsetProbe implements AutoCloseable {

    private final ClientResources resources;
    private final Optional<String> password;
    private final Duration timeout;
    private RedisConnector connector;
    private String connectedTo;

    MasterOffsetProbe(ClientResources resources, Optional<String> password, Duration timeout) {
        this.resources = resources;
        this.password = password;
        this.timeout = timeout;
    }

    synchronized CompletionStage<OptionalLong> offset(String host, int port) {
        String address = host + ":" + port;
        if (!address.equals(connectedTo)) {
            close();
            connector = new RedisConnector(resources, host, port, password, timeout);
            connectedTo = address;
        }
        RedisConnector probe = connector;
        return probe.connection()
                .thenCompose(c -> c.async().info("replication"))
                .thenApply(text -> RedisInfoParser.parse(text).longValue("master_repl_offset"))
                .exceptionally(failure -> {
                    probe.reset();
                    return OptionalLong.empty();
                });
    }

    @Override
    public synchronized void close() {
        if (connector != null) {
            connector.close();
            connector = null;
            connectedTo = null;
        }
    }
}
