package io.warden.agent.actions;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Moves every key of a group of slots (open MIGRATING here, IMPORTING on the target), in rounds, on a connection
 * whose keys stay bytes from GETKEYSINSLOT to MIGRATE (hundreds of thousands of them per move):
 * <ol>
 *   <li>GETKEYSINSLOT for every slot still holding keys, pipelined (at most {@link #PER_SLOT} keys each);</li>
 *   <li>those keys in {@code MIGRATE host port "" 0 timeout REPLACE KEYS ...} batches, one slot each (MIGRATE
 *       refuses keys of two slots), {@link #WINDOW} at a time;</li>
 *   <li>a slot that answered fewer keys than asked is empty once they moved (a migrating source takes no new key:
 *       clients are sent ASK); the others go round again.</li>
 * </ol>
 * A MIGRATE that times out (a large key) is retried alone, with an eighth of the batch down to one key, then with
 * four times the timeout up to {@link #MAX_TIMEOUT}; retried alone, a batch also halves when a MIGRATE takes over
 * {@link #SLOW_MS} (the source serves no client meanwhile) and doubles back while they take under {@link #FAST_MS}. REPLACE is safe: while a slot migrates, a key exists on the target only if a MIGRATE put it
 * there, and the source's copy stays authoritative until MIGRATE deletes it (a retry rewrites the same value).
 * The batch size is kept across groups, so one large key does not slow every later group.
 */
final class KeyBatches {

    static final int PER_SLOT = 1000;
    /**
     * MIGRATEs queued on the source at once: enough to hide the round trips, few enough that clients get turns (a
     * MIGRATE of one slot's keys holds the source for a few milliseconds). 6 moved the most keys/s in
     * bench/scale.sh, where the writer's longest wait was 84 and 128 ms (86 and 98 ms with 2).
     */
    static final int WINDOW = 6;
    static final int FIRST_BATCH = 1000;
    static final int MAX_BATCH = 4096;
    static final long FAST_MS = 20;
    static final long SLOW_MS = 200;
    static final Duration FIRST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);
    private static final int MAX_ATTEMPTS = 12;

    private final RedisAsyncCommands<byte[], byte[]> source;
    private final String host;
    private final int port;
    private final Optional<String> password;
    private volatile int batch = FIRST_BATCH;
    private volatile Duration timeout = FIRST_TIMEOUT;

    KeyBatches(RedisAsyncCommands<byte[], byte[]> source, String host, int port, Optional<String> password) {
        this.source = source;
        this.host = host;
        this.port = port;
        this.password = password;
    }

    /** Empties {@code slots}; answers how many keys moved. */
    CompletionStage<Long> moveAll(List<Integer> slots) {
        return round(slots, 0);
    }

    private CompletionStage<Long> round(List<Integer> pending, long moved) {
        if (pending.isEmpty()) {
            return CompletableFuture.completedFuture(moved);
        }
        Map<Integer, CompletableFuture<List<byte[]>>> found = new LinkedHashMap<>();
        pending.forEach(slot -> found.put(slot, source.clusterGetKeysInSlot(slot, PER_SLOT).toCompletableFuture()));
        return CompletableFuture.allOf(found.values().toArray(CompletableFuture[]::new)).thenCompose(done -> {
            List<Integer> again = new ArrayList<>();
            List<List<byte[]>> chunks = new ArrayList<>();
            int size = batch;
            found.forEach((slot, f) -> {
                List<byte[]> keys = f.join();
                if (keys.size() >= PER_SLOT) {
                    again.add(slot);
                }
                // MIGRATE refuses keys of two slots (CROSSSLOT): one command per slot's batch.
                for (int from = 0; from < keys.size(); from += size) {
                    chunks.add(keys.subList(from, Math.min(keys.size(), from + size)));
                }
            });
            List<CompletableFuture<Long>> lanes = new ArrayList<>();
            for (int lane = 0; lane < WINDOW; lane++) {
                lanes.add(lane(chunks, lane).toCompletableFuture());
            }
            return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new))
                    .thenCompose(all -> round(again, moved + lanes.stream().mapToLong(CompletableFuture::join).sum()));
        });
    }

    /**
     * Chunks {@code i}, {@code i + WINDOW}, … one after the other: at most {@link #WINDOW} MIGRATEs are queued on the
     * source at once. Redis runs a client's pipelined commands back to back, and each MIGRATE holds the source until
     * the target answers: a deep pipeline would keep every other client waiting.
     */
    private CompletionStage<Long> lane(List<List<byte[]>> chunks, int i) {
        if (i >= chunks.size()) {
            return CompletableFuture.completedFuture(0L);
        }
        List<byte[]> chunk = chunks.get(i);
        return source.migrate(host, port, 0, timeout.toMillis(), args(chunk)).toCompletableFuture()
                .handle((ok, e) -> e == null ? CompletableFuture.completedFuture((long) chunk.size())
                        : slow(e) ? migrate(chunk, 0, 1).toCompletableFuture() : CompletableFuture.<Long>failedFuture(e))
                .thenCompose(x -> x)
                .thenCompose(n -> lane(chunks, i + WINDOW).thenApply(rest -> rest + n));
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

    /** A MIGRATE that ran out of time: Redis's IOERR (its own timeout) or the client's. */
    private static boolean slow(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        String message = String.valueOf(t.getMessage());
        return t instanceof RedisCommandTimeoutException || message.startsWith("IOERR") || message.contains("timeout");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
