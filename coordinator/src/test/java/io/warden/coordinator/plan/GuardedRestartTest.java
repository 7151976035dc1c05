package io.warden.coordinator.plan;

import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.warden.coordinator.plan.ClusterViewBuilder.cluster;
import static io.warden.coordinator.plan.ClusterViewBuilder.id;
import static io.warden.coordinator.plan.PlanAssertions.assertProblem;
import static io.warden.coordinator.plan.PlanAssertions.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A master back under its start guard: who holds the data decides who leads. */
class GuardedRestartTest {

    private static final DesiredShape THREE_BY_ONE = new DesiredShape(Mode.CLUSTER, 3, 1);

    /** Shards 1 and 2 healthy; redis-0 (slots 0-5460) is set by the caller, with redis-3 as its replica. */
    private static ClusterViewBuilder.NodeBuilder threeShards() {
        return cluster()
                .node("redis-1").slots("5461-10922").onNode("k8s-b").clusterEpoch(6)
                .node("redis-2").slots("10923-16383").onNode("k8s-c").clusterEpoch(6)
                .node("redis-4").replicaOf("redis-1").onNode("k8s-c")
                .node("redis-5").replicaOf("redis-2").onNode("k8s-a");
    }

    @Test
    void aMasterBackEmptyIsReplacedByItsReplicaHoldingTheData() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").onNode("k8s-a").startGuarded().keys(0).clusterEpoch(6)
                .node("redis-3").replicaOf("redis-0").onNode("k8s-b").linkDown().keys(1200).clusterEpoch(6)
                .meshed().build();

        Plan plan = Planner.plan(view, THREE_BY_ONE);

        assertEquals(List.of("redis-3 CLUSTER_FAILOVER_FORCE " + id("redis-0") + " 6"), steps(plan));
        assertTrue(plan.steps().get(0).why().startsWith("master redis-0 restarted holding 0 keys; its replica redis-3 holds 1200"),
                plan.steps().get(0).why());
    }

    @Test
    void aWholeClusterBackEmptyFailsOverOneShardAtATime() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-8191").onNode("k8s-a").startGuarded()
                .node("redis-1").slots("8192-16383").onNode("k8s-b").startGuarded()
                .node("redis-2").replicaOf("redis-0").onNode("k8s-b").linkDown().keys(700)
                .node("redis-3").replicaOf("redis-1").onNode("k8s-a").linkDown().keys(800)
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 2, 1));

        assertEquals(List.of("redis-2 CLUSTER_FAILOVER_FORCE " + id("redis-0") + " 0"), steps(plan));
        assertProblem(plan, "redis-3 takes over from the restarted redis-1 after redis-2's election (one at a time: "
                + "elections started together split the masters' votes)");
    }

    @Test
    void aMasterBackWithMoreThanItsReplicaServesAgain() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").onNode("k8s-a").startGuarded().keys(1500)
                .node("redis-3").replicaOf("redis-0").onNode("k8s-b").linkDown().keys(1200)
                .meshed().build();

        assertEquals(List.of("redis-0 LIFT_START_GUARD"), steps(Planner.plan(view, THREE_BY_ONE)));
    }

    @Test
    void aMasterBackWithAsManyKeysAsItsReplicaServesAgainWithoutAnElection() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").onNode("k8s-a").startGuarded().keys(1200)
                .node("redis-3").replicaOf("redis-0").onNode("k8s-b").linkDown().keys(1200)
                .meshed().build();

        assertEquals(List.of("redis-0 LIFT_START_GUARD"), steps(Planner.plan(view, THREE_BY_ONE)));
    }

    @Test
    void nobodyHoldingAnythingLetsTheMasterServe() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").onNode("k8s-a").startGuarded()
                .node("redis-3").replicaOf("redis-0").onNode("k8s-b").linkDown()
                .meshed().build();

        assertEquals(List.of("redis-0 LIFT_START_GUARD"), steps(Planner.plan(view, THREE_BY_ONE)));
    }

    @Test
    void aReplicaNotHeardFromYetIsWaitedFor() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").onNode("k8s-a").startGuarded().knowsSilentReplica("r3", "10.0.0.9:6379")
                .meshed().build();

        Plan plan = Planner.plan(view, THREE_BY_ONE);

        assertEquals(List.of(), steps(plan));
        assertProblem(plan, "redis-0 restarted under its start guard; waiting to hear from its replica(s) 10.0.0.9:6379, which may hold the data");
    }

    @Test
    void aReplicaMarkedFailingIsNotWaitedFor() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").onNode("k8s-a").startGuarded().keys(10)
                .node("redis-3").replicaOf("redis-0").onNode("k8s-b").down()
                .meshed().build();

        assertEquals(List.of("redis-0 LIFT_START_GUARD"), steps(Planner.plan(view, THREE_BY_ONE)));
    }

    @Test
    void aMasterWhoseShardFailedOverMeanwhileIsLeftToGossip() {
        ClusterView view = threeShards()
                .node("redis-0").slots("0-5460").onNode("k8s-a").startGuarded()
                .node("redis-3").slots("0-5460").onNode("k8s-b").keys(1200).clusterEpoch(7)
                .meshed().build();

        Plan plan = Planner.plan(view, THREE_BY_ONE);

        assertTrue(steps(plan).stream().noneMatch(s -> s.contains("LIFT_START_GUARD") || s.contains("FAILOVER")), steps(plan).toString());
        assertProblem(plan, "redis-0 restarted and redis-3 serves its slots now; it rejoins as a replica by gossip");
    }
}
