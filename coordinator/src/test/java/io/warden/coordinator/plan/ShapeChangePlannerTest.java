package io.warden.coordinator.plan;

import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.NodeView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.warden.coordinator.plan.ClusterViewBuilder.cluster;
import static io.warden.coordinator.plan.ClusterViewBuilder.id;
import static io.warden.coordinator.plan.PlanAssertions.assertProblem;
import static io.warden.coordinator.plan.PlanAssertions.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scale out and in, rebalance, drain and resume, planned from literal cluster states. */
class ShapeChangePlannerTest {

    private static final DesiredShape FOUR_BY_ONE = new DesiredShape(Mode.CLUSTER, 4, 1, true);
    private static final DesiredShape THREE_BY_ONE = new DesiredShape(Mode.CLUSTER, 3, 1, true);
    private static final String OTHERS_OF_0_TO_6 = "10.0.0.2:6379,10.0.0.3:6379";

    /** Three masters on k8s-a..c with a replica each, plus {@code extra} empty nodes redis-6.. on k8s-a, k8s-b, …. */
    private static ClusterViewBuilder threeByOnePlus(int extra) {
        ClusterViewBuilder b = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-5461").keys(100)
                .node("redis-1").onNode("k8s-b").slots("5462-10922").keys(100)
                .node("redis-2").onNode("k8s-c").slots("10923-16383").keys(100)
                .node("redis-3").onNode("k8s-b").replicaOf("redis-0")
                .node("redis-4").onNode("k8s-c").replicaOf("redis-1")
                .node("redis-5").onNode("k8s-a").replicaOf("redis-2").meshed();
        for (int i = 0; i < extra; i++) {
            b.node("redis-" + (6 + i)).onNode("k8s-" + (char) ('a' + i % 3));
        }
        return b;
    }

    // --- scale out ---

    @Test
    void aFourthShardTakesAnEvenShareFromTheFullestMastersAllAtOnce() {
        Plan plan = Planner.plan(threeByOnePlus(2).build(), FOUR_BY_ONE);

        assertEquals(List.of(
                "redis-0 CLUSTER_MIGRATE_SLOTS 4096-5461 10.0.0.7 6379 " + id("redis-6"),
                "redis-1 CLUSTER_MIGRATE_SLOTS 9558-10922 10.0.0.7 6379 " + id("redis-6"),
                "redis-2 CLUSTER_MIGRATE_SLOTS 15019-16383 10.0.0.7 6379 " + id("redis-6")), steps(plan));
        assertEquals(OTHERS_OF_0_TO_6, plan.steps().get(0).args().get("others"));
        assertEquals("moving slots: 1366 from redis-0 to redis-6, 1365 from redis-1 to redis-6, 1365 from redis-2 to redis-6", plan.outcome());
    }

