package io.warden.coordinator.plan;

import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
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

/** The cluster planner past connecting: open slots, slot coverage and bootstrap, and what it reports. */
class ClusterPlannerTest {

    private static final DesiredShape THREE_BY_ONE = new DesiredShape(Mode.CLUSTER, 3, 1);
    private static final DesiredShape ONE_BY_ONE = new DesiredShape(Mode.CLUSTER, 1, 1);

    /** Three masters on k8s-a..c, each with one replica on the next Kubernetes node. */
    private static ClusterViewBuilder.NodeBuilder healthyThreeByOne() {
        return cluster()
                .node("redis-0").onNode("k8s-a").slots("0-5461")
                .node("redis-1").onNode("k8s-b").slots("5462-10922")
                .node("redis-2").onNode("k8s-c").slots("10923-16383")
                .node("redis-3").onNode("k8s-b").replicaOf("redis-0")
                .node("redis-4").onNode("k8s-c").replicaOf("redis-1")
                .node("redis-5").onNode("k8s-a").replicaOf("redis-2");
    }

    // --- open slots ---

    @Test
    void halfOpenImportingSlotIsClosed() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-8191")
                .node("redis-1").slots("8192-16383").importing(100, "redis-0")
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 2, 0));

        assertEquals(List.of("redis-1 CLUSTER_SETSLOT_STABLE 100"), steps(plan));
        assertEquals("closing open slots: stabilising slot 100 on redis-1", plan.outcome());
        assertEquals(List.of("slot 100 is importing into redis-1 from redis-0"), plan.problems());
    }

    @Test
    void halfOpenMigratingSlotIsClosed() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-8191").migrating(100, "redis-1")
                .node("redis-1").slots("8192-16383")
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 2, 0));

        assertEquals(List.of("redis-0 CLUSTER_SETSLOT_STABLE 100"), steps(plan));
    }

    @Test
    void migrationLeftOpenOnBothSidesIsFinished() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-8191").migrating(100, "redis-1")
                .node("redis-1").slots("8192-16383").importing(100, "redis-0")
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 2, 0));

        assertEquals(List.of("redis-0 CLUSTER_FINISH_MIGRATION 100 10.0.0.2 6379 " + id("redis-1")), steps(plan));
        assertEquals("closing open slots: finishing slot 100 (redis-0 → redis-1)", plan.outcome());
    }

    @Test
    void openSlotWithUnreachablePeerWaits() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-8191").migrating(100, "redis-1")
                .node("redis-1").slots("8192-16383").down()
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 2, 0));

        assertEquals(List.of(), steps(plan));
        assertProblem(plan, "slot 100 is migrating from redis-0 to redis-1, which is unreachable; waiting for it");
        assertProblem(plan, "slots 8192-16383: master redis-1 is down");
    }

    @Test
    void openSlotsAreClosedBeforeReplicasAreAdded() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-8191")
                .node("redis-1").slots("8192-16383").importing(100, "redis-0")
                .node("redis-2")
                .node("redis-3")
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 2, 1));

        assertEquals(List.of("redis-1 CLUSTER_SETSLOT_STABLE 100"), steps(plan));
        assertEquals(List.of("slot 100 is importing into redis-1 from redis-0", "shard of redis-0 has 0 of 1 replicas",
                "shard of redis-1 has 0 of 1 replicas"), plan.problems());
    }

    // --- coverage ---

    @Test
    void sixEmptyNodesBootstrapThreeShardsOnDistinctKubernetesNodes() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").node("redis-1").onNode("k8s-a")
                .node("redis-2").onNode("k8s-b").node("redis-3").onNode("k8s-b")
                .node("redis-4").onNode("k8s-c").node("redis-5").onNode("k8s-c")
                .meshed().build();

        Plan plan = Planner.plan(view, THREE_BY_ONE);

        assertEquals(List.of("redis-0 CLUSTER_ADD_SLOTS 0-5461", "redis-2 CLUSTER_ADD_SLOTS 5462-10922", "redis-4 CLUSTER_ADD_SLOTS 10923-16383"),
                steps(plan));
        assertEquals("bootstrapping 3 shards: slots to redis-0, redis-2, redis-4", plan.outcome());
        assertEquals(List.of("slots 0-16383 are served by no master"), plan.problems());
    }

    @Test
    void bootstrapSpreadsAcrossZonesWhenKubernetesNodesAreAllDistinct() {
        ClusterView view = cluster()
                .node("redis-0").onNode("n0").inZone("z1").node("redis-1").onNode("n1").inZone("z1")
                .node("redis-2").onNode("n2").inZone("z2").node("redis-3").onNode("n3").inZone("z3")
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 3, 0));

        assertEquals(List.of("redis-0 CLUSTER_ADD_SLOTS 0-5461", "redis-2 CLUSTER_ADD_SLOTS 5462-10922", "redis-3 CLUSTER_ADD_SLOTS 10923-16383"),
                steps(plan));
    }

    @Test
    void bootstrapNeverGivesSlotsToANodeHoldingData() {
        ClusterView view = cluster()
                .node("redis-0").dataAtStart()
                .node("redis-1").keys(3)
                .node("redis-2")
                .node("redis-3")
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 3, 0));

        assertEquals(List.of("redis-2 CLUSTER_ADD_SLOTS 0-5461", "redis-3 CLUSTER_ADD_SLOTS 5462-10922"), steps(plan));
        assertEquals("bootstrapping 2 shards: slots to redis-2, redis-3", plan.outcome());
        assertProblem(plan, "no empty node left to serve slots 10923-16383");
    }

    @Test
    void interruptedBootstrapFinishesWithoutCoveringASlotTwice() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-5461")
                .node("redis-1").onNode("k8s-a")
                .node("redis-2").onNode("k8s-b").slots("5462-8000")
                .node("redis-3").onNode("k8s-b")
                .node("redis-4").onNode("k8s-c")
                .node("redis-5").onNode("k8s-c")
                .meshed().build();

        Plan plan = Planner.plan(view, THREE_BY_ONE);

        assertEquals(List.of("redis-2 CLUSTER_ADD_SLOTS 8001-10922", "redis-4 CLUSTER_ADD_SLOTS 10923-16383"), steps(plan));
        assertEquals("covering unserved slots: 8001-10922 to redis-2, 10923-16383 to redis-4", plan.outcome());
        SlotSet given = plan.steps().stream().map(s -> SlotSet.of(List.of(SlotRange.parse(s.args().get("ranges")))))
                .reduce(SlotSet.empty(), SlotSet::union);
        SlotSet held = SlotSet.of(List.of(SlotRange.of(0, 8000)));
        assertTrue(given.intersect(held).isEmpty());
        assertEquals(SlotSet.all(), given.union(held));
    }

    @Test
    void masterOfSlotsDownIsReportedNotReassigned() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-5461")
                .node("redis-1").slots("5462-10922").down()
                .node("redis-2").slots("10923-16383")
                .node("redis-3")
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 3, 0));

        assertEquals(List.of(), steps(plan));
        assertEquals(List.of("redis-1 is unreachable", "slots 5462-10922: master redis-1 is down"), plan.problems());
        assertEquals("nothing I can do: redis-1 is unreachable (and 1 more problem)", plan.outcome());
    }

    @Test
    void slotsOfAMasterWhosePodIsGoneAreReportedByItsId() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-8191").knowsLostMaster("gone", "10.0.0.9:6379", "8192-16383")
                .node("redis-1")
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 2, 0));

        assertEquals(List.of(), steps(plan));
        assertProblem(plan, "slots 8192-16383: master " + id("gone") + " is down");
    }

    @Test
    void slotsClaimedByTwoMastersAreReportedNeverActedOn() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-8191")
                .node("redis-1").slots("8000-16383")
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 2, 0));

        assertEquals(List.of(), steps(plan));
        assertEquals(List.of("slots 8000-8191 are claimed by both redis-0 and redis-1; Redis settles it by config epoch"), plan.problems());
    }

    // --- health ---

    @Test
    void healthyClusterPlansNothing() {
        Plan plan = Planner.plan(healthyThreeByOne().meshed().build(), THREE_BY_ONE);

        assertEquals(List.of(), steps(plan));
        assertEquals("nothing to do: 3 shards × 1 replica healthy", plan.outcome());
        assertEquals(List.of(), plan.problems());
    }

    @Test
    void replicaOnItsMastersKubernetesNodeIsReportedWhenAnotherNodeIsFree() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-16383")
                .node("redis-1").onNode("k8s-a").replicaOf("redis-0")
                .node("redis-2").onNode("k8s-b").dataAtStart()
                .meshed().build();

        Plan plan = Planner.plan(view, ONE_BY_ONE);

        assertEquals(List.of(), steps(plan));
        assertEquals(List.of("redis-1 shares Kubernetes node k8s-a with its master redis-0 although another node hosts none of that shard"),
                plan.problems());
    }

    @Test
    void replicaLinkDownAndUnreachableNodesAreReported() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-16383")
                .node("redis-1").replicaOf("redis-0").linkDown()
                .node("redis-2").down()
                .meshed().build();

        Plan plan = Planner.plan(view, ONE_BY_ONE);

        assertEquals(List.of(), steps(plan));
        assertEquals(List.of("redis-2 is unreachable", "redis-1's replication link to redis-0 is down"), plan.problems());
    }

    @Test
    void modeMismatchIsReportedNotActedOn() {
        Plan plan = Planner.plan(healthyThreeByOne().meshed().build(), new DesiredShape(Mode.REPLICATION, 1, 1));

        assertEquals(List.of(), steps(plan));
        assertEquals("nothing to do: nodes run in cluster mode but replication mode is desired", plan.outcome());
    }
}
