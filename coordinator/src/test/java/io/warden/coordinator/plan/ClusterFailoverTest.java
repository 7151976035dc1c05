package io.warden.coordinator.plan;

import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.warden.coordinator.plan.ClusterViewBuilder.cluster;
import static io.warden.coordinator.plan.ClusterViewBuilder.id;
import static io.warden.coordinator.plan.PlanAssertions.assertProblem;
import static io.warden.coordinator.plan.PlanAssertions.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterFailoverTest {

    private static final DesiredShape THREE_BY_ONE = new DesiredShape(Mode.CLUSTER, 3, 1);

    /** Three shards; redis-0's master state is set by the caller, redis-3 replicates it. */
    private static ClusterViewBuilder.NodeBuilder threeShards() {
        return cluster()
                .node("redis-1").slots("5461-10922").onNode("k8s-b").clusterEpoch(6)
                .node("redis-2").slots("10923-16383").onNode("k8s-c").clusterEpoch(6)
                .node("redis-4").replicaOf("redis-1").onNode("k8s-c").offset(500)
                .node("redis-5").replicaOf("redis-2").onNode("k8s-a").offset(500);
    }

    @Test
    void masterWhoseProcessIsGoneIsReplacedAtOnceAtTheObservedEpoch() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").onNode("k8s-a").gone(1000)
                .node("redis-3").replicaOf("redis-0").onNode("k8s-b").linkDownFor(Duration.ofMillis(50)).offset(1000).clusterEpoch(7)
                .meshed().build();

        Plan plan = Planner.plan(view, THREE_BY_ONE);

        assertEquals(List.of("redis-3 CLUSTER_FAILOVER_FORCE " + id("redis-0") + " 7"), steps(plan));
        assertEquals("failing over (cluster epoch 7): redis-3 takes over from redis-0", plan.outcome());
        assertTrue(plan.steps().get(0).why().startsWith("master redis-0 (slots 0-5460) is gone"), plan.steps().get(0).why());
        assertEquals("false", plan.steps().get(0).args().get("withoutVote"), "every master knows redis-3 as a replica: it can win the vote");
    }

    @Test
    void aMasterThatStillSeesTheReplicaAsAMasterWouldRefuseItsVoteSoItTakesOverWithoutOne() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-5460").onNode("k8s-a").gone(1000)
                .node("redis-3").replicaOf("redis-0").onNode("k8s-b").offset(1000).clusterEpoch(7)
                .node("redis-1").slots("5461-10922").onNode("k8s-b").clusterEpoch(6).knowsAsMaster("redis-3")
                .node("redis-2").slots("10923-16383").onNode("k8s-c").clusterEpoch(6)
                .node("redis-4").replicaOf("redis-1").onNode("k8s-c").offset(500)
                .node("redis-5").replicaOf("redis-2").onNode("k8s-a").offset(500)
                .meshed().build();

        Plan plan = Planner.plan(view, THREE_BY_ONE);

        assertEquals(List.of("redis-3 CLUSTER_FAILOVER_FORCE " + id("redis-0") + " 7"), steps(plan));
        assertEquals("true", plan.steps().get(0).args().get("withoutVote"));
        assertTrue(plan.steps().get(0).why().endsWith("; redis-1 still lists it as a master and would refuse the vote, so it "
                + "takes over without one"), plan.steps().get(0).why());
    }

    @Test
    void twoGoneMastersAreReplacedOneElectionAtATime() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-5460").onNode("k8s-a").gone(1000)
                .node("redis-1").slots("5461-10922").onNode("k8s-a").gone(1000)
                .node("redis-2").slots("10923-16383").onNode("k8s-c").clusterEpoch(6)
                .node("redis-3").replicaOf("redis-0").onNode("k8s-b").offset(1000).clusterEpoch(6)
                .node("redis-4").replicaOf("redis-1").onNode("k8s-c").offset(1000).clusterEpoch(6)
                .node("redis-5").replicaOf("redis-2").onNode("k8s-b")
                .meshed().build();

        Plan plan = Planner.plan(view, THREE_BY_ONE);

        assertEquals(List.of("redis-3 CLUSTER_FAILOVER_FORCE " + id("redis-0") + " 6"), steps(plan));
        assertProblem(plan, "redis-4 takes over from redis-1 after redis-3's election (one at a time: elections started "
                + "together split the masters' votes)");
    }

    @Test
    void goneMasterIsReplacedBeforeItsReplicasNextReportTheirLinkDown() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").onNode("k8s-a").gone(1000)
                .node("redis-3").replicaOf("redis-0").onNode("k8s-b").offset(1000).clusterEpoch(7)
                .meshed().build();

        Plan plan = Planner.plan(view, THREE_BY_ONE);

        assertEquals(List.of("redis-3 CLUSTER_FAILOVER_FORCE " + id("redis-0") + " 7"), steps(plan));
    }

    @Test
    void silentMasterWaitsForDownAfterOfAgreement() {
        ClusterViewBuilder.NodeBuilder view = threeShards()
                .node("redis-0").slots("0-5460").downAfterOffset(1000)
                .node("redis-3").replicaOf("redis-0").linkDownFor(Duration.ofMillis(800)).offset(1000);

        Plan waiting = Planner.plan(view.meshed().build(), THREE_BY_ONE);
        assertEquals(List.of(), steps(waiting));
        assertProblem(waiting, "master redis-0 is down: its replicas agree for 800 of 2000 ms");

        Plan acting = Planner.plan(threeShards()
                .node("redis-0").slots("0-5460").downAfterOffset(1000)
                .node("redis-3").replicaOf("redis-0").linkDownFor(Duration.ofMillis(2100)).offset(1000)
                .meshed().build(), THREE_BY_ONE);
        assertEquals(List.of("redis-3 CLUSTER_FAILOVER_FORCE " + id("redis-0") + " 6"), steps(acting));
    }

    @Test
    void replicaWithItsLinkUpMeansTheMasterIsAlive() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").downAfterOffset(1000)
                .node("redis-3").replicaOf("redis-0").offset(1000)
                .meshed().build();

        assertTrue(steps(Planner.plan(view, THREE_BY_ONE)).stream().noneMatch(s -> s.contains("FAILOVER")));
    }

    @Test
    void replicaTooFarBehindIsRefused() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").gone(9_000_000)
                .node("redis-3").replicaOf("redis-0").linkDownFor(Duration.ofSeconds(1)).offset(1_000)
                .meshed().build();

        Plan plan = Planner.plan(view, THREE_BY_ONE);

        assertTrue(steps(plan).stream().noneMatch(s -> s.contains("FAILOVER")), steps(plan).toString());
        assertProblem(plan, "not promoting redis-3: it is 8999000 bytes behind master redis-0's last known offset 9000000, over the "
                + "limit of 1048576");
    }

    @Test
    void theBestOfTwoReplicasTakesOver() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").onNode("k8s-a").gone(1000)
                .node("redis-3").replicaOf("redis-0").onNode("k8s-a").linkDownFor(Duration.ofMillis(50)).offset(1000)
                .node("redis-6").replicaOf("redis-0").onNode("k8s-b").linkDownFor(Duration.ofMillis(50)).offset(1000)
                .meshed().build();

        assertEquals(List.of("redis-6 CLUSTER_FAILOVER_FORCE " + id("redis-0") + " 6"),
                steps(Planner.plan(view, new DesiredShape(Mode.CLUSTER, 3, 2))));
    }
}
