package io.warden.coordinator.plan;

import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.RestorePlan;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.warden.coordinator.plan.ClusterViewBuilder.cluster;
import static io.warden.coordinator.plan.PlanAssertions.assertProblem;
import static io.warden.coordinator.plan.PlanAssertions.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole-deployment restore: three masters come up with their shard's snapshot (owning only the slots their keys
 * are in, knowing nobody), three empty spares beside them. The layout is deliberately not the even split.
 */
class RestorePlannerTest {

    private static final RestorePlan PLAN = new RestorePlan(List.of(
            entry("redis-0", "shard-0", "0-4000"),
            entry("redis-1", "shard-1", "4001-12000"),
            entry("redis-2", "shard-2", "12001-16383")));
    private static final DesiredShape RESTORING = new DesiredShape(Mode.CLUSTER, 3, 1, false, PLAN);

    private static RestorePlan.Entry entry(String node, String shard, String... ranges) {
        return new RestorePlan.Entry(node, shard, shard + "-20260101T000000000Z",
                SlotSet.of(Arrays.stream(ranges).map(SlotRange::parse).toList()));
    }

    /** Restored masters as they start: the slots of their keys, dump loaded, strangers to each other. */
    private static ClusterViewBuilder.NodeBuilder freshlyRestored() {
        return cluster()
                .node("redis-0").onNode("k8s-a").slots("7", "3000").keys(2).dataAtStart()
                .node("redis-1").onNode("k8s-b").slots("5000", "11000").keys(2).dataAtStart()
                .node("redis-2").onNode("k8s-c").slots("15000").keys(1).dataAtStart()
                .node("redis-3").onNode("k8s-a")
                .node("redis-4").onNode("k8s-b")
                .node("redis-5").onNode("k8s-c");
    }

    /** The same nodes once introduced to each other. */
    private static ClusterViewBuilder joined() {
        return freshlyRestored().meshed();
    }

    @Test
    void restoredMastersAreIntroducedThoughTheyHoldData() {
        Plan plan = Planner.plan(freshlyRestored().build(), RESTORING);

        assertEquals(List.of("redis-0 CLUSTER_MEET 10.0.0.2 6379", "redis-0 CLUSTER_MEET 10.0.0.3 6379", "redis-0 CLUSTER_MEET 10.0.0.4 6379",
                "redis-0 CLUSTER_MEET 10.0.0.5 6379", "redis-0 CLUSTER_MEET 10.0.0.6 6379", "redis-3 CLUSTER_SEED_SLOT_MAP",
                "redis-4 CLUSTER_SEED_SLOT_MAP", "redis-5 CLUSTER_SEED_SLOT_MAP"), steps(plan),
                "the empty spares are given the slot map as they learn it");
        assertEquals("introducing 5 nodes to redis-0", plan.outcome());
    }

    @Test
    void withoutTheRestorePlanTheSameNodesAreAnotherClustersAndLeftAlone() {
        Plan plan = Planner.plan(freshlyRestored().build(), new DesiredShape(Mode.CLUSTER, 3, 1));

        assertEquals(List.of("redis-0 CLUSTER_MEET 10.0.0.4 6379", "redis-0 CLUSTER_MEET 10.0.0.5 6379", "redis-0 CLUSTER_MEET 10.0.0.6 6379",
                "redis-3 CLUSTER_SEED_SLOT_MAP", "redis-4 CLUSTER_SEED_SLOT_MAP", "redis-5 CLUSTER_SEED_SLOT_MAP"), steps(plan));
        assertProblem(plan, "redis-1 holds data and belongs to another cluster; not joining it");
    }

    @Test
    void joinedRestoredMastersGetTheRestOfTheirManifestsSlotsExactly() {
        Plan plan = Planner.plan(joined().build(), RESTORING);

        assertEquals(List.of("redis-0 CLUSTER_ADD_SLOTS 0-6,8-2999,3001-4000", "redis-1 CLUSTER_ADD_SLOTS 4001-4999,5001-10999,11001-12000",
                "redis-2 CLUSTER_ADD_SLOTS 12001-14999,15001-16383"), steps(plan));
        assertTrue(plan.outcome().startsWith("restoring the snapshots' slot layout: 0-6,8-2999,3001-4000 to redis-0 (shard-0)"), plan.outcome());
    }

