package io.warden.testkit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The correctness yardstick for anything that moves a role or a slot: one thread writes distinct keys
 * ({@code w:<n>} = {@code v<n>}) at a steady rate, records every write Redis acknowledged, and afterwards reads
 * each one back. A write that failed is retried under a new key, never counted as acknowledged.
 * <ol>
 *   <li>{@link #cluster} writes through Lettuce's cluster client, which follows MOVED/ASK and refreshes its
 *       slot map on redirections and reconnects.</li>
 *   <li>{@link #masterFollowing} writes to whichever node {@code locateMaster} names; after an error it asks again
 *       (a Sentinel-style client, or one behind a Service selecting {@code warden.io/role=master}).</li>
 * </ol>
 * Unavailability is the longest gap between two acknowledged writes. The master-following writer and the
 * benchmark's one-slot cluster writer fail a write to a node whose connection is down at once (Lettuce's
 * {@code REJECT_COMMANDS}): otherwise each write queued on a dead node's connection would wait the full second, and
 * the gap would only ever end on a timeout's tick. The plain cluster writer keeps Lettuce's default, as applications
 * run it: a write to a node it is still connecting to (one it just learned of from a MOVED) waits for the connection
 * instead of failing, so a test can hold the cluster to "the client saw only redirections".
 */
public final class ContinuousWriter implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final String KEY_PREFIX = "w:";

    private final Target target;
    private final String keyPrefix;
    private final long intervalNanos;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentHashMap.KeySetView<Long, Boolean> acknowledged = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, AtomicLong> errors = new ConcurrentHashMap<>();
    /** The first message of each kind of error, so a failing test says what the client was told. */
    private final ConcurrentHashMap<String, String> firstMessages = new ConcurrentHashMap<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong maxGapNanos = new AtomicLong();
    private volatile long lastAckNanos;

    private ContinuousWriter(String name, Target target, String keyPrefix, int writesPerSecond) {
        if (writesPerSecond <= 0) {
            throw new IllegalArgumentException("writesPerSecond must be positive, was " + writesPerSecond);
        }
        this.target = target;
        this.keyPrefix = keyPrefix;
        this.intervalNanos = 1_000_000_000L / writesPerSecond;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Writes through a cluster client seeded with {@code seeds}; starts at once. */
    public static ContinuousWriter cluster(List<InetSocketAddress> seeds, int writesPerSecond) {
        ContinuousWriter writer = new ContinuousWriter("cluster-writer", new ClusterTarget(seeds, false), KEY_PREFIX, writesPerSecond);
        writer.start();
        return writer;
    }

    /**
     * Writes through a cluster client, every key ({@code {hashTag}w:<n>}) in the one slot of {@code hashTag}: all
     * writes go to the shard that owns it, so the gap measures that shard's unavailability (with keys spread over
     * every shard, a write to a dead one only times out and the next goes elsewhere). Writes to a disconnected node
     * fail at once. Starts at once.
     */
    public static ContinuousWriter cluster(List<InetSocketAddress> seeds, int writesPerSecond, String hashTag) {
        ContinuousWriter writer = new ContinuousWriter("cluster-writer", new ClusterTarget(seeds, true), "{" + hashTag + "}" + KEY_PREFIX,
                writesPerSecond);
        writer.start();
        return writer;
    }

    /** Writes to the node {@code locateMaster} names, asking again after every failed write; starts at once. */
    public static ContinuousWriter masterFollowing(Supplier<Optional<InetSocketAddress>> locateMaster, int writesPerSecond) {
        ContinuousWriter writer = new ContinuousWriter("master-writer", new MasterTarget(locateMaster), KEY_PREFIX, writesPerSecond);
        writer.start();
        return writer;
    }

    /** A master locator that asks each node ROLE and takes the first that says master. */
    public static Supplier<Optional<InetSocketAddress>> firstMasterOf(Supplier<List<InetSocketAddress>> nodes) {
        return () -> {
            for (InetSocketAddress node : nodes.get()) {
                RedisClient client = RedisClient.create(uri(node));
                try (StatefulRedisConnection<String, String> c = client.connect()) {
                    List<Object> role = c.sync().role();
                    if (!role.isEmpty() && "master".equals(String.valueOf(role.get(0)))) {
                        return Optional.of(node);
                    }
                } catch (RuntimeException e) {
                    // down or unreachable: not the master we can write to
                } finally {
                    client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                }
            }
            return Optional.empty();
        };
    }

    private void start() {
        lastAckNanos = System.nanoTime();
        thread.start();
    }

    private void run() {
        long next = System.nanoTime();
        long sequence = 0;
        while (running.get()) {
            long n = sequence++;
            attempts.incrementAndGet();
            try {
                target.set(keyPrefix + n, value(n));
                long now = System.nanoTime();
                maxGapNanos.accumulateAndGet(now - lastAckNanos, Math::max);
                lastAckNanos = now;
                acknowledged.add(n);
            } catch (RuntimeException e) {
                String kind = classify(e);
                errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                firstMessages.putIfAbsent(kind, String.valueOf(e.getMessage()));
                target.reset();
            }
            next += intervalNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                sleepNanos(sleep);
            } else if (sleep < -1_000_000_000L) {
                next = System.nanoTime(); // fell a second behind (an outage): do not burst to catch up
            }
        }
    }

    /** How many writes Redis acknowledged so far. */
    public long acknowledgedCount() {
        return acknowledged.size();
    }

    /** Waits until at least {@code more} further writes are acknowledged, so a test knows the writer is flowing. */
    public void awaitProgress(long more, Duration timeout) {
        long target = acknowledgedCount() + more;
        Eventually.await(timeout, more + " more acknowledged writes", () -> acknowledgedCount() >= target,
                () -> acknowledgedCount() + " acknowledged, errors " + errors);
    }

    /**
     * Forgets the longest gap seen so far, so that it measures only what follows: the first write of a writer
     * includes connecting, longer than any gap a failover benchmark wants to see.
     */
    public void resetLongestGap() {
        maxGapNanos.set(0);
    }

    /** Stops writing, reads every acknowledged key back through {@code reader}, and reports. */
    public WriterReport stopAndVerify() {
        stop();
        long lost = 0;
        long wrongValue = 0;
        List<Long> sampleLost = new java.util.ArrayList<>();
        for (long n : acknowledged) {
            String got = target.get(keyPrefix + n);
            if (got == null) {
                lost++;
                if (sampleLost.size() < 10) {
                    sampleLost.add(n);
                }
            } else if (!got.equals(value(n))) {
                wrongValue++;
            }
        }
        java.util.Map<String, Long> errorCounts = new java.util.TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v.get()));
        return new WriterReport(attempts.get(), acknowledged.size(), lost, wrongValue, errorCounts, new java.util.TreeMap<>(firstMessages),
                Duration.ofNanos(maxGapNanos.get()), sampleLost.stream().map(n -> keyPrefix + n).toList());
    }

    /** Stops the writing thread; the connection stays open for {@link #stopAndVerify()}. */
    public void stop() {
        running.set(false);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        target.close();
    }

    static String key(long n) {
        return KEY_PREFIX + n;
    }

    private static String value(long n) {
        return "v" + n;
    }

    private static String classify(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        int space = message.indexOf(' ');
        String head = space > 0 ? message.substring(0, space) : message;
        return e.getClass().getSimpleName() + (head.chars().allMatch(c -> Character.isUpperCase(c) || c == '_') ? ":" + head : "");
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static RedisURI uri(InetSocketAddress address) {
        RedisURI uri = RedisURI.create(address.getHostString(), address.getPort());
        uri.setTimeout(COMMAND_TIMEOUT);
        return uri;
    }

    /** Where writes go; {@link #reset()} after a failure drops whatever connection may be stale. */
    private interface Target extends AutoCloseable {
        void set(String key, String value);

        String get(String key);

        void reset();

        @Override
        void close();
    }

    private static final class ClusterTarget implements Target {
        private final RedisClusterClient client;
        private final StatefulRedisClusterConnection<String, String> connection;

        ClusterTarget(List<InetSocketAddress> seeds, boolean failFast) {
            client = RedisClusterClient.create(seeds.stream().map(ContinuousWriter::uri).toList());
            client.setOptions(ClusterClientOptions.builder()
                    .disconnectedBehavior(failFast ? ClientOptions.DisconnectedBehavior.REJECT_COMMANDS
                            : ClientOptions.DisconnectedBehavior.DEFAULT)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .adaptiveRefreshTriggersTimeout(Duration.ofMillis(100))
                            // A dead master sends no MOVED: only the periodic refresh finds its successor, so
                            // its period is how late the writer can notice a failover (a second would round
                            // every measured gap up to the next second). The plain writer refreshes every
                            // second, as applications do; at 200 ms it sometimes read the slot map from a node
                            // Warden was retiring (reset, owning nothing) and found a slot with no owner.
                            .enablePeriodicRefresh(failFast ? Duration.ofMillis(200) : Duration.ofSeconds(1))
                            .build())
                    .build());
            connection = client.connect();
            connection.setTimeout(COMMAND_TIMEOUT);
        }

        @Override
        public void set(String key, String value) {
            connection.sync().set(key, value);
        }

        @Override
        public String get(String key) {
            return connection.sync().get(key);
        }

        @Override
        public void reset() {
            // the cluster client reconnects and refreshes its slot map by itself
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static final class MasterTarget implements Target {
        private final Supplier<Optional<InetSocketAddress>> locateMaster;
        // One client for the writer's life: re-locating after each error opens a connection, never a new set of
        // event loops (hundreds a second while the master is away).
        private final RedisClient client = RedisClient.create();
        private StatefulRedisConnection<String, String> connection;

        MasterTarget(Supplier<Optional<InetSocketAddress>> locateMaster) {
            this.locateMaster = locateMaster;
            client.setOptions(ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        }

        @Override
        public void set(String key, String value) {
            connection().sync().set(key, value);
        }

        @Override
        public String get(String key) {
            return connection().sync().get(key);
        }

        private StatefulRedisConnection<String, String> connection() {
            if (connection == null) {
                InetSocketAddress master = locateMaster.get()
                        .orElseThrow(() -> new IllegalStateException("NOMASTER no node says it is master"));
                connection = client.connect(uri(master));
            }
            return connection;
        }

        @Override
        public void reset() {
            if (connection != null) {
                connection.close();
            }
            connection = null;
        }

        @Override
        public void close() {
            reset();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
