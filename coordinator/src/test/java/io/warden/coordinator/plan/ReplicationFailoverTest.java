package io.warden.coordinator.plan;

import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.NodeView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.warden.coordinator.plan.ClusterViewBuilder.replication;
import static io.warden.coordinator.plan.PlanAssertions.assertProblem;
import static io.warden.coordinator.plan.PlanAssertions.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationFailoverTest {

    private static final DesiredShape ONE_BY_TWO = new DesiredShape(Mode.REPLICATION, 1, 2);
    private static final String OLD_MASTER = "10.0.0.1:6379";
    private static final String NEVER_PROMOTED = "0000000000000000000000000000000000000000";

    @Test
    void deadMasterIsReplacedByTheReplicaWithTheHighestOffsetOnceDownAfterHasPassed() {
        ClusterView view = replication()
                .node("redis-0").gone(1000)
                .node("redis-1").following(OLD_MASTER).linkDownFor(Duration.ofMillis(2500)).offset(990).keys(9)
                .node("redis-2").following(OLD_MASTER).linkDownFor(Duration.ofMillis(2400)).offset(1000).keys(10)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of("redis-2 PROMOTE", "redis-1 REPLICA_OF 10.0.0.3 6379"), steps(plan));
        assertEquals("failing over from master redis-0 (10.0.0.1:6379): promoting redis-2, 1 replica follow it", plan.outcome());
    }

    @Test
    void masterWhoseProcessIsGoneIsReplacedAsSoonAsItsReplicasAgree() {
        ClusterView view = replication()
                .node("redis-0").gone(1000)
                .node("redis-1").following(OLD_MASTER).linkDownFor(Duration.ofMillis(100)).offset(1000).keys(10)
                .node("redis-2").following(OLD_MASTER).linkDownFor(Duration.ofMillis(50)).offset(990).keys(10)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of("redis-1 PROMOTE", "redis-2 REPLICA_OF 10.0.0.2 6379"), steps(plan));
    }

    @Test
    void agreementYoungerThanDownAfterWaits() {
        ClusterView view = replication()
                .node("redis-0").downAfterOffset(1000)
                .node("redis-1").following(OLD_MASTER).linkDownFor(Duration.ofMillis(5000)).offset(1000).keys(10)
                .node("redis-2").following(OLD_MASTER).linkDownFor(Duration.ofMillis(1500)).offset(1000).keys(10)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of(), steps(plan));
        assertEquals("nothing I can do: master redis-0 (10.0.0.1:6379) is down: its replicas agree for 1500 of 2000 ms", plan.outcome());
    }

    @Test
    void silentMasterAgentAloneIsNoEvidence() {
        ClusterView view = replication()
                .node("redis-0").downAfterOffset(1000)
                .node("redis-1").following(OLD_MASTER).linkDownFor(Duration.ofSeconds(10)).offset(1000).keys(10)
                .node("redis-2").following(OLD_MASTER).offset(1000).keys(10)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of(), steps(plan), "redis-2 still replicates from redis-0: it is alive");
    }

    @Test
    void replicaTooFarBehindTheDeadMasterIsNotPromoted() {
        ClusterView view = replication()
                .node("redis-0").gone(5_000_000)
                .node("redis-1").following(OLD_MASTER).linkDownFor(Duration.ofSeconds(3)).offset(3_000_000).keys(10)
                .node("redis-2").following(OLD_MASTER).linkDownFor(Duration.ofSeconds(3)).offset(2_000_000).keys(10)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of(), steps(plan));
        assertProblem(plan, "not promoting redis-1: it is 2000000 bytes behind master redis-0 (10.0.0.1:6379)'s last known offset "
                + "5000000, over the limit of 1048576");
    }

    @Test
    void onEqualOffsetsTheReplicaWhoseLinkWasUpMostRecentlyWins() {
        ClusterView view = replication()
                .node("redis-0").gone(1000)
                .node("redis-1").following(OLD_MASTER).linkDownFor(Duration.ofMillis(4000)).offset(1000).keys(10)
                .node("redis-2").following(OLD_MASTER).linkDownFor(Duration.ofMillis(3000)).offset(1000).keys(10)
                .build();

        assertEquals("redis-2 PROMOTE", steps(Planner.plan(view, ONE_BY_TWO)).get(0));
    }

    @Test
    void thenAReplicaOnAnotherKubernetesNodeThanTheDeadMaster() {
        ClusterView view = replication()
                .node("redis-0").onNode("k8s-a").gone(1000)
                .node("redis-1").onNode("k8s-a").following(OLD_MASTER).linkDownFor(Duration.ofMillis(3000)).offset(1000).keys(10)
                .node("redis-2").onNode("k8s-b").following(OLD_MASTER).linkDownFor(Duration.ofMillis(3000)).offset(1000).keys(10)
                .build();

        assertEquals("redis-2 PROMOTE", steps(Planner.plan(view, ONE_BY_TWO)).get(0));
    }

    @Test
    void formerMasterThatComesBackRejoinsTheOneThatContinuedItsHistoryEvenWhenAhead() {
        ClusterView view = replication()
                .node("redis-0").offset(9000).keys(90).history("aaaa", NEVER_PROMOTED)
                .node("redis-1").offset(3000).keys(30).history("bbbb", "aaaa")
                .node("redis-2").following("10.0.0.2:6379").offset(3000).keys(30).history("bbbb", "aaaa")
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of("redis-0 REPLICA_OF 10.0.0.2 6379"), steps(plan));
        assertTrue(plan.steps().get(0).why().startsWith("a former master: redis-1 continues its replication history"), plan.steps().get(0).why());
        assertEquals("redis-1", Planner.leaseHolder(view).map(NodeView::name).orElse("none"));
    }

    @Test
    void replicaReportingKeysBeforeItsMasterDoesIsNoEmptyRestart() {
        ClusterView view = replication()
                .node("redis-0").offset(100).keys(0).history("same", NEVER_PROMOTED)
                .node("redis-1").following(OLD_MASTER).offset(140).keys(3).history("same", NEVER_PROMOTED)
                .node("redis-2").following(OLD_MASTER).linkDown().offset(140).keys(3).history("same", NEVER_PROMOTED)
                .build();

        assertEquals(List.of(), steps(Planner.plan(view, ONE_BY_TWO)));
    }

    @Test
    void leaseGoesToTheFollowedMasterOnly() {
        ClusterView view = replication()
                .node("redis-0").offset(1000).keys(10)
                .node("redis-1").following(OLD_MASTER).offset(1000).keys(10)
                .node("redis-2").offset(0)
                .build();

        assertEquals("redis-0", Planner.leaseHolder(view).map(NodeView::name).orElse("none"));
    }

    @Test
    void noLeaseForAnEmptyMasterWhileAnotherNodeHoldsData() {
        ClusterView view = replication()
                .node("redis-0")
                .node("redis-1").following(OLD_MASTER).linkDown().offset(5000).keys(100)
                .build();

        assertEquals("none", Planner.leaseHolder(view).map(NodeView::name).orElse("none"));
    }

    @Test
    void masterRestartedEmptyIsReplacedAtOnceBeforeItsReplicasResync() {
        ClusterView view = replication()
                .node("redis-0").offset(0).keys(0).history("new-after-restart", NEVER_PROMOTED)
                .node("redis-1").following(OLD_MASTER).linkDown().offset(5000).keys(100).history("before-restart", NEVER_PROMOTED)
                .node("redis-2").following(OLD_MASTER).linkDown().offset(4900).keys(100).history("before-restart", NEVER_PROMOTED)
                .build();

        Plan plan = Planner.plan(view, ONE_BY_TWO);

        assertEquals(List.of("redis-1 PROMOTE", "redis-2 REPLICA_OF 10.0.0.2 6379", "redis-0 REPLICA_OF 10.0.0.2 6379"), steps(plan));
        assertEquals("master redis-0 restarted empty while redis-1 holds data: promoting redis-1 before the replicas resync from the "
                + "empty master", plan.outcome());
    }
}
