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

/**
 * The cluster planner's first phase: who the hub is, whom it MEETs (new nodes, nodes at new addresses, half-known
 * ones), whom it leaves alone (another cluster's nodes), and the slot map a joining node is given.
 */
class ClusterConnectPlannerTest {

    private static final DesiredShape THREE_BY_ONE = new DesiredShape(Mode.CLUSTER, 3, 1);
    private static final DesiredShape ONE_BY_ONE = new DesiredShape(Mode.CLUSTER, 1, 1);

    private static ClusterView sixEmptyNodes(String... k8sNodes) {
        ClusterViewBuilder b = cluster();
        for (int i = 0; i < 6; i++) {
            b.node("redis-" + i).onNode(k8sNodes[i]);
        }
        return b.build();
    }

    @Test
    void sixEmptyNodesAreIntroducedToTheFirstByName() {
        Plan plan = Planner.plan(sixEmptyNodes("k8s-a", "k8s-a", "k8s-b", "k8s-b", "k8s-c", "k8s-c"), THREE_BY_ONE);

        assertEquals(List.of("redis-0 CLUSTER_MEET 10.0.0.2 6379", "redis-0 CLUSTER_MEET 10.0.0.3 6379", "redis-0 CLUSTER_MEET 10.0.0.4 6379",
                "redis-0 CLUSTER_MEET 10.0.0.5 6379", "redis-0 CLUSTER_MEET 10.0.0.6 6379"), steps(plan));
        assertEquals("introducing 5 nodes to redis-0", plan.outcome());
        assertProblem(plan, "redis-1 is not known to redis-0");
        assertProblem(plan, "slots 0-16383 are served by no master");
    }

    @Test
    void everyPodAtANewAddressIsReintroducedByNodeId() {
        // Every node moved from 10.0.0.x to 10.1.0.x; every nodes.conf still has the old addresses.
        ClusterViewBuilder b = cluster();
        String[] k8s = {"k8s-a", "k8s-b", "k8s-c", "k8s-b", "k8s-c", "k8s-a"};
        String[] slots = {"0-5461", "5462-10922", "10923-16383"};
        for (int i = 0; i < 6; i++) {
            ClusterViewBuilder.NodeBuilder n = b.node("redis-" + i).at("10.1.0." + (i + 1) + ":6379")
                    .previously("10.0.0." + (i + 1) + ":6379").onNode(k8s[i]).keys(100);
            if (i < 3) {
                n.slots(slots[i]);
            } else {
                n.replicaOf("redis-" + (i - 3));
            }
        }
        Plan plan = Planner.plan(b.meshed().build(), THREE_BY_ONE);

        assertEquals(List.of("redis-0 CLUSTER_MEET 10.1.0.2 6379", "redis-0 CLUSTER_MEET 10.1.0.3 6379", "redis-0 CLUSTER_MEET 10.1.0.4 6379",
                "redis-0 CLUSTER_MEET 10.1.0.5 6379", "redis-0 CLUSTER_MEET 10.1.0.6 6379"), steps(plan));
        assertEquals("introducing 5 nodes to redis-0", plan.outcome());
        assertProblem(plan, "redis-0 knows redis-1 at 10.0.0.2:6379, it is now at 10.1.0.2:6379");
    }

    /** Redis learns a moved master's address from gossip but keeps replicating from the old one. */
    @Test
    void replicaStillReplicatingFromItsMastersOldAddressIsRepointed() {
        ClusterView view = cluster()
                .node("redis-0").at("10.1.0.1:6379").onNode("k8s-a").slots("0-16383").keys(5)
                .node("redis-1").at("10.1.0.2:6379").onNode("k8s-b").replicaOf("redis-0").following("10.0.0.1:6379").keys(5)
                .meshed().build();

        Plan plan = Planner.plan(view, ONE_BY_ONE);

        assertEquals(List.of("redis-1 CLUSTER_REPLICATE " + id("redis-0")), steps(plan));
        assertEquals("re-pointing 1 replica at their masters' new addresses", plan.outcome());
    }

