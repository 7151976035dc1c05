package io.warden.agent.snapshot;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.warden.agent.redis.RedisNode;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.RedisInfoParser;
import io.warden.common.snapshot.SnapshotException;
import io.warden.common.snapshot.SnapshotException.Reason;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Has Redis write a fresh RDB, blocking the calling (snapshot) thread until it is on disk.
 * <ol>
 *   <li>Wait out a BGSAVE already running (someone else's: it started before we were asked);</li>
 *   <li>BGSAVE, or {@code BGSAVE SCHEDULE} while an AOF rewrite runs (Redis starts it when the rewrite ends);</li>
 *   <li>poll INFO persistence until no save runs and {@code rdb_saves} grew (on Redis without it,
 *       {@code rdb_last_save_time} advanced), then require {@code rdb_last_bgsave_status:ok}.</li>
 * </ol>
 * Afterwards INFO gives the manifest its offset, key count and version, and CONFIG where the file is.
 */
final class BgSave {

    private static final Duration POLL = Duration.ofMillis(100);

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

    Saved run(Duration timeout) throws SnapshotException, InterruptedException {
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
        boolean rewriting = before.longValue("aof_rewrite_in_progress").orElse(0) == 1;
        String reply = await(rewriting ? bgsaveSchedule(redis) : redis.bgsave(), "BGSAVE");
        if (reply == null || !(reply.startsWith("Background saving") || reply.contains("scheduled"))) {
            throw new SnapshotException(Reason.BGSAVE, "BGSAVE answered: " + reply);
        }
        while (true) {
            pause(deadline, "BGSAVE to finish");
            RedisInfo now = persistence(redis);
            if (now.longValue("rdb_bgsave_in_progress").orElse(0) == 1 || !advanced(before, now)) {
                continue;
            }
            String status = now.string("rdb_last_bgsave_status").orElse("unknown");
            if (!"ok".equals(status)) {
                throw new SnapshotException(Reason.BGSAVE, "BGSAVE failed: rdb_last_bgsave_status:" + status + " (see the Redis log)");
            }
            RedisInfo all = RedisInfoParser.parse(await(redis.info(), "INFO"));
            return new Saved(rdbPath(redis), all);
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
