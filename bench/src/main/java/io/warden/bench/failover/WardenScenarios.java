package io.warden.bench.failover;

import io.warden.testkit.ContinuousWriter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Warden in local mode ({@code bin/warden up}: 3x1 in cluster mode, 1+2 in replication mode, Redis at its default
 * {@code cluster-node-timeout} 15000), disrupted the way Kubernetes and the kernel would: the Redis container's
 * preStop hook on the master's agent, and kill -9 of the master's redis-server. Each repetition gets a fresh
 * deployment in its own {@code --dir} under {@code work}.
 */
final class WardenScenarios {

    private final Path home;
    private final Path work;
    private final int rate;
    private final AtomicInteger deployments = new AtomicInteger();

    WardenScenarios(Path home, Path work, int rate) {
        this.home = home;
        this.work = work;
        this.rate = rate;
    }

    /** preStop on the master of the shard being written: the lossless switchover a rolling restart relies on. */
    Scenario preStopCluster() {
        return new Scenario("planned-warden-prestop", "planned: Warden cluster mode, preStop of the master", true, () -> {
            try (WardenLocal warden = up("cluster", 1); RoleProbe probe = new RoleProbe();
                 ContinuousWriter writer = ContinuousWriter.cluster(warden.allRedis(), rate, ClusterScenarios.HASH_TAG)) {
                WardenLocal.Shard shard = warden.shardOwning(ClusterScenarios.TAG_SLOT);
                return Disruption.measure(writer, () -> "prestop: " + warden.preStop(shard.master()),
                        () -> probe.moved(shard.master().redis(), shard.replicaAddresses()), Duration.ofSeconds(60));
            }
        });
    }

    /** preStop on the master in replication mode, the client following the master as a role-selecting Service does. */
    Scenario preStopReplication() {
        return new Scenario("planned-warden-prestop-replication", "planned: Warden replication mode, preStop of the master", true, () -> {
            try (WardenLocal warden = up("replication", 2); RoleProbe probe = new RoleProbe();
                 ContinuousWriter writer = ContinuousWriter.masterFollowing(warden::masterOfOnlyShard, rate)) {
                WardenLocal.Shard shard = warden.shards().get(0);
                return Disruption.measure(writer, () -> "prestop: " + warden.preStop(shard.master()),
                        () -> probe.moved(shard.master().redis(), shard.replicaAddresses()), Duration.ofSeconds(60));
            }
        });
    }

    Scenario killCluster() {
        return new Scenario("kill-warden-cluster", "unplanned: Warden cluster mode, cluster-node-timeout 15000", true, () -> {
            try (WardenLocal warden = up("cluster", 1); RoleProbe probe = new RoleProbe();
                 ContinuousWriter writer = ContinuousWriter.cluster(warden.allRedis(), rate, ClusterScenarios.HASH_TAG)) {
                WardenLocal.Shard shard = warden.shardOwning(ClusterScenarios.TAG_SLOT);
                return Disruption.measure(writer, () -> {
                    warden.killRedis(shard.master());
                    return "";
                }, () -> probe.moved(shard.master().redis(), shard.replicaAddresses()), Duration.ofSeconds(75));
            }
        });
    }

    Scenario killReplication() {
        return new Scenario("kill-warden-replication", "unplanned: Warden replication mode", true, () -> {
            try (WardenLocal warden = up("replication", 2); RoleProbe probe = new RoleProbe();
                 ContinuousWriter writer = ContinuousWriter.masterFollowing(warden::masterOfOnlyShard, rate)) {
                WardenLocal.Shard shard = warden.shards().get(0);
                return Disruption.measure(writer, () -> {
                    warden.killRedis(shard.master());
                    return "";
                }, () -> probe.moved(shard.master().redis(), shard.replicaAddresses()), Duration.ofSeconds(75));
            }
        });
    }

    private WardenLocal up(String mode, int replicas) {
        return WardenLocal.up(home, work.resolve("warden-" + mode + "-" + deployments.incrementAndGet()), mode, replicas);
    }
}
