package io.warden.coordinator.it;

import io.warden.coordinator.topology.TopologyDocument;
import io.warden.coordinator.topology.TopologyDocument.Shard;
import io.warden.common.slots.SlotRange;
import io.warden.testkit.ClusterLoader;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.WriterReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Changing a cluster's shape live, under a writer using a cluster client: nothing acknowledged is lost. */
class ScaleIT {

    static final Duration SCALED_WITHIN = Duration.ofMinutes(3);

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void threeToFourToThreeShardsUnderWritesLosesNothingAndEndsBalanced() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            List<InetSocketAddress> seeds = healthyWithKeys(d, 200_000);

            try (ContinuousWriter writer = ContinuousWriter.cluster(seeds, 200)) {
                writer.awaitProgress(100, Duration.ofSeconds(10));

                accept(d, "{\"shards\": 4}");
                TopologyDocument four = awaitScaled(d, 4);
                assertBalanced(four, 4);
                ClusterBootstrapIT.assertPeerToolAgrees(d.servers().get(0), 4);
                assertEquals(8, d.servers().size(), "two nodes were added: a master and its replica");

                writer.awaitProgress(100, Duration.ofSeconds(10));
                accept(d, "{\"shards\": 3}");
                TopologyDocument three = awaitScaled(d, 3);
                assertBalanced(three, 3);
                assertEquals(6, three.shards().size() + three.shards().stream().mapToInt(s -> s.replicas().size()).sum());
                assertTrue(three.spares().isEmpty(), "the retired nodes are gone: " + three.spares());
                ClusterBootstrapIT.assertPeerToolAgrees(d.servers().get(0), 3);
                assertEquals(2, d.servers().stream().filter(s -> !s.running()).count(), "the two retired servers were stopped");

                writer.awaitProgress(100, Duration.ofSeconds(10));
                WriterReport report = writer.stopAndVerify();
                assertTrue(report.nothingLost(), report.toString());
                assertTrue(report.errors().isEmpty(), "the client saw only redirections, which it follows: " + report);
                long keys = d.servers().stream().filter(RedisServer::running).filter(s -> s.commands().info("replication").contains("role:master"))
                        .mapToLong(s -> s.commands().dbsize()).sum();
                assertTrue(keys >= 200_000 + report.acknowledged() && keys <= 200_000 + report.attempted(),
                        keys + " keys on the masters, for 200000 loaded and " + report);
            }
        }
    }

    /**
     * A StatefulSet grown again brings its released pods back with their volumes: the old node IDs, which every other
     * node forgot less than a minute ago, and nodes.conf files in which they are replicas. They must rejoin as spare
     * masters and take their share. No writer here: the moves are the scale-out's, tested under writes above; what is
     * new is the rejoining.
     */
    @Test
    void retiredNodesBroughtBackWithTheirDataDirectoriesRejoinAsMastersAndTakeTheirShare() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            healthyWithKeys(d, 20_000);

            accept(d, "{\"shards\": 4}");
            awaitScaled(d, 4);
            accept(d, "{\"shards\": 3}");
            awaitScaled(d, 3);
            assertEquals(2, d.servers().stream().filter(s -> !s.running()).count(), "the two retired servers were stopped");

            accept(d, "{\"shards\": 4}");
            TopologyDocument again = awaitScaled(d, 4);

            assertBalanced(again, 4);
            ClusterBootstrapIT.assertPeerToolAgrees(d.servers().get(0), 4);
            assertEquals(8, d.servers().size(), "the released servers came back; none was added");
            assertTrue(d.servers().stream().allMatch(RedisServer::running));
            long keys = d.servers().stream().filter(s -> s.commands().info("replication").contains("role:master"))
                    .mapToLong(s -> s.commands().dbsize()).sum();
            assertEquals(20_000, keys, "every loaded key, once, on the masters");
        }
    }

    @Test
    void replicasPerShardGrowAndShrinkUnderWritesAndTheSlotsStayPut() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            List<InetSocketAddress> seeds = healthyWithKeys(d, 20_000);
            List<List<String>> slots = d.topology().shards().stream().map(Shard::slots).toList();

            try (ContinuousWriter writer = ContinuousWriter.cluster(seeds, 200)) {
                writer.awaitProgress(100, Duration.ofSeconds(10));

                accept(d, "{\"shards\": 3, \"replicas\": 2}");
                TopologyDocument more = awaitReplicas(d, 2);
                assertEquals(9, d.servers().size(), "a replica was added to each shard");
                assertEquals(slots, more.shards().stream().map(Shard::slots).toList(), "no slot moved");

                writer.awaitProgress(100, Duration.ofSeconds(10));
                accept(d, "{\"shards\": 3, \"replicas\": 1}");
                TopologyDocument fewer = awaitReplicas(d, 1);
                assertEquals(slots, fewer.shards().stream().map(Shard::slots).toList(), "no slot moved");
                assertTrue(fewer.spares().isEmpty(), "the retired replicas are gone: " + fewer.spares());
                assertEquals(3, d.servers().stream().filter(s -> !s.running()).count(), "the three retired replicas were stopped");
                ClusterBootstrapIT.assertPeerToolAgrees(d.servers().get(0), 3);

                writer.awaitProgress(100, Duration.ofSeconds(10));
                WriterReport report = writer.stopAndVerify();
                assertTrue(report.nothingLost(), report.toString());
                assertTrue(report.errors().isEmpty(), report.toString());
            }
        }
    }

    private static TopologyDocument awaitReplicas(TestDeployment d, int replicas) {
        Eventually.await(SCALED_WITHIN, "every shard to have " + replicas + " replicas", () -> {
            TopologyDocument doc = d.topology();
            return doc.healthy() && doc.scale() != null && doc.scale().done() && doc.scale().replicas() == replicas
                    && doc.shards().size() == 3 && doc.shards().stream().allMatch(s -> s.replicas().size() == replicas);
        }, () -> {
            TopologyDocument doc = d.topology();
            return doc.scale() + " " + doc.problems() + " " + doc.history().get(doc.history().size() - 1);
        });
        return d.topology();
    }

    @Test
    void aShapeTheNodesCannotHoldIsRefusedWithTheReasonAndNothingChanges() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            d.startCoordinator();
            d.awaitHealthy();

            HttpResponse<String> apart = d.post("/v1/scale", "{\"shards\": 3, \"replicas\": 3}");
            assertEquals(400, apart.statusCode(), apart.body());
            assertTrue(apart.body().contains("a shard of 1 master + 3 replicas needs 4 Kubernetes nodes to keep its members apart, "
                    + "but the agents run on only 3 (k8s-a, k8s-b, k8s-c)"), apart.body());

            HttpResponse<String> tooMany = d.post("/v1/scale", "{\"shards\": 13, \"replicas\": 1}");
            assertEquals(400, tooMany.statusCode(), tooMany.body());
            assertTrue(tooMany.body().contains("26 nodes, but at most 24 can run here"), tooMany.body());

            HttpResponse<String> wrong = d.post("/v1/scale", "{\"shards\": \"four\"}");
            assertEquals(400, wrong.statusCode(), wrong.body());
            assertTrue(wrong.body().contains("field 'shards'"), wrong.body());

            assertEquals(null, d.topology().scale(), "nothing was recorded");
            assertEquals(6, d.servers().size());
        }
    }

    /** Starts the coordinator, waits for a healthy cluster, loads {@code keys} keys "k:N"; answers the servers' addresses. */
    static List<InetSocketAddress> healthyWithKeys(TestDeployment d, int keys) {
        d.startCoordinator();
        d.awaitHealthy();
        List<InetSocketAddress> seeds = d.servers().stream().map(s -> new InetSocketAddress(s.host(), s.port())).toList();
        ClusterLoader.load(seeds, "k:", keys, 16);
        return seeds;
    }

    static void accept(TestDeployment d, String body) {
        HttpResponse<String> response = d.post("/v1/scale", body);
        assertEquals(202, response.statusCode(), response.body());
    }

    static TopologyDocument awaitScaled(TestDeployment d, int shards) {
        Eventually.await(SCALED_WITHIN, "the cluster to reach " + shards + " shards", () -> {
            TopologyDocument doc = d.topology();
            return doc.healthy() && doc.scale() != null && doc.scale().done() && doc.scale().shards() == shards
                    && doc.shards().size() == shards && doc.migrations().isEmpty();
        }, () -> {
            TopologyDocument doc = d.topology();
            return doc.scale() + " " + doc.problems() + " " + doc.history().get(doc.history().size() - 1);
        });
        return d.topology();
    }

    /** Every master within 1% of an even share of the 16384 slots. */
    static void assertBalanced(TopologyDocument doc, int shards) {
        double even = (double) SlotRange.SLOTS / shards;
        for (Shard shard : doc.shards()) {
            int held = shard.slots().stream().mapToInt(r -> SlotRange.parse(r).size()).sum();
            assertTrue(Math.abs(held - even) <= even * 0.01, shard.id() + " holds " + held + " slots; even is " + even);
        }
    }
}
