package io.warden.coordinator.it;

import io.lettuce.core.Range;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.coordinator.topology.TopologyDocument.Member;
import io.warden.coordinator.topology.TopologyDocument.Shard;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisCli;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coordinator turns empty Redis servers into the cluster asked for, and Redis's own tool agrees. */
class ClusterBootstrapIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void sixEmptyNodesBecomeAHealthyThreeByOneClusterThatRedisCliAccepts() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            d.startCoordinator();
            TopologyDocument doc = d.awaitHealthy();

            assertEquals(16384, doc.slotsCovered());
            assertEquals(3, doc.shards().size());
            doc.shards().forEach(s -> assertEquals(1, s.replicas().size(), s.id()));
            assertReplicasAwayFromMasters(d, doc);
            assertPeerToolAgrees(d.servers().get(0), 3);
        }
    }

    /** A coordinator that stopped after part of a bootstrap: the next finishes it, no slot served twice. */
    @Test
    void coordinatorRestartedMidBootstrapFinishesWithoutCoveringASlotTwice() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            List<RedisServer> s = d.servers();
            // What a coordinator that crashed mid-bootstrap leaves: some nodes met, one shard's slots assigned.
            s.get(0).commands().clusterMeet(s.get(1).host(), s.get(1).port());
            s.get(0).commands().clusterAddSlotsRange(Range.create(0, 5461));

            d.startCoordinator();
            Eventually.await(Duration.ofSeconds(30), "the first leader to assign slots",
                    () -> d.topology().slotsCovered() > 5462, () -> d.topology().history().toString());
            d.stopCoordinator();
            d.startCoordinator();
            TopologyDocument doc = d.awaitHealthy();

            assertEquals(2, doc.epoch(), "the second coordinator leads a later term");
            assertEquals("0-5461", doc.shards().get(0).slots().get(0), "the slots assigned before the crash stay where they were");
            assertPeerToolAgrees(s.get(0), 3);
        }
    }

    private static void assertReplicasAwayFromMasters(TestDeployment d, TopologyDocument doc) {
        Map<String, String> k8sNodeOf = d.servers().stream().collect(Collectors.toMap(
                RedisServer::address, srv -> TestDeployment.k8sNode(d.servers().indexOf(srv))));
        for (Shard shard : doc.shards()) {
            for (Member replica : shard.replicas()) {
                assertNotEquals(k8sNodeOf.get(shard.master().redis()), k8sNodeOf.get(replica.redis()),
                        replica.name() + " shares a Kubernetes node with its master " + shard.master().name());
            }
        }
    }

    /** {@code redis-cli --cluster check}: every slot covered once, masters and replicas as asked. */
    static void assertPeerToolAgrees(RedisServer any, int masters) {
        RedisCli.Result check = RedisCli.run("--cluster", "check", any.address());
        assertEquals(0, check.exit(), check.output());
        assertTrue(check.output().contains("[OK] All 16384 slots covered."), check.output());
        assertTrue(check.output().contains("[OK] All nodes agree about slots configuration."), check.output());
        long mastersSeen = check.output().lines().filter(l -> l.startsWith("M: ")).count();
        assertEquals(masters, mastersSeen, check.output());
    }
}
