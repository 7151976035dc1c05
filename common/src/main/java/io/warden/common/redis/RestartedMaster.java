package io.warden.common.redis;

/**
 * Who leads a shard whose master restarted under its start guard: the one rule the coordinator and, when no
 * coordinator answers, the master's own agent both apply. By keys, because offsets cannot be compared across a
 * restart (a Redis that loads its AOF starts a new replication history). A replica holding keys, and at least as many
 * as the restarted master, takes over: the master came back empty, or no fuller than a copy that surely has every
 * write it replicated. Otherwise the master holds the most (or nobody holds anything) and serves again. Pure.
 */
public final class RestartedMaster {

    private RestartedMaster() {
    }

    public static boolean replicaTakesOver(long masterKeys, long replicaKeys) {
        return replicaKeys > 0 && replicaKeys >= masterKeys;
    }
}
