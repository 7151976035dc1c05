package io.warden.bench.failover;

import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.RedisCli;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain replication 1+2 without Sentinel: Redis's own {@code FAILOVER} command (6.2+), issued by hand, with a
 * client that asks every node {@code ROLE} to find the master. The reference for a lossless planned switchover in
 * replication mode.
 */
final class ReplicationScenarios {

    private ReplicationScenarios() {
    }

    static Scenario plannedFailover(int rate) {
        return new Scenario("planned-redis-failover", "planned: replication 1+2, Redis FAILOVER command", false, () -> {
            try (RedisServers servers = new RedisServers();
                 RoleProbe probe = new RoleProbe();
                 RoleProbe clientView = new RoleProbe()) {
                RedisServer master = servers.start(RedisSpec.standalone());
                List<RedisServer> all = new ArrayList<>(List.of(master));
                for (int i = 0; i < 2; i++) {
                    all.add(servers.startReplicaInSync(RedisSpec.standalone(), master));
                }
                all.forEach(s -> OwnProcesses.started(s.pid(), "redis-server " + s.address()));
                List<InetSocketAddress> nodes = all.stream().map(PlainCluster::socket).toList();
                try (ContinuousWriter writer = ContinuousWriter.masterFollowing(() -> clientView.firstMaster(nodes), rate)) {
                    return Disruption.measure(writer, () -> {
                        RedisCli.Result result = RedisCli.run("-h", master.host(), "-p", Integer.toString(master.port()), "FAILOVER");
                        return "FAILOVER: " + result.output().strip();
                    }, () -> probe.moved(nodes.get(0), nodes.subList(1, 3)), Duration.ofSeconds(30));
                } finally {
                    all.forEach(s -> OwnProcesses.stopped(s.pid()));
                }
            }
        });
    }
}