    @Test
    void hubIsTheNodeServingSlotsWhenNobodyKnowsAnyone() {
        ClusterView view = cluster()
                .node("redis-0")
                .node("redis-1")
                .node("redis-2").slots("0-16383").keys(42)
                .build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 1, 2));

        assertEquals(List.of("redis-2 CLUSTER_MEET 10.0.0.1 6379", "redis-2 CLUSTER_MEET 10.0.0.2 6379", "redis-0 CLUSTER_SEED_SLOT_MAP",
                "redis-1 CLUSTER_SEED_SLOT_MAP"), steps(plan), "the empty nodes are given the slot map as they learn it");
        assertEquals(id("redis-2") + "=0-16383", plan.steps().get(2).args().get("owners"));
        assertEquals("introducing 2 nodes to redis-2", plan.outcome());
    }

    @Test
    void aJoiningNodeIsGivenOnlySlotsEveryViewAgreesOnAndNoneHasOpen() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-8191").keys(10).knows("redis-1").migrating(100, "redis-1")
                .node("redis-1").slots("8192-16383").keys(10).knowsServing("redis-0", "0-8191", "9000").importing(100, "redis-0")
                .node("redis-2")
                .build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 2, 0));

        assertEquals(List.of("redis-0 CLUSTER_MEET 10.0.0.3 6379", "redis-2 CLUSTER_SEED_SLOT_MAP"), steps(plan));
        assertEquals(id("redis-0") + "=0-99,101-8191;" + id("redis-1") + "=8192-8999,9001-16383", plan.steps().get(1).args().get("owners"),
                "slot 100 is open, slot 9000 claimed by both: gossip settles those");
    }

    @Test
    void aNodeThatKnowsItsPeersIsMetAgainWithoutASlotMap() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-16383").keys(10)
                .node("redis-1").previously("10.0.0.9:6379")
                .meshed()
                .build();

        assertEquals(List.of("redis-0 CLUSTER_MEET 10.0.0.2 6379"), steps(Planner.plan(view, new DesiredShape(Mode.CLUSTER, 1, 1))),
                "an empty node back at a new address knows the cluster (and its slots) already");
    }

    @Test
    void strangerClusterWithDataIsNotJoined() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-16383").keys(10).knows("redis-1")
                .node("redis-1").replicaOf("redis-0").knows("redis-0")
                .node("other-0").slots("0-16383").keys(99)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_ONE);

        assertEquals(List.of(), steps(plan));
        assertEquals("nothing I can do: other-0 holds data and belongs to another cluster; not joining it", plan.outcome());
        assertEquals(List.of("other-0 holds data and belongs to another cluster; not joining it"), plan.problems());
    }

    @Test
    void emptyNodeThatKnowsAnotherClusterIsNotJoined() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-16383").knows("redis-1")
                .node("redis-1").replicaOf("redis-0").knows("redis-0")
                .node("stray").knows("stranger-0")
                .node("stranger-0").slots("0-16383").keys(5).knows("stray")
                .build();

        Plan plan = Planner.plan(view, ONE_BY_ONE);

        assertEquals(List.of(), steps(plan));
        assertProblem(plan, "stray knows nodes outside redis-0's cluster; not joining it");
        assertProblem(plan, "stranger-0 holds data and belongs to another cluster; not joining it");
    }

    @Test
    void nodeKnownOnlyWithoutAddressIsMetAgain() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-16383").knows("redis-2").knowsFlagged("redis-1", "noaddr")
                .node("redis-1").replicaOf("redis-0").knows("redis-0")
                .node("redis-2").replicaOf("redis-0").knows("redis-0")
                .build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 1, 2));

        assertEquals(List.of("redis-0 CLUSTER_MEET 10.0.0.2 6379"), steps(plan));
        assertProblem(plan, "redis-1 is only half-known to redis-0 (noaddr,slave)");
    }
}
