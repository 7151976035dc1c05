package io.warden.testkit;

import io.lettuce.core.api.sync.RedisCommands;

/** A dataset of every common type, and Redis's own digest of a whole dataset to compare two servers by. */
public final class SnapshotData {

    private SnapshotData() {
    }

    /** {@code n} keys of each of string, hash, list, set and sorted set. */
    public static void populate(RedisCommands<String, String> redis, int n) {
        for (int i = 0; i < n; i++) {
            redis.set("s:" + i, "value-" + i);
            redis.hset("h:" + i, "field", "v" + i);
            redis.rpush("l:" + i, "a" + i, "b" + i);
            redis.sadd("set:" + i, "x" + i, "y" + i);
            redis.zadd("z:" + i, i, "m" + i);
        }
    }

    /** {@code DEBUG DIGEST}: equal for two servers exactly when they hold the same keys and values. */
    public static String digest(RedisServer server) {
        RedisCli.Result result = RedisCli.run("-h", server.host(), "-p", Integer.toString(server.port()), "DEBUG", "DIGEST");
        if (result.exit() != 0 || result.output().startsWith("ERR")) {
            throw new AssertionError("DEBUG DIGEST on " + server.address() + ": " + result.output());
        }
        return result.output().strip();
    }
}
