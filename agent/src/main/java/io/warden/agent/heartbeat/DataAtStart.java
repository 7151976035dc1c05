package io.warden.agent.heartbeat;

import io.warden.agent.redis.RedisObservation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether this Redis held data when the agent started: the coordinator never bootstraps over such a node.
 * With {@code WARDEN_DATA_DIR}, a non-empty {@code dump.rdb} or AOF there decides, before Redis even loads
 * it; otherwise the first observation of Redis does (keys, or slots served).
 */
public final class DataAtStart {

    private final Optional<Boolean> fromDisk;
    private volatile Boolean decided;

    public DataAtStart(Optional<Path> dataDir) {
        this.fromDisk = dataDir.map(DataAtStart::holdsData);
        this.decided = fromDisk.orElse(null);
    }

    /** The answer, fixed at the first observation of a live Redis when the data directory did not decide. */
    public boolean value(RedisObservation observation) {
        if (decided == null && observation.up()) {
            boolean keys = observation.info().map(i -> i.keyCount() > 0).orElse(false);
            boolean slots = observation.myself().map(m -> !m.slots().isEmpty()).orElse(false);
            decided = keys || slots;
        }
        return decided != null && decided;
    }

    /**
     * Redis dropped what it held at start on the coordinator's instruction (CLUSTER RESET of a node the cluster had
     * forgotten: a replica's copy, or a master without keys): nothing it holds from now on predates this agent.
     */
    public void dropped() {
        decided = false;
    }

    public static boolean holdsData(Path dir) {
        try {
            if (Files.isRegularFile(dir.resolve("dump.rdb")) && Files.size(dir.resolve("dump.rdb")) > 0) {
                return true;
            }
            Path aof = dir.resolve("appendonlydir");
            if (Files.isDirectory(aof)) {
                try (Stream<Path> files = Files.list(aof)) {
                    return files.anyMatch(f -> f.getFileName().toString().endsWith(".aof") && sizeOf(f) > 0);
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
