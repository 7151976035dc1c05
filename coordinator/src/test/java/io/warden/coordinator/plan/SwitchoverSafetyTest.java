package io.warden.coordinator.plan;

import io.warden.coordinator.plan.SwitchoverSafety.Decision;
import io.warden.coordinator.plan.SwitchoverSafety.Verdict;
import io.warden.coordinator.topology.ClusterView;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.warden.coordinator.plan.ClusterViewBuilder.cluster;
import static io.warden.coordinator.plan.ClusterViewBuilder.replication;
import static io.warden.coordinator.plan.PlanAssertions.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SwitchoverSafetyTest {

    private static final long MIB = 1024 * 1024;

    /** shard-0 = redis-0 (k8s-a, slots 0-8191) with replicas redis-2 (k8s-a) and redis-3 (k8s-b); shard-1 = redis-1 + redis-4. */
    private static ClusterViewBuilder twoShards() {
        return cluster()
                .node("redis-0").onNode("k8s-a").slots("0-8191").offset(10_000)
                .node("redis-1").onNode("k8s-b").slots("8192-16383").offset(10_000)
                .node("redis-2").onNode("k8s-a").replicaOf("redis-0").offset(10_000)
                .node("redis-3").onNode("k8s-b").replicaOf("redis-0").offset(9_900)
                .node("redis-4").onNode("k8s-a").replicaOf("redis-1").offset(10_000)
                .meshed();
    }

    private static Verdict check(ClusterView view, String shard, String to) {
        return SwitchoverSafety.check(view, shard, Optional.ofNullable(to), Optional.empty());
    }

    private static Decision allowed(Verdict verdict) {
        return verdict.decision().orElseThrow(() -> new AssertionError("refused: " + verdict.refusal()));
    }

    private static void assertRefused(Verdict verdict, String reason) {
        assertFalse(verdict.allowed(), "allowed, expected refusal: " + reason);
        assertEquals(reason, verdict.refusal());
    }

    @Test
    void aReplicaOnAnotherKubernetesNodeWinsOverAHigherOffsetNextToTheMaster() {
        Decision decision = allowed(check(twoShards().build(), "shard-0", null));

        assertEquals("redis-3", decision.to().name());
        assertEquals("redis-3 CLUSTER_FAILOVER", line(decision.handover()));
        assertEquals(List.of(), decision.repoint());
        assertEquals("switching shard-0 over from redis-0 to redis-3 with CLUSTER FAILOVER", decision.sentence());
    }

    @Test
    void amongReplicasAwayFromTheMasterTheHighestOffsetWins() {
        ClusterView view = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-16383").offset(10_000)
                .node("redis-1").onNode("k8s-b").replicaOf("redis-0").offset(9_000)
                .node("redis-2").onNode("k8s-c").replicaOf("redis-0").offset(9_500)
                .meshed().build();

        assertEquals("redis-2", allowed(check(view, "shard-0", null)).to().name());
    }

    @Test
    void aDrainingReplicaIsNeverChosen() {
        ClusterView view = twoShards().build();
        ClusterView drainingAway = cluster()
                .node("redis-0").onNode("k8s-a").slots("0-16383").offset(10_000)
                .node("redis-2").onNode("k8s-a").replicaOf("redis-0").offset(10_000)
                .node("redis-3").onNode("k8s-b").replicaOf("redis-0").offset(10_000).draining()
                .meshed().build();

        assertEquals("redis-3", allowed(check(view, "shard-0", null)).to().name());
        assertEquals("redis-2", allowed(check(drainingAway, "shard-0", null)).to().name());
        assertRefused(check(drainingAway, "shard-0", "redis-3"), "redis-3 cannot take over shard-0: it is draining for shutdown");
    }

    @Test
    void namingALaggingReplicaIsRefused() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-16383").offset(10 * MIB)
                .node("redis-1").replicaOf("redis-0").offset(10 * MIB)
                .node("redis-2").replicaOf("redis-0").offset(8 * MIB)
                .meshed().build();

        assertRefused(check(view, "shard-0", "redis-2"), "redis-2 cannot take over shard-0: it lags 2097152 bytes behind (in sync means within 1048576)");
        assertEquals("redis-1", allowed(check(view, "shard-0", null)).to().name());
    }

    @Test
    void namingANodeThatCannotTakeOverThisShardIsRefused() {
        ClusterView view = twoShards().build();

        assertRefused(check(view, "shard-0", "redis-9"), "no node named redis-9");
        assertRefused(check(view, "shard-0", "redis-0"), "redis-0 is already the master of shard-0");
        assertRefused(check(view, "shard-0", "redis-4"), "redis-4 is not a replica of shard-0's master redis-0");
        assertRefused(check(view, "shard-0", "redis-1"), "redis-1 is not a replica of shard-0's master redis-0");
        assertEquals("redis-2", allowed(check(view, "shard-0", "redis-2")).to().name());
    }

    @Test
    void noReplicaInSyncRefusesWithEachReplicasReason() {
        ClusterView view = cluster()
                .node("redis-0").slots("0-16383").offset(10 * MIB)
                .node("redis-1").replicaOf("redis-0").linkDown().offset(10 * MIB)
                .node("redis-2").replicaOf("redis-0").down()
                .meshed().build();
        ClusterView alone = cluster().node("redis-0").slots("0-16383").build();

        assertRefused(check(view, "shard-0", null),
                "no replica of shard-0 may take over: redis-1 its replication link is down; redis-2 it is unreachable");
        assertRefused(check(alone, "shard-0", null), "shard-0 has no replica to hand over to");
    }

    @Test
    void aReplicaItsMasterDoesNotYetKnowAsItsOwnMustWait() {
        // Right after a switchover: redis-0 follows redis-1, but redis-1 still sees redis-0 as the master it was.
        ClusterView view = cluster()
                .node("redis-0").replicaOf("redis-1").offset(10_000).knows("redis-1")
                .node("redis-1").slots("0-16383").offset(10_000).knowsAsMaster("redis-0")
                .build();

        Verdict verdict = check(view, "shard-0", "redis-0");
        assertRefused(verdict, "redis-0 cannot take over shard-0: its master does not see it as its replica yet");
        assertEquals(true, verdict.settling(), "gossip settles it: worth asking again shortly");
        assertFalse(check(view, "shard-0", "redis-9").settling());
    }

    @Test
    void aReplicaMostMastersStillSeeAsAMasterMustWaitForItsElection() {
        // Right after a switchover back: redis-1 and redis-2 have not heard that redis-3 follows redis-0 now.
        ClusterView view = cluster()
                .node("redis-0").slots("0-5460").offset(10_000)
                .node("redis-1").slots("5461-10922")
                .node("redis-2").slots("10923-16383")
                .node("redis-3").replicaOf("redis-0").offset(10_000)
                .with("redis-1").knowsAsMaster("redis-3")
                .with("redis-2").knowsAsMaster("redis-3")
                .meshed().build();

        Verdict verdict = check(view, "shard-0", "redis-3");
        assertRefused(verdict, "redis-3 cannot take over shard-0: too few masters see it as a replica yet (1 of 3 masters), "
                + "and its election needs a majority");
        assertEquals(true, verdict.settling(), "gossip settles it: worth asking again shortly");
    }

    @Test
    void aShardWithAnOpenSlotIsAlreadyMoving() {
        ClusterView steady = twoShards().build();
        ClusterView view = cluster()
                .node("redis-0").slots("0-8191").migrating(100, "redis-1").offset(10_000)
                .node("redis-1").slots("8192-16383").importing(100, "redis-0").offset(10_000)
                .node("redis-2").replicaOf("redis-0").offset(10_000)
                .node("redis-3").replicaOf("redis-1").offset(10_000)
                .meshed().build();

        assertEquals("redis-3", allowed(check(steady, "shard-0", null)).to().name());
        assertRefused(check(view, "shard-0", null), "shard-0 is already moving: slot 100 is migrating on redis-0");
        assertRefused(check(view, "shard-1", null), "shard-1 is already moving: slot 100 is importing on redis-1");
    }

    @Test
    void anUnknownShardAnUnexpectedMasterOrAnUnreachableMasterIsRefused() {
        ClusterView view = twoShards().build();
        ClusterView masterDown = cluster()
                .node("redis-0").slots("0-16383").down()
                .node("redis-1").replicaOf("redis-0")
                .meshed().build();

        assertRefused(check(view, "shard-7", null), "no shard shard-7; the shards are shard-0, shard-1");
        assertRefused(SwitchoverSafety.check(view, "shard-0", Optional.empty(), Optional.of("redis-1")),
                "redis-1 is not the master of shard-0; redis-0 is");
        assertEquals("redis-3", allowed(SwitchoverSafety.check(view, "shard-0", Optional.empty(), Optional.of("redis-0"))).to().name());
        assertRefused(check(masterDown, "shard-0", null), "master redis-0 of shard-0 is unreachable; a planned switchover needs it "
                + "to hand over (replacing a dead master is failover's job)");
    }

    @Test
    void replicationModeHandsOverWithFailoverToAndRepointsTheOtherReplicas() {
        ClusterView view = replication()
                .node("redis-0").onNode("k8s-a").offset(5_000).keys(10)
                .node("redis-1").onNode("k8s-b").following("10.0.0.1:6379").offset(5_000).keys(10)
                .node("redis-2").onNode("k8s-c").following("10.0.0.1:6379").offset(4_000).keys(10)
                .build();

        Decision decision = allowed(check(view, "shard-0", null));

        assertEquals("redis-0 FAILOVER_TO 10.0.0.2 6379 5000", line(decision.handover()));
        assertEquals(List.of("redis-2 REPLICA_OF 10.0.0.2 6379"), decision.repoint().stream().map(PlanAssertions::line).toList());
        assertEquals("switching shard-0 over from redis-0 to redis-1 with a paused-writes handover", decision.sentence());
    }
}
