package io.warden.agent.actions;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Moves every key of a group of slots (open MIGRATING here, IMPORTING on the target), slot by slot, {@link #WINDOW}
 * slots at a time, each in steps of up to a batch of keys until a step finds fewer keys than it asked for (a migrating
 * source takes no new key: clients are sent ASK). A step runs one of two ways:
 * <ul>
 *   <li><b>inside Redis</b> ({@link InsideRedis#MOVE_KEYS}): one EVAL lists the slot's keys (GETKEYSINSLOT) and
 *       MIGRATEs them to the target; the keys never travel to the agent and back;</li>
 *   <li><b>through the agent</b>: GETKEYSINSLOT, then {@code MIGRATE host port "" 0 timeout REPLACE KEYS ...} in
 *       batches, the keys kept as bytes. Used when Redis needs a password (Redis redacts MIGRATE's AUTH argument from
 *       SLOWLOG and MONITOR, but not a script's arguments), when Redis refuses scripts, and for a step that failed
 *       inside Redis (a large key that ran out of time, or an error the same step then reports on its own).</li>
 * </ul>
 * A MIGRATE that runs out of time (a large key) is retried with an eighth of the batch down to one key, then with four
 * times the timeout up to {@link #MAX_TIMEOUT}. A step taking over {@link #SLOW_MS} (the source serves no client
 * meanwhile) halves the batch; under {@link #FAST_MS} doubles it. The batch is kept across groups, so one large key
 * does not slow every later group. REPLACE is safe: while a slot migrates, a key exists on the target only if a
 * MIGRATE put it there, and the source's copy stays authoritative until MIGRATE deletes it (a retry rewrites the same
 * value).
 */
final class KeyBatches {

    static final int PER_SLOT = 1000;
    /**
     * Steps queued on the source at once: enough to hide the round trips, few enough that clients get turns (a
     * MIGRATE of one slot's keys holds the source for a few milliseconds). 6 moved the most keys/s in
     * bench/scale.sh when the agent sent the MIGRATEs itself, where the writer's longest wait was 84 and 128 ms (86
     * and 98 ms with 2); with the steps inside Redis the writer's longest wait was 53-116 ms.
     */
    static final int WINDOW = 6;
    static final int FIRST_BATCH = 1000;
    static final int MAX_BATCH = 4096;
    static final long FAST_MS = 20;
    static final long SLOW_MS = 200;
    static final Duration FIRST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);
    private static final int MAX_ATTEMPTS = 12;
    private static final byte[][] NO_KEYS = new byte[0][];

    private final RedisAsyncCommands<byte[], byte[]> source;
    private final String host;
    private final int port;
    private final Optional<String> password;
    private final InsideRedis scripts;
    private volatile int batch = FIRST_BATCH;
    private volatile Duration timeout = FIRST_TIMEOUT;

    KeyBatches(RedisAsyncCommands<byte[], byte[]> source, String host, int port, Optional<String> password, InsideRedis scripts) {
        this.source = source;
        this.host = host;
        this.port = port;
        this.password = password;
        this.scripts = scripts;
    }

    /** Empties {@code slots}; answers how many keys moved. */
    CompletionStage<Long> moveAll(List<Integer> slots) {
        List<CompletableFuture<Long>> lanes = new ArrayList<>();
        for (int lane = 0; lane < WINDOW; lane++) {
            lanes.add(lane(slots, lane).toCompletableFuture());
        }
        return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new))
                .thenApply(all -> lanes.stream().mapToLong(CompletableFuture::join).sum());
    }

    /**
     * The inside path over {@code slots} asking for no key (GETKEYSINSLOT slot 0): the same commands, callbacks and
     * replies as a move, and nothing listed, nothing moved ({@link SlotMigrator#rehearse}).
     */
    CompletionStage<Void> rehearse(List<Integer> slots) {
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < WINDOW; lane++) {
            lanes.add(rehearsal(slots, lane).toCompletableFuture());
        }
        return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Void> rehearsal(List<Integer> slots, int i) {
        if (i >= slots.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return moveInside(slots.get(i), 0).thenCompose(none -> rehearsal(slots, i + WINDOW));
    }

    /** Slots {@code i}, {@code i + WINDOW}, … one after the other, so at most {@link #WINDOW} steps are queued. */
    private CompletionStage<Long> lane(List<Integer> slots, int i) {
        if (i >= slots.size()) {
            return CompletableFuture.completedFuture(0L);
        }
        return empty(slots.get(i), 0).thenCompose(n -> lane(slots, i + WINDOW).thenApply(rest -> rest + n));
    }

    /** What one step did: keys moved, and whether the slot may hold more (the step found as many as it asked for). */
    private record Step(long moved, boolean more) {
    }

    private CompletionStage<Long> empty(int slot, long moved) {
        return (password.isEmpty() && scripts.accepted() ? inside(slot) : through(slot)).thenCompose(step -> step.more()
                ? empty(slot, moved + step.moved()) : CompletableFuture.completedFuture(moved + step.moved()));
    }

    private CompletionStage<Step> inside(int slot) {
        int count = batch;
        long start = System.nanoTime();
        return moveInside(slot, count).<CompletionStage<Step>>handle((n, e) -> {
            if (e != null) {
                // A large key gets smaller batches and longer timeouts there; any other error, the same MIGRATE reports.
                return through(slot);
            }
            adapt((System.nanoTime() - start) / 1_000_000);
            return CompletableFuture.completedFuture(new Step(n, n >= count));
        }).thenCompose(step -> step);
    }

    private CompletionStage<Long> moveInside(int slot, int count) {
        return source.eval(InsideRedis.MOVE_KEYS, ScriptOutputType.INTEGER, NO_KEYS,
                bytes(slot), bytes(count), bytes(host), bytes(port), bytes(timeout.toMillis()));
    }

    private CompletionStage<Step> through(int slot) {
        return source.clusterGetKeysInSlot(slot, PER_SLOT)
                .thenCompose(keys -> migrate(keys, 0, 0).thenApply(n -> new Step(n, keys.size() >= PER_SLOT)));
    }

    /** MIGRATEs {@code keys[from..]} batch by batch; answers how many moved. */
    private CompletionStage<Long> migrate(List<byte[]> keys, int from, int failures) {
        if (from >= keys.size()) {
            return CompletableFuture.completedFuture(0L);
        }
        int size = Math.min(batch, keys.size() - from);
        List<byte[]> chunk = keys.subList(from, from + size);
        long start = System.nanoTime();
        return source.migrate(host, port, 0, timeout.toMillis(), args(chunk)).<CompletionStage<Long>>handle((ok, e) -> {
            if (e == null) {
                adapt((System.nanoTime() - start) / 1_000_000);
                return migrate(keys, from + size, 0).thenApply(rest -> rest + size);
            }
            if (!slow(e) || failures >= MAX_ATTEMPTS || (batch == 1 && timeout.equals(MAX_TIMEOUT))) {
                return CompletableFuture.failedFuture(e);
            }
            if (batch > 1) {
                batch = Math.max(1, batch / 8);
            } else {
                timeout = min(timeout.multipliedBy(4), MAX_TIMEOUT);
            }
            return migrate(keys, from, failures + 1);
        }).thenCompose(f -> f);
    }

    private void adapt(long millis) {
        if (millis < FAST_MS) {
            batch = Math.min(MAX_BATCH, batch * 2);
        } else if (millis > SLOW_MS) {
            batch = Math.max(1, batch / 2);
        }
    }

    private MigrateArgs<byte[]> args(List<byte[]> keys) {
        MigrateArgs<byte[]> args = MigrateArgs.Builder.keys(keys).replace();
        password.ifPresent(p -> args.auth(p.toCharArray()));
        return args;
    }

    /** A step that ran out of time: Redis's IOERR (MIGRATE's own timeout, also inside a script) or the client's. */
    private static boolean slow(Throwable e) {
        Throwable t = ActionExecutor.cause(e);
        String message = String.valueOf(t.getMessage());
        return t instanceof RedisCommandTimeoutException || message.startsWith("IOERR") || message.contains("timeout");
    }

    private static byte[] bytes(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