    @Test
    void slotsOfARestoredNodeThatIsNotUpYetWaitRatherThanGoToASpare() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-4000").keys(2).dataAtStart()
                .node("redis-1").onNode("k8s-b").slots("4001-12000").keys(2).dataAtStart()
                .node("redis-2").onNode("k8s-c").down()
                .node("redis-3").onNode("k8s-a")
                .node("redis-4").onNode("k8s-b")
                .node("redis-5").onNode("k8s-c")
                .meshed().build();

        Plan plan = Planner.plan(view, RESTORING);

        assertTrue(steps(plan).stream().noneMatch(s -> s.contains("ADD_SLOTS")), steps(plan).toString());
        assertTrue(steps(plan).stream().allMatch(s -> s.contains("CLUSTER_REPLICATE")), steps(plan).toString());
        assertProblem(plan, "slots 12001-16383 wait for redis-2, which restores shard-2 (shard-2-20260101T000000000Z), to report");
    }

    @Test
    void aRestoredNodeServingSlotsOutsideItsManifestIsNotJoined() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("7").keys(1).dataAtStart()
                .node("redis-1").onNode("k8s-b").slots("100").keys(1).dataAtStart()
                .node("redis-2").onNode("k8s-c").slots("15000").keys(1).dataAtStart()
                .build();

        Plan plan = Planner.plan(view, RESTORING);

        assertEquals(List.of("redis-0 CLUSTER_MEET 10.0.0.3 6379"), steps(plan));
        assertProblem(plan, "redis-1 serves slots 100 that its restore entry (shard-1, shard-1-20260101T000000000Z) does not list; not joining it");
    }

    @Test
    void overlappingRestoreEntriesPlanNothing() {
        DesiredShape overlapping = new DesiredShape(Mode.CLUSTER, 3, 1, false, new RestorePlan(List.of(
                entry("redis-0", "shard-0", "0-8000"), entry("redis-1", "shard-1", "7000-16383"))));

        Plan plan = Planner.plan(freshlyRestored().build(), overlapping);

        assertTrue(plan.idle());
        assertProblem(plan, "the restore plan gives slots 7000-8000 to both redis-0 (shard-0-20260101T000000000Z) and redis-1"
                + " (shard-1-20260101T000000000Z); nothing is planned until the restore plan is fixed");
    }

    @Test
    void theRestoreIsCompleteOnceEveryRestoredNodeJoinedAndEverySlotIsServed() {
        ClusterView covered = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-4000").keys(2).dataAtStart()
                .node("redis-1").onNode("k8s-b").slots("4001-12000").keys(2).dataAtStart()
                .node("redis-2").onNode("k8s-c").slots("12001-16383").keys(1).dataAtStart()
                .meshed().build();

        assertTrue(Planner.restoreComplete(covered, RESTORING));
        assertFalse(Planner.restoreComplete(joined().build(), RESTORING), "slots still unserved");
        assertFalse(Planner.restoreComplete(cluster()
                .node("redis-0").onNode("k8s-a").slots("0-12000").keys(2).dataAtStart()
                .node("redis-2").onNode("k8s-c").slots("12001-16383").keys(1).dataAtStart()
                .meshed().build(), RESTORING), "redis-1 never joined");
        assertFalse(Planner.restoreComplete(covered, RESTORING.withoutRestore()), "no restore under way");
    }

    @Test
    void onceCoveredTheSparesBecomeReplicasAndNothingMoves() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-4000").keys(2).dataAtStart()
                .node("redis-1").onNode("k8s-b").slots("4001-12000").keys(2).dataAtStart()
                .node("redis-2").onNode("k8s-c").slots("12001-16383").keys(1).dataAtStart()
                .node("redis-3").onNode("k8s-a")
                .node("redis-4").onNode("k8s-b")
                .node("redis-5").onNode("k8s-c")
                .meshed().build();

        Plan plan = Planner.plan(view, RESTORING);

        assertEquals(3, steps(plan).size(), steps(plan).toString());
        assertTrue(steps(plan).stream().allMatch(s -> s.contains("CLUSTER_REPLICATE")), steps(plan).toString());
    }
}
