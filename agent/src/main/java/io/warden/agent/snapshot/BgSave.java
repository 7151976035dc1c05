package io.warden.agent.snapshot;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.warden.agent.redis.RedisNode;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.RedisInfoParser;
import io.warden.common.snapshot.GrowingFile;
import io.warden.common.snapshot.SnapshotException;
import io.warden.common.snapshot.SnapshotException.Reason;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Has Redis write a fresh RDB, on the calling (snapshot) thread.
 * <ol>
 *   <li>Wait out a BGSAVE already running (someone else's: it started before we were asked);</li>
 *   <li>note the {@code temp-<pid>.rdb} files in the data directory, then BGSAVE, or {@code BGSAVE SCHEDULE} while an
 *       AOF rewrite runs (Redis starts it when the rewrite ends);</li>
 *   <li>the one new temp file is the one this save writes (Redis 7's {@code rdbSave}: {@code temp-<child pid>.rdb}
 *       in its directory, written front to back, fsynced, closed, renamed to {@code dbfilename}), for a reader
 *       to follow while it grows;</li>
 *   <li>poll INFO persistence until no save runs and {@code rdb_saves} grew (on Redis without it,
 *       {@code rdb_last_save_time} advanced), then require {@code rdb_last_bgsave_status:ok}.</li>
 * </ol>
 * Afterwards INFO gives the manifest its offset, key count and version, and CONFIG where the file is.
 */
final class BgSave {

    private static final Duration POLL = Duration.ofMillis(100);
    /** How often the data directory is listed while waiting for the save's temp file: it appears right after the fork. */
    private static final Duration TEMP_LOOK = Duration.ofMillis(5);
    private static final Pattern TEMP_RDB = Pattern.compile("temp-[0-9]+\\.rdb");

    /** What Redis said when the save was done. */
    record Saved(Path rdb, RedisInfo info) {
    }

    private final RedisNode node;
    private final Optional<Path> dataDir;
    private final Clock clock;

    BgSave(RedisNode node, Optional<Path> dataDir, Clock clock) {
        this.node = node;
        this.dataDir = dataDir;
        this.clock = clock;
    }

    /** Starts a BGSAVE (after one already running) and answers at once; {@link Running#saved} waits for it. */
    Running start(Duration timeout) throws SnapshotException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        RedisAsyncCommands<String, String> redis = await(node.commands(), "connect to redis");
        RedisInfo before = persistence(redis);
        while (before.longValue("rdb_bgsave_in_progress").orElse(0) == 1) {
            pause(deadline, "a BGSAVE already running to finish");
            before = persistence(redis);
        }
        if (before.longValue("rdb_saves").isEmpty()) {
            // Without rdb_saves, completion shows as rdb_last_save_time advancing, in whole seconds: start in a new second.
            long last = before.longValue("rdb_last_save_time").orElse(0);
            while (clock.instant().getEpochSecond() <= last) {
                pause(deadline, "a new second");
            }
        }
        Path rdb = rdbPath(redis);
        Optional<Set<Path>> tempsBefore = tempRdbs(rdb.getParent());
        boolean rewriting = before.longValue("aof_rewrite_in_progress").orElse(0) == 1;
        String reply = await(rewriting ? bgsaveSchedule(redis) : redis.bgsave(), "BGSAVE");
        if (reply == null || !(reply.startsWith("Background saving") || reply.contains("scheduled"))) {
            throw new SnapshotException(Reason.BGSAVE, "BGSAVE answered: " + reply);
        }
        return new Running(redis, before, rdb, rewriting ? Optional.empty() : tempsBefore, deadline);
    }

    /** A BGSAVE this agent started. Used by the snapshot thread only. */
    final class Running implements GrowingFile.Writer {

        private final RedisAsyncCommands<String, String> redis;
        private final RedisInfo before;
        private final Path rdb;
        /** The temp files there were before our BGSAVE; empty when it was only scheduled (it may start any time) or unknown. */
        private final Optional<Set<Path>> tempsBefore;
        private final Instant deadline;
        private Saved saved;
        private Instant savedAt;

        private Running(RedisAsyncCommands<String, String> redis, RedisInfo before, Path rdb, Optional<Set<Path>> tempsBefore,
                        Instant deadline) {
            this.redis = redis;
            this.before = before;
            this.rdb = rdb;
            this.tempsBefore = tempsBefore;
            this.deadline = deadline;
        }

        /** Where the finished RDB will be, as the agent sees Redis's data directory. */
        Path rdb() {
            return rdb;
        }

        /**
         * The file this save is writing, once exactly one new {@code temp-<pid>.rdb} appeared; empty when none did within
         * {@code within} or before the save finished, when several did, or when the BGSAVE was only scheduled.
         */
        Optional<Path> tempFile(Duration within) throws SnapshotException, InterruptedException {
            if (tempsBefore.isEmpty()) {
                return Optional.empty();
            }
            Instant giveUp = clock.instant().plus(within);
            while (true) {
                Set<Path> fresh = new HashSet<>(tempRdbs(rdb.getParent()).orElse(Set.of()));
                fresh.removeAll(tempsBefore.get());
                if (fresh.size() == 1) {
                    return Optional.of(fresh.iterator().next());
                }
                if (fresh.size() > 1 || clock.instant().isAfter(giveUp) || finished()) {
                    return Optional.empty();
                }
                Thread.sleep(TEMP_LOOK.toMillis());
            }
        }

        /** Asks Redis once: true when the save is done and ok; throws when it failed or the time is up. */
        @Override
        public boolean finished() throws SnapshotException, InterruptedException {
            if (saved != null) {
                return true;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new SnapshotException(Reason.BGSAVE, "timed out waiting for BGSAVE to finish");
            }
            RedisInfo now = persistence(redis);
            if (now.longValue("rdb_bgsave_in_progress").orElse(0) == 1 || !advanced(before, now)) {
                return false;
            }
            String status = now.string("rdb_last_bgsave_status").orElse("unknown");
            if (!"ok".equals(status)) {
                throw new SnapshotException(Reason.BGSAVE, "BGSAVE failed: rdb_last_bgsave_status:" + status + " (see the Redis log)");
            }
            saved = new Saved(rdb, RedisInfoParser.parse(await(redis.info(), "INFO")));
            savedAt = clock.instant();
            return true;
        }

        /** Waits for the save to finish (fine if it already did). */
        Saved saved() throws SnapshotException, InterruptedException {
            while (!finished()) {
                pause(deadline, "BGSAVE to finish");
            }
            return saved;
        }

        /** What INFO said once the save finished; only after {@link #saved} or {@link #finished} said so. */
        RedisInfo info() {
            if (saved == null) {
                throw new IllegalStateException("the save has not finished");
            }
            return saved.info();
        }

        /** When the save was seen finished; only after {@link #saved} or {@link #finished} said so. */
        Instant savedAt() {
            return savedAt;
        }
    }

    /** The {@code temp-<digits>.rdb} files in {@code dir}: a BGSAVE child's (a replica's full sync writes another pattern). */
    private static Optional<Set<Path>> tempRdbs(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return Optional.of(files.filter(f -> TEMP_RDB.matcher(f.getFileName().toString()).matches()).collect(Collectors.toSet()));
        } catch (IOException e) {
            // Then the save is not followed, only its finished file read, which fails with its own reason if it must.
            return Optional.empty();
        }
    }

    private static boolean advanced(RedisInfo before, RedisInfo now) {
        if (before.longValue("rdb_saves").isPresent()) {
            return now.longValue("rdb_saves").orElse(0) > before.longValue("rdb_saves").getAsLong();
        }
        return now.longValue("rdb_last_save_time").orElse(0) > before.longValue("rdb_last_save_time").orElse(0);
    }

    private Path rdbPath(RedisAsyncCommands<String, String> redis) throws SnapshotException, InterruptedException {
        Map<String, String> config = await(redis.configGet("dir", "dbfilename"), "CONFIG GET dir dbfilename");
        String file = config.getOrDefault("dbfilename", "dump.rdb");
        // The agent may mount Redis's volume elsewhere than Redis sees it: WARDEN_DATA_DIR says where.
        Path dir = dataDir.orElseGet(() -> Path.of(config.getOrDefault("dir", ".")));
        return dir.resolve(file);
    }

    private static CompletionStage<String> bgsaveSchedule(RedisAsyncCommands<String, String> redis) {
        return redis.dispatch(CommandType.BGSAVE, new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("SCHEDULE"));
    }

    private RedisInfo persistence(RedisAsyncCommands<String, String> redis) throws SnapshotException, InterruptedException {
        return RedisInfoParser.parse(await(redis.info("persistence"), "INFO persistence"));
    }

    private void pause(Instant deadline, String waitingFor) throws SnapshotException, InterruptedException {
        if (clock.instant().isAfter(deadline)) {
            throw new SnapshotException(Reason.BGSAVE, "timed out waiting for " + waitingFor);
        }
        Thread.sleep(POLL.toMillis());
    }

    private <T> T await(CompletionStage<T> stage, String what) throws SnapshotException, InterruptedException {
        try {
            return stage.toCompletableFuture().get(node.endpoint().commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SnapshotException(Reason.BGSAVE, what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new SnapshotException(Reason.BGSAVE, what + ": redis did not answer in time", e);
        }
    }
}
