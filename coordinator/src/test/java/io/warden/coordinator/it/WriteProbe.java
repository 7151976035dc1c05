package io.warden.coordinator.it;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.warden.testkit.RedisServer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tries a write on one node every few milliseconds over one connection opened at the start (a client on that node's
 * side of a partition), and records when writes were acknowledged: the first and the last time.
 */
final class WriteProbe implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final Thread thread;
    private final AtomicLong firstAck = new AtomicLong();
    private final AtomicLong lastAck = new AtomicLong();
    private volatile boolean running = true;

    WriteProbe(RedisServer node) {
        client = RedisClient.create(RedisURI.builder().withHost(node.host()).withPort(node.port())
                .withTimeout(Duration.ofMillis(250)).build());
        connection = client.connect();
        thread = new Thread(() -> {
            long n = 0;
            while (running) {
                try {
                    connection.sync().set("probe:" + node.port() + ":" + n++, "x");
                    long now = System.nanoTime();
                    firstAck.compareAndSet(0, now);
                    lastAck.set(now);
                } catch (RuntimeException e) {
                    // refused (READONLY), paused past the timeout, or unreachable: not acknowledged
                }
                sleep(10);
            }
        }, "write-probe-" + node.address());
        thread.setDaemon(true);
        thread.start();
    }

    /** Acknowledgements from now on only. */
    void reset() {
        firstAck.set(0);
        lastAck.set(0);
    }

    /** System.nanoTime() of the first acknowledged write since the last reset, 0 if none. */
    long firstAck() {
        return firstAck.get();
    }

    long lastAck() {
        return lastAck.get();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
}
