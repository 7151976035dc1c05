package io.warden.testkit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fills a Redis Cluster fast: SETs through the cluster client with many commands in flight (a window of
 * {@link #WINDOW}), so 200,000 keys take seconds, not minutes of one round trip each. Key {@code prefix + n},
 * value {@code "v" + n} padded to {@code valueBytes}.
 */
public final class ClusterLoader {

    private static final int WINDOW = 2_000;
    private static final Duration WINDOW_LIMIT = Duration.ofSeconds(60);

    private ClusterLoader() {
    }

    public static void load(List<InetSocketAddress> seeds, String prefix, long count, int valueBytes) {
        RedisClusterClient client = RedisClusterClient.create(seeds.stream()
                .map(a -> RedisURI.create(a.getHostString(), a.getPort())).toList());
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            connection.setTimeout(Duration.ofSeconds(30));
            connection.setAutoFlushCommands(false);
            RedisAdvancedClusterAsyncCommands<String, String> async = connection.async();
            List<RedisFuture<String>> window = new ArrayList<>(WINDOW);
            for (long n = 0; n < count; n++) {
                window.add(async.set(prefix + n, value(n, valueBytes)));
                if (window.size() == WINDOW || n == count - 1) {
                    awaitWindow(connection, window, prefix);
                    window.clear();
                }
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /**
     * Flushes and waits for a window, flushing again every second: the cluster connection opens a node's connection
     * when the first command for it comes, and one opened after a flush keeps its commands buffered until the next
     * flush (with auto-flush off), which would otherwise never come while this waits.
     */
    private static void awaitWindow(StatefulRedisClusterConnection<String, String> connection, List<RedisFuture<String>> window,
                                    String prefix) {
        RedisFuture<?>[] futures = window.toArray(RedisFuture[]::new);
        long deadline = System.nanoTime() + WINDOW_LIMIT.toNanos();
        connection.flushCommands();
        while (!LettuceFutures.awaitAll(1, TimeUnit.SECONDS, futures)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("loading " + prefix + "*: a window of SETs did not finish within " + WINDOW_LIMIT.toSeconds() + " s");
            }
            connection.flushCommands();
        }
    }

    public static String value(long n, int valueBytes) {
        String v = "v" + n;
        return v.length() >= valueBytes ? v : v + "x".repeat(valueBytes - v.length());
    }
}
