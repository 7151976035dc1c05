package io.warden.bench.failover;

import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.RedisServer;

import java.net.InetSocketAddress;
import java.time.Duration;

/** Redis Sentinel 1+2 with 3 sentinels: {@code SENTINEL FAILOVER}, and kill -9 of the master. */
final class SentinelScenarios {

    private static final int PLANNED_DOWN_AFTER_MS = 30_000;

    private SentinelScenarios() {
    }

    /**
     * {@code SENTINEL FAILOVER}. The role has moved only once the old master stops taking writes: Sentinel demotes
     * it some seconds after promoting a replica, and a client keeps writing to it until then.
     */
    static Scenario plannedFailover(int rate) {
        return new Scenario("planned-sentinel-failover", "planned: Sentinel, SENTINEL FAILOVER", false, () -> {
            try (SentinelGroup group = SentinelGroup.start(PLANNED_DOWN_AFTER_MS);
                 RoleProbe probe = new RoleProbe();
                 ContinuousWriter writer = ContinuousWriter.masterFollowing(group::locateMaster, rate)) {
                InetSocketAddress master = PlainCluster.socket(group.master());
                return measure(group, writer, group::failover, probe, master, Duration.ofSeconds(90));
            }
        });
    }

    /** SIGKILL of the master; Sentinel fails over after {@code down-after-milliseconds} and the sentinels' vote. */
    static Scenario killMaster(int downAfterMs, int rate) {
        return new Scenario("kill-sentinel-da" + downAfterMs, "unplanned: Sentinel, down-after-milliseconds " + downAfterMs, false, () -> {
            try (SentinelGroup group = SentinelGroup.start(downAfterMs);
                 RoleProbe probe = new RoleProbe();
                 ContinuousWriter writer = ContinuousWriter.masterFollowing(group::locateMaster, rate)) {
                RedisServer master = group.master();
                return measure(group, writer, () -> {
                    master.kill();
                    return "";
                }, probe, PlainCluster.socket(master), Duration.ofMillis(3L * downAfterMs + 30_000));
            }
        });
    }

    private static Disruption.Result measure(SentinelGroup group, ContinuousWriter writer, java.util.concurrent.Callable<String> disrupt,
                                             RoleProbe probe, InetSocketAddress master, Duration bound) throws Exception {
        try {
            return Disruption.measure(writer, disrupt, () -> probe.moved(master, group.replicaAddresses()), bound);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; sentinel log ends:\n" + group.sentinelLog(), e);
        }
    }
}