    @Test
    void theNewMastersSpareIsNotMadeAReplicaOfAnotherShardFirst() {
        // redis-0's replica is gone: addReplicas needs a spare, but redis-6 is reserved as the fourth master.
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-5461")
                .node("redis-1").onNode("k8s-b").slots("5462-10922")
                .node("redis-2").onNode("k8s-c").slots("10923-16383")
                .node("redis-4").onNode("k8s-c").replicaOf("redis-1")
                .node("redis-5").onNode("k8s-a").replicaOf("redis-2")
                .node("redis-6").onNode("k8s-b").meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 4, 1, true));

        assertTrue(steps(plan).stream().allMatch(s -> s.contains("CLUSTER_MIGRATE_SLOTS")), steps(plan).toString());
        assertProblem(plan, "no empty node left to be a replica");
    }

    @Test
    void aClusterWithinOnePercentOfEvenIsLeftAlone() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-5500").node("redis-1").slots("5501-10922").node("redis-2").slots("10923-16383")
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 3, 0, true));

        assertEquals(List.of(), steps(plan));
        assertEquals("nothing to do: 3 shards × 0 replicas healthy", plan.outcome());
    }

    @Test
    void aShapeOnlyConfiguredAtStartNeverMovesSlots() {
        Plan plan = Planner.plan(threeByOnePlus(2).build(), new DesiredShape(Mode.CLUSTER, 4, 1));

        assertEquals(List.of(), steps(plan));
    }

    @Test
    void movesWaitWhileAMasterIsSuspectedOrGossipHasNotSpread() {
        ClusterView view = threeByOnePlus(2).with("redis-1").knowsFlagged("redis-0", "fail?").build();

        Plan plan = Planner.plan(view, FOUR_BY_ONE);

        assertEquals(List.of(), steps(plan));
        assertProblem(plan, "4096 slots to move wait: redis-1 suspects redis-0 is failing");
    }

    @Test
    void movesWaitWhileAMasterHandsItsRoleOverForShutdown() {
        ClusterView view = threeByOnePlus(2).with("redis-0").draining().build();

        Plan plan = Planner.plan(view, FOUR_BY_ONE);

        assertEquals(List.of(), steps(plan));
        assertProblem(plan, "4096 slots to move wait: redis-0 is draining for shutdown (its role is being handed over)");
    }

    // --- balance arithmetic ---

    @Test
    void balanceBringsEveryMasterToFloorOrCeilingOfTheEvenShare() {
        NodeView a = master("a", "0-9999");
        NodeView b = master("b", "10000-16383");
        NodeView c = master("c");
        NodeView d = master("d");
        Map<NodeView, Integer> after = apply(List.of(a, b, c, d), List.of());

        after.values().forEach(n -> assertTrue(n == 4096, after.toString()));
        assertEquals(0, SlotBalance.pending(List.of(master("a", "0-4095"), master("b", "4096-8191"), master("c", "8192-12287"),
                master("d", "12288-16383")), List.of()));
    }

    @Test
    void aDrainedMasterGivesEverySlotAndTheKeptEndWithinOneSlot() {
        NodeView a = master("a", "0-4095");
        NodeView b = master("b", "4096-8191");
        NodeView c = master("c", "8192-12287");
        NodeView gone = master("gone", "12288-16383");
        Map<NodeView, Integer> after = apply(List.of(a, b, c), List.of(gone));

        assertEquals(0, after.get(gone));
        assertEquals(16384, after.get(a) + after.get(b) + after.get(c));
        after.forEach((m, n) -> assertTrue(m == gone || Math.abs(n - 16384 / 3.0) < 1, after.toString()));
    }

    // --- scale in ---

    @Test
    void aRetiringMasterIsDrainedToTheKeptOnes() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-4095").node("redis-1").slots("4096-8191").node("redis-2").slots("8192-12287")
                .node("redis-3").slots("12288-16383").meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 3, 0, true));

        assertEquals(List.of(
                "redis-3 CLUSTER_MIGRATE_SLOTS 12288-13653 10.0.0.1 6379 " + id("redis-0"),
                "redis-3 CLUSTER_MIGRATE_SLOTS 13654-15018 10.0.0.2 6379 " + id("redis-1"),
                "redis-3 CLUSTER_MIGRATE_SLOTS 15019-16383 10.0.0.3 6379 " + id("redis-2")), steps(plan));
    }

    @Test
    void emptiedRetiringNodesAreForgottenByEveryNodeThatStaysInOneTickBeforeAnyReset() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-5461").node("redis-1").slots("5462-10922").node("redis-2").slots("10923-16383")
                .node("redis-3").replicaOf("redis-2").servingNothingFor(Duration.ofMinutes(1))
                .node("redis-4").replicaOf("redis-0").servingNothingFor(Duration.ofMinutes(1)).meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 3, 0, true));

        assertEquals(List.of("redis-0 CLUSTER_FORGET " + id("redis-3"), "redis-1 CLUSTER_FORGET " + id("redis-3"),
                "redis-2 CLUSTER_FORGET " + id("redis-3"), "redis-0 CLUSTER_FORGET " + id("redis-4"),
                "redis-1 CLUSTER_FORGET " + id("redis-4"), "redis-2 CLUSTER_FORGET " + id("redis-4")), steps(plan));
    }

    /** Forgotten, but still knowing its peers: it redirects clients (MOVED) until the grace is over, then is stopped. */
    private static ClusterView forgottenRetiringNode(Duration servingNothingFor) {
        return cluster()
                .node("redis-0").slots("0-5461").knows("redis-1", "redis-2")
                .node("redis-1").slots("5462-10922").knows("redis-0", "redis-2")
                .node("redis-2").slots("10923-16383").knows("redis-0", "redis-1")
                .node("redis-3").replicaOf("redis-2").knows("redis-0", "redis-1", "redis-2").servingNothingFor(servingNothingFor).build();
    }

    @Test
    void aForgottenRetiringNodeIsStoppedNotResetOnlyOnceClientsHadTheirGraceAndIsNeverIntroducedAgain() {
        DesiredShape threeByZero = new DesiredShape(Mode.CLUSTER, 3, 0, true);

        Plan early = Planner.plan(forgottenRetiringNode(Retire.CLIENT_GRACE.minusSeconds(1)), threeByZero);
        assertEquals(List.of(), steps(early), "no MEET of the forgotten node");
        assertProblem(early, "redis-3 is retiring: it keeps redirecting clients for 5 s after serving its last slot, then is stopped");
        assertEquals(List.of(), Retirement.releasable(forgottenRetiringNode(Retire.CLIENT_GRACE.minusSeconds(1)), threeByZero),
                "not stopped within the grace");

        Plan later = Planner.plan(forgottenRetiringNode(Retire.CLIENT_GRACE), threeByZero);
        assertEquals(List.of(), steps(later), "no reset: a reset node would hand clients a slot map with no owners");
        assertEquals(List.of("redis-3"), Retirement.releasable(forgottenRetiringNode(Retire.CLIENT_GRACE), threeByZero));
    }

    // --- a retired node brought back (a StatefulSet grown again: the pod returns with its PVC and its nodes.conf) ---

    /** redis-3 came back knowing every node; {@code hubKnowsIt}: redis-0 has met it again, the others forgot it. */
    private static ClusterViewBuilder.NodeBuilder returned(boolean hubKnowsIt) {
        ClusterViewBuilder.NodeBuilder view = cluster()
                .node("redis-0").slots("0-5461").knows("redis-1", "redis-2")
                .node("redis-1").slots("5462-10922").knows("redis-0", "redis-2")
                .node("redis-2").slots("10923-16383").knows("redis-0", "redis-1")
                .node("redis-3").knows("redis-0", "redis-1", "redis-2").servingNothingFor(Duration.ofMinutes(1));
        if (hubKnowsIt) {
            view.with("redis-0").knows("redis-1", "redis-2", "redis-3");
        }
        return view;
    }

    @Test
    void aReturnedMasterThatKnowsEveryoneIsNotTheHubAndIsResetBeforeItJoins() {
        Plan plan = Planner.plan(returned(false).build(), new DesiredShape(Mode.CLUSTER, 4, 0, true));

        assertEquals(List.of("redis-3 CLUSTER_RESET_SOFT"), steps(plan),
                "the hub is a node the others know back (redis-3 knows three nodes, none of which knows it); a node started"
                        + " with data is no spare, and the reset drops what it started with");
    }

    @Test
    void aResetNodeTheHubIsShakingHandsWithIsNotResetAgain() {
        ClusterView view = returned(false).with("redis-0").shakingHandsWith("10.0.0.4:6379").build();

        assertEquals(List.of("redis-0 CLUSTER_MEET 10.0.0.4 6379"), steps(Planner.plan(view, new DesiredShape(Mode.CLUSTER, 4, 0, true))),
                "met again (the handshake shows as a gap), never reset in the middle of joining");
    }

    @Test
    void aReturnedMasterHoldingKeysIsNotReset() {
        Plan plan = Planner.plan(returned(false).with("redis-3").keys(5).build(), new DesiredShape(Mode.CLUSTER, 4, 0, true));

        assertTrue(steps(plan).stream().noneMatch(step -> step.startsWith("redis-3 ")), steps(plan).toString());
    }

    @Test
    void aReturnedReplicaIsResetToAnEmptyMasterBeforeItJoins() {
        ClusterView view = returned(false).with("redis-3").replicaOf("redis-1").build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 4, 0, true));

        assertEquals(List.of("redis-3 CLUSTER_RESET_SOFT"), steps(plan), "as a replica it would rejoin where it was, not as master 4");
        assertEquals("resetting 1 forgotten node to empty masters", plan.outcome());
    }

    @Test
    void onceTheHubKnowsAReturnedNodeGossipIntroducesItToTheOthers() {
        Plan plan = Planner.plan(returned(true).build(), new DesiredShape(Mode.CLUSTER, 4, 0, true));

        assertTrue(steps(plan).stream().noneMatch(step -> step.contains("CLUSTER_MEET") || step.contains("CLUSTER_RESET")), steps(plan).toString());
        assertProblem(plan, "4096 slots to move wait: redis-1 does not know redis-3 at 10.0.0.4:6379 yet");
    }

    @Test
    void aRetiringNodeHalfForgottenIsForgottenByTheRestNotIntroducedAgain() {
        ClusterView view = returned(true).build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 3, 0, true));

        assertEquals(List.of("redis-0 CLUSTER_FORGET " + id("redis-3")), steps(plan));
    }

    @Test
    void aKeptReplicaOfAnEmptiedRetiringMasterFollowsAKeptMasterBeforeAnyoneForgetsIt() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-8191").node("redis-1").onNode("k8s-b").slots("8192-16383")
                .node("redis-2").onNode("k8s-c").replicaOf("redis-0")
                .node("redis-3").onNode("k8s-a").replicaOf("redis-4")
                .node("redis-4").onNode("k8s-c").meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 2, 1, true));

        assertEquals(List.of("redis-3 CLUSTER_REPLICATE " + id("redis-1")), steps(plan));
    }

    @Test
    void aRetiredNodeOutOfTheClusterIsNeverIntroducedAgainAndMayBeStopped() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-8191").knows("redis-1")
                .node("redis-1").slots("8192-16383").knows("redis-0")
                .node("redis-2").build();
        DesiredShape twoByZero = new DesiredShape(Mode.CLUSTER, 2, 0, true);

        Plan plan = Planner.plan(view, twoByZero);

        assertEquals(List.of(), steps(plan));
        assertProblem(plan, "redis-2 is retiring (beyond the desired shape) and out of the cluster; waiting for it to be stopped");
        assertEquals(List.of("redis-2"), Retirement.releasable(view, twoByZero));
        assertEquals(List.of(), Retirement.releasable(view, new DesiredShape(Mode.CLUSTER, 2, 0)), "nothing retires before a scale request");
    }

    // --- resume ---

    @Test
    void slotsOpenOnBothSidesAfterACrashAreFinishedTogetherBeforeAnyNewMove() {
        ClusterView view = threeByOnePlus(2)
                .with("redis-0").migrating(5000, "redis-6").migrating(5001, "redis-6")
                .with("redis-6").importing(5000, "redis-0").importing(5001, "redis-0").openKeys(5000, 3).build();

        Plan plan = Planner.plan(view, FOUR_BY_ONE);

        assertEquals(List.of("redis-0 CLUSTER_MIGRATE_SLOTS 5000-5001 10.0.0.7 6379 " + id("redis-6")), steps(plan));
        assertEquals("closing open slots: finishing slots 5000-5001 (redis-0 → redis-6)", plan.outcome());
    }

    @Test
    void anImportingSideThatAlreadyHoldsKeysIsFinishedByTheOwnerNeverClosedOverThem() {
        ClusterView view = threeByOnePlus(2).with("redis-6").importing(5000, "redis-0").openKeys(5000, 7).build();

        Plan plan = Planner.plan(view, FOUR_BY_ONE);

        assertEquals(List.of("redis-0 CLUSTER_FINISH_MIGRATION 5000 10.0.0.7 6379 " + id("redis-6")), steps(plan));
    }

    @Test
    void anEmptyImportingSideIsSetStable() {
        ClusterView view = threeByOnePlus(2).with("redis-6").importing(5000, "redis-0").openKeys(5000, 0).build();

        assertEquals(List.of("redis-6 CLUSTER_SETSLOT_STABLE 5000"), steps(Planner.plan(view, FOUR_BY_ONE)));
    }

    @Test
    void slotsAnAgentIsMovingRightNowAreLeftToIt() {
        ClusterView view = threeByOnePlus(2)
                .with("redis-0").migrating(5000, "redis-6").moving()
                .with("redis-6").importing(5000, "redis-0").build();

        Plan plan = Planner.plan(view, FOUR_BY_ONE);

        assertEquals(List.of(), steps(plan));
        assertProblem(plan, "slot 5000 is migrating from redis-0 to redis-6 (being moved now)");
    }

    @Test
    void progressCountsTheSlotsStillToMove() {
        assertEquals(4096, ShapeProgress.of(threeByOnePlus(2).build(), FOUR_BY_ONE).slotsToMove());
        ShapeProgress done = ShapeProgress.of(threeByOnePlus(0).build(), THREE_BY_ONE);
        assertTrue(done.reached(), done.toString());
        assertEquals(List.of("redis-6", "redis-7"), ShapeProgress.of(threeByOnePlus(2).build(), THREE_BY_ONE).retiring());
        assertEquals(Set.of("redis-9", "redis-10"), Retirement.retiring(threeByOnePlus(5).build(), new DesiredShape(Mode.CLUSTER, 3, 2, true)),
                "by ordinal, as a StatefulSet removes pods: redis-10 after redis-9, not after redis-1");
    }

    private static NodeView master(String name, String... ranges) {
        ClusterViewBuilder.NodeBuilder n = cluster().node(name).slots(ranges);
        return n.build().nodes().get(0);
    }

    /** The share each master ends with once every move is made. */
    private static Map<NodeView, Integer> apply(List<NodeView> kept, List<NodeView> drained) {
        Map<NodeView, SlotSet> held = new HashMap<>();
        kept.forEach(m -> held.put(m, m.slots()));
        drained.forEach(m -> held.put(m, m.slots()));
        for (SlotBalance.Move move : SlotBalance.moves(kept, drained)) {
            assertEquals(move.slots(), held.get(move.source()).intersect(move.slots()), "moves only what the source holds");
            held.put(move.source(), held.get(move.source()).minus(move.slots()));
            held.put(move.target(), held.get(move.target()).union(move.slots()));
        }
        assertEquals(SlotRange.SLOTS, held.values().stream().mapToInt(SlotSet::size).sum());
        Map<NodeView, Integer> sizes = new HashMap<>();
        held.forEach((m, s) -> sizes.put(m, s.size()));
        return sizes;
    }
}
