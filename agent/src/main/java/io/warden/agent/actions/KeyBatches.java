package io.warden.agent.actions;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Moves every key of one slot (open MIGRATING here, IMPORTING on the target) with GETKEYSINSLOT and
 * {@code MIGRATE host port "" 0 timeout REPLACE KEYS ...}, a batch per round trip. The batch adapts:
 * <ol>
 *   <li>it doubles (up to {@link #MAX_BATCH}) while a MIGRATE takes under {@link #FAST_MS}, and halves when one
 *       takes over {@link #SLOW_MS}, so the source never stalls its clients for long;</li>
 *   <li>a MIGRATE that times out (a large key) is retried with an eighth of the batch, down to one key, then with
 *       four times the timeout, up to {@link #MAX_TIMEOUT}.</li>
 * </ol>
 * REPLACE is safe: while a slot migrates, a key exists on the target only if a MIGRATE reached it, and the source's
 * copy stays authoritative until MIGRATE deletes it (a retry after a timeout rewrites the same value).
 * A batch shorter than asked means the slot is empty: a migrating source takes no new keys (they are sent ASK).
 */
final class KeyBatches {

    static final int FIRST_BATCH = 256;
    static final int MAX_BATCH = 2048;
    static final long FAST_MS = 20;
    static final long SLOW_MS = 200;
    static final Duration FIRST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);
    private static final int MAX_ATTEMPTS = 12;

    private final RedisAsyncCommands<String, String> source;
    private final int slot;
    private final String host;
    private final int port;
    private final Optional<String> password;
    private int batch = FIRST_BATCH;
    private Duration timeout = FIRST_TIMEOUT;
    private int failures;

    KeyBatches(RedisAsyncCommands<String, String> source, int slot, String host, int port, Optional<String> password) {
        this.source = source;
        this.slot = slot;
        this.host = host;
        this.port = port;
        this.password = password;
    }

    /** Answers how many keys moved. */
    CompletionStage<Long> run() {
        return next(0);
    }

    private CompletionStage<Long> next(long moved) {
        int asked = batch;
        return source.clusterGetKeysInSlot(slot, asked).thenCompose(keys -> {
            if (keys.isEmpty()) {
                return CompletableFuture.completedFuture(moved);
            }
            long start = System.nanoTime();
            return source.migrate(host, port, 0, timeout.toMillis(), args(keys)).<CompletionStage<Long>>handle((ok, e) -> {
                if (e == null) {
                    adapt((System.nanoTime() - start) / 1_000_000);
                    return keys.size() < asked ? CompletableFuture.completedFuture(moved + keys.size()) : next(moved + keys.size());
                }
                if (!slow(e) || ++failures > MAX_ATTEMPTS || (batch == 1 && timeout.equals(MAX_TIMEOUT))) {
                    return CompletableFuture.<Long>failedFuture(e);
                }
                if (batch > 1) {
                    batch = Math.max(1, batch / 8);
                } else {
                    timeout = min(timeout.multipliedBy(4), MAX_TIMEOUT);
                }
                return next(moved);
            }).thenCompose(f -> f);
        });
    }

    private void adapt(long millis) {
        if (millis < FAST_MS) {
            batch = Math.min(MAX_BATCH, batch * 2);
        } else if (millis > SLOW_MS) {
            batch = Math.max(1, batch / 2);
        }
    }

    private MigrateArgs<String> args(List<String> keys) {
        MigrateArgs<String> args = MigrateArgs.Builder.keys(keys).replace();
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
