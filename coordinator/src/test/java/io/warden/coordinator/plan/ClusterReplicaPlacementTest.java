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

/** Cluster mode, phase "replicas": where spares go, so a shard survives losing a Kubernetes node or zone. */
class ClusterReplicaPlacementTest {

    private static final DesiredShape THREE_BY_ONE = new DesiredShape(Mode.CLUSTER, 3, 1);
    private static final DesiredShape ONE_BY_ONE = new DesiredShape(Mode.CLUSTER, 1, 1);
    // --- replicas ---

    /** The layout bin/warden up makes: a greedy pass once left the last spare next to its own master. */
    @Test
    void everyReplicaFindsAKubernetesNodeAwayFromItsMasterWhenOneExists() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-5461")
                .node("redis-1").onNode("k8s-b").slots("5462-10922")
                .node("redis-2").onNode("k8s-c").slots("10923-16383")
                .node("redis-3").onNode("k8s-a")
                .node("redis-4").onNode("k8s-b")
                .node("redis-5").onNode("k8s-c")
                .meshed().build();

        Plan plan = Planner.plan(view, THREE_BY_ONE);

        assertEquals(List.of("redis-4 CLUSTER_REPLICATE " + id("redis-0"), "redis-5 CLUSTER_REPLICATE " + id("redis-1"),
                "redis-3 CLUSTER_REPLICATE " + id("redis-2")), steps(plan));
    }

    @Test
    void replicaPlacedAwayFromItsMastersKubernetesNode() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-16383")
                .node("redis-1").onNode("k8s-a")
                .node("redis-2").onNode("k8s-b")
                .meshed().build();

        Plan plan = Planner.plan(view, ONE_BY_ONE);

        assertEquals(List.of("redis-2 CLUSTER_REPLICATE " + id("redis-0")), steps(plan));
        assertEquals("adding replicas: redis-2 to redis-0", plan.outcome());
        assertEquals(List.of("shard of redis-0 has 0 of 1 replicas"), plan.problems());
    }

    @Test
    void replicaPlacedAwayFromItsMastersZone() {
        ClusterView view = cluster()
                .node("redis-0").onNode("n0").inZone("z1").slots("0-16383")
                .node("redis-1").onNode("n1").inZone("z1")
                .node("redis-2").onNode("n2").inZone("z2")
                .meshed().build();

        assertEquals(List.of("redis-2 CLUSTER_REPLICATE " + id("redis-0")), steps(Planner.plan(view, ONE_BY_ONE)));
    }

    @Test
    void replicaSharesANodeOnlyWhenNoOtherChoice() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-16383")
                .node("redis-1").onNode("k8s-a")
                .meshed().build();

        Plan plan = Planner.plan(view, ONE_BY_ONE);

        assertEquals(List.of("redis-1 CLUSTER_REPLICATE " + id("redis-0")), steps(plan));
    }

    @Test
    void secondReplicaGoesToTheKubernetesNodeWithFewestOfTheShard() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-16383")
                .node("redis-1").onNode("k8s-b").replicaOf("redis-0")
                .node("redis-2").onNode("k8s-b")
                .node("redis-3").onNode("k8s-c")
                .meshed().build();

        assertEquals(List.of("redis-3 CLUSTER_REPLICATE " + id("redis-0")), steps(Planner.plan(view, new DesiredShape(Mode.CLUSTER, 1, 2))));
    }

    @Test
    void eachMasterGetsOneReplicaBeforeAnyGetsTwo() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-8191")
                .node("redis-1").onNode("k8s-b").slots("8192-16383")
                .node("redis-2").onNode("k8s-b").replicaOf("redis-0")
                .node("redis-3").onNode("k8s-c")
                .node("redis-4").onNode("k8s-c")
                .meshed().build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.CLUSTER, 2, 2));

        assertEquals(List.of("redis-3 CLUSTER_REPLICATE " + id("redis-1"), "redis-4 CLUSTER_REPLICATE " + id("redis-0")), steps(plan));
        assertProblem(plan, "no empty node left to be a replica");
        assertProblem(plan, "shard of redis-1 has 0 of 2 replicas");
    }

    @Test
    void nodeHoldingDataIsNeverMadeAReplica() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-16383")
                .node("redis-1").dataAtStart()
                .meshed().build();

        Plan plan = Planner.plan(view, ONE_BY_ONE);

        assertEquals(List.of(), steps(plan));
        assertEquals(List.of("shard of redis-0 has 0 of 1 replicas", "no empty node left to be a replica"), plan.problems());
    }

}
