package io.warden.agent.health;

import io.warden.agent.health.Readiness.Limits;
import io.warden.agent.health.Readiness.Verdict;
import io.warden.agent.redis.RedisObservation;
import io.warden.agent.redis.RedisObservation.Reachability;
import io.warden.common.redis.ClusterInfo;
import io.warden.common.redis.RedisInfoParser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadinessTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final Limits LIMITS = new Limits(Duration.ofSeconds(5), 1_000);

    private static final String MASTER = "role:master\r\nloading:0\r\nmaster_repl_offset:5000\r\n";
    private static final String REPLICA_UP =
            "role:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n"
                    + "master_sync_in_progress:0\r\nslave_repl_offset:5000\r\nloading:0\r\n";
    private static final String REPLICA_DOWN =
            "role:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:down\r\n"
                    + "master_sync_in_progress:0\r\nslave_repl_offset:5000\r\nloading:0\r\n";

    /** An observation of a Redis that answered with {@code info}, taken at {@code NOW}. */
    private static RedisObservation seen(String info) {
        return seen(info, Optional.empty(), OptionalLong.empty(), NOW);
    }

    private static RedisObservation seen(String info, Optional<ClusterInfo> cluster, OptionalLong masterOffset, Instant at) {
        return new RedisObservation(at, Duration.ofMillis(3), Reachability.up(), Optional.of(RedisInfoParser.parse(info)),
                cluster, Optional.empty(), masterOffset, 16);
    }

    private static Verdict evaluate(RedisObservation observation) {
        return Readiness.evaluate(observation, false, LIMITS, NOW);
    }

    private static void assertNotReadyBecause(Verdict verdict, String... fragments) {
        assertFalse(verdict.ready(), verdict.toString());
        assertEquals(fragments.length, verdict.reasons().size(), verdict.toString());
        for (int i = 0; i < fragments.length; i++) {
            String reason = verdict.reasons().get(i);
            String fragment = fragments[i];
            assertTrue(reason.contains(fragment), () -> "\"" + reason + "\" lacks \"" + fragment + "\"");
        }
    }

    @Test
    void healthyMasterIsReady() {
        assertEquals(new Verdict(true, List.of()), evaluate(seen(MASTER)));
    }

    @Test
    void replicaWithLinkUpAndLagUnderLimitIsReady() {
        RedisObservation replica = seen(REPLICA_UP, Optional.empty(), OptionalLong.of(5_900), NOW);
        assertEquals(new Verdict(true, List.of()), evaluate(replica));
    }

    @Test
    void replicaWithLagExactlyAtLimitIsReady() {
        RedisObservation replica = seen(REPLICA_UP, Optional.empty(), OptionalLong.of(6_000), NOW);
        assertTrue(evaluate(replica).ready());
    }

    @Test
    void replicaWhoseMasterCouldNotBeReadIsReadyOnItsLinkAlone() {
        assertTrue(evaluate(seen(REPLICA_UP)).ready());
    }

    @Test
    void replicaLinkDownIsNotReady() {
        assertNotReadyBecause(evaluate(seen(REPLICA_DOWN)), "replica link to master 10.0.0.1:6379 is down");
    }

    @Test
    void replicaStillSyncingIsNotReady() {
        String syncing = REPLICA_UP.replace("master_sync_in_progress:0", "master_sync_in_progress:1");
        assertNotReadyBecause(evaluate(seen(syncing)), "syncing");
    }

    @Test
    void replicaLaggingOverLimitIsNotReady() {
        RedisObservation replica = seen(REPLICA_UP, Optional.empty(), OptionalLong.of(6_001), NOW);
        assertNotReadyBecause(evaluate(replica), "replica lag 1001 bytes is over the limit of 1000");
    }

    @Test
    void loadingIsNotReady() {
        assertNotReadyBecause(evaluate(seen(MASTER.replace("loading:0", "loading:1"))), "loading");
    }

    @Test
    void clusterStateFailIsNotReady() {
        RedisObservation node = seen(MASTER + "cluster_enabled:1\r\n",
                Optional.of(ClusterInfo.parse("cluster_state:fail")), OptionalLong.empty(), NOW);
        assertNotReadyBecause(evaluate(node), "cluster_state:fail");
    }

    @Test
    void clusterStateOkIsReady() {
        RedisObservation node = seen(MASTER + "cluster_enabled:1\r\n",
                Optional.of(ClusterInfo.parse("cluster_state:ok")), OptionalLong.empty(), NOW);
        assertTrue(evaluate(node).ready());
    }

    @Test
    void drainingIsNotReady() {
        assertNotReadyBecause(Readiness.evaluate(seen(MASTER), true, LIMITS, NOW), "draining");
    }

    @Test
    void observationOlderThanStaleAfterIsNotReady() {
        RedisObservation old = seen(MASTER, Optional.empty(), OptionalLong.empty(), NOW.minusMillis(5_001));
        assertNotReadyBecause(evaluate(old), "no observation of redis for 5001 ms");
    }

    @Test
    void observationExactlyStaleAfterOldIsStillReady() {
        RedisObservation old = seen(MASTER, Optional.empty(), OptionalLong.empty(), NOW.minus(LIMITS.staleAfter()));
        assertTrue(evaluate(old).ready());
    }

    @Test
    void redisDownIsNotReady() {
        RedisObservation down = RedisObservation.down(NOW, Duration.ofMillis(1),
                new Reachability(Reachability.State.DOWN, "connection refused"));
        assertNotReadyBecause(evaluate(down), "redis is not answering: connection refused");
    }

    @Test
    void authFailureIsNotReady() {
        RedisObservation denied = RedisObservation.down(NOW, Duration.ofMillis(1),
                new Reachability(Reachability.State.AUTH_FAILED, "WRONGPASS"));
        assertNotReadyBecause(evaluate(denied), "WRONGPASS");
    }

    @Test
    void nothingObservedYetIsNotReady() {
        assertNotReadyBecause(evaluate(RedisObservation.none(NOW)), "not observed yet");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String sick = REPLICA_DOWN.replace("loading:0", "loading:1");
        RedisObservation replica = seen(sick, Optional.of(ClusterInfo.parse("cluster_state:fail")),
                OptionalLong.of(9_000), NOW.minusSeconds(10));
        assertNotReadyBecause(Readiness.evaluate(replica, true, LIMITS, NOW),
                "draining", "no observation of redis for 10000 ms", "loading", "cluster_state:fail",
                "replica link to master 10.0.0.1:6379 is down", "replica lag 4000 bytes");
    }

    @Test
    void drainingStaleAndDownAreReportedTogether() {
        RedisObservation down = RedisObservation.down(NOW.minusSeconds(30), Duration.ofMillis(1),
                new Reachability(Reachability.State.DOWN, "timed out"));
        assertNotReadyBecause(Readiness.evaluate(down, true, LIMITS, NOW),
                "draining", "no observation of redis for 30000 ms", "timed out");
    }
}
