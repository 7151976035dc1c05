package io.warden.common.redis;

/**
 * Who leads a shard whose master restarted under its start guard: the one rule the coordinator and, when no
 * coordinator answers, the master's own agent both apply. By keys, because offsets cannot be compared across a
 * restart (a Redis that loads its AOF starts a new replication history). A replica holding more keys than the restarted
 * master takes over: the master came back empty, or with an older dataset. Otherwise the master serves again, as it
 * would without Warden: a whole deployment restarting with its data needs no elections (which, started while the
 * cluster still converges, can fail for twice the node timeout). Pure.
 */
public final class RestartedMaster {

    private RestartedMaster() {
    }

    public static boolean replicaTakesOver(long masterKeys, long replicaKeys) {
        return replicaKeys > masterKeys;
    }
}
