package io.warden.coordinator.plan;

import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.warden.coordinator.plan.ClusterViewBuilder.replication;
import static io.warden.coordinator.plan.PlanAssertions.assertProblem;
import static io.warden.coordinator.plan.PlanAssertions.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationPlannerTest {

    private static final DesiredShape ONE_BY_TWO = new DesiredShape(Mode.REPLICATION, 1, 2);

    @Test
    void replicationBootstrapPicksTheNodeWithData() {
        ClusterView view = replication()
                .node("redis-0")
                .node("redis-1").offset(500).keys(100).dataAtStart()
                .node("redis-2")
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of("redis-0 REPLICA_OF 10.0.0.2 6379", "redis-2 REPLICA_OF 10.0.0.2 6379"), steps(plan));
        assertEquals("pointing 2 nodes at master redis-1 (10.0.0.2:6379)", plan.outcome());
        assertEquals("an empty master joins redis-1 as its replica", plan.steps().get(0).why());
        assertEquals(List.of("0 of 2 replicas follow master redis-1"), plan.problems());
    }

    @Test
    void freshEmptyNodesFollowTheFirstByName() {
        ClusterView view = replication().node("redis-0").node("redis-1").node("redis-2").build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of("redis-1 REPLICA_OF 10.0.0.1 6379", "redis-2 REPLICA_OF 10.0.0.1 6379"), steps(plan));
    }

    @Test
    void afterASwitchoverTheNewMasterIsKeptAndTheReplicaLeftOnTheOldMasterFollowsIt() {
        // FAILOVER TO made redis-1 master and redis-0 its replica; redis-2 still follows redis-0, now a replica itself.
        ClusterView view = replication()
                .node("redis-0").following("10.0.0.2:6379").offset(5_000).keys(10)
                .node("redis-1").offset(5_000).keys(10)
                .node("redis-2").following("10.0.0.1:6379").offset(5_000).keys(10)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of("redis-2 REPLICA_OF 10.0.0.2 6379"), steps(plan));
        assertEquals("pointing 1 node at master redis-1 (10.0.0.2:6379)", plan.outcome());
    }

    @Test
    void replicasRepointedAfterMasterMovedAddress() {
        ClusterView view = replication()
                .node("redis-0").at("10.1.0.1:6379").offset(1000).keys(10).dataAtStart()
                .node("redis-1").following("10.0.0.1:6379").linkDown().offset(1000).keys(10)
                .node("redis-2").following("10.0.0.1:6379").linkDown().offset(990).keys(10)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of("redis-1 REPLICA_OF 10.1.0.1 6379", "redis-2 REPLICA_OF 10.1.0.1 6379"), steps(plan));
        assertEquals("it follows 10.0.0.1:6379, not master redis-0", plan.steps().get(0).why());
    }

    @Test
    void emptyMastersAfterAFullRestartDoNotOutrankTheReplicaWithData() {
        ClusterView view = replication()
                .node("redis-0")
                .node("redis-1").following("10.0.0.9:6379").offset(800).keys(50)
                .build();

        Plan plan = Planner.plan(view, new DesiredShape(Mode.REPLICATION, 1, 1));

        assertEquals(List.of(), steps(plan));
        assertEquals(List.of("no reachable master (redis-1, a replica, has the most data)"), plan.problems());
    }

    @Test
    void noReachableMasterIsAProblemNotAStep() {
        ClusterView view = replication()
                .node("redis-0").down()
                .node("redis-1").following("10.0.0.1:6379").linkDown().offset(700).keys(5)
                .node("redis-2").following("10.0.0.1:6379").linkDown().offset(690).keys(5)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of(), steps(plan));
        assertEquals("nothing I can do: no reachable master (redis-1, a replica, has the most data)", plan.outcome());
        assertEquals(List.of("no reachable master (redis-1, a replica, has the most data)", "redis-0 is unreachable"), plan.problems());
    }

    @Test
    void masterWithDataBehindIsDemotedAndSaysSo() {
        ClusterView view = replication()
                .node("redis-0").offset(1000).keys(10)
                .node("redis-1").following("10.0.0.1:6379").offset(1000).keys(10)
                .node("redis-2").offset(400).keys(7)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of("redis-2 REPLICA_OF 10.0.0.1 6379"), steps(plan));
        assertTrue(plan.steps().get(0).why().startsWith("demoting a master holding data: its offset 400 is at most master redis-0's 1000"),
                plan.steps().get(0).why());
        assertEquals(List.of("1 of 2 replicas follow master redis-0"), plan.problems());
    }

    @Test
    void nodeAheadOfTheFollowedMasterIsLeftAlone() {
        ClusterView view = replication()
                .node("redis-0").offset(1000).keys(10)
                .node("redis-1").following("10.0.0.1:6379").offset(1000).keys(10)
                .node("redis-2").offset(3000).keys(30)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of(), steps(plan));
        assertProblem(plan, "redis-2 is ahead of master redis-0 (offset 3000 > 1000); not repointing it");
    }

    @Test
    void healthyReplicationPlansNothing() {
        ClusterView view = replication()
                .node("redis-0").offset(1000).keys(10)
                .node("redis-1").following("10.0.0.1:6379").offset(1000).keys(10)
                .node("redis-2").following("10.0.0.1:6379").offset(1000).keys(10)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of(), steps(plan));
        assertEquals("nothing to do: 1 master × 2 replicas healthy", plan.outcome());
        assertEquals(List.of(), plan.problems());
    }

    @Test
    void replicaLinkDownAndMissingReplicaAreReported() {
        ClusterView view = replication()
                .node("redis-0").offset(1000).keys(10)
                .node("redis-1").following("10.0.0.1:6379").linkDown().offset(900).keys(10)
                .node("redis-2").down()
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of(), steps(plan));
        assertEquals(List.of("redis-2 is unreachable", "1 of 2 replicas follow master redis-0",
                "redis-1's replication link to redis-0 is down"), plan.problems());
    }
}
