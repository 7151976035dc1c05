package io.warden.agent.heartbeat;

import io.warden.agent.AgentConfig.Identity;
import io.warden.agent.redis.RedisObservation;
import io.warden.agent.redis.RedisObservation.Reachability;
import io.warden.common.redis.ClusterNodesParser;
import io.warden.common.redis.RedisInfoParser;
import io.warden.common.wire.AgentReport;
import io.warden.common.wire.ClusterViewDigest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportBuilderTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final Identity ME = new Identity("redis-0", "10.0.0.1:6379", "http://10.0.0.1:9736", "k8s-a", "", Optional.empty());

    private static RedisObservation clusterNode(String nodesText) {
        return new RedisObservation(Instant.EPOCH, Duration.ZERO, Reachability.up(),
                Optional.of(RedisInfoParser.parse("role:master\r\ncluster_enabled:1\r\nmaster_repl_offset:7\r\n")),
                Optional.empty(), Optional.of(A), OptionalLong.empty(), 1, ClusterNodesParser.parse(nodesText));
    }

    @Test
    void viewIsSentUntilTheCoordinatorHoldsItsDigestThenLeftOut() {
        RedisObservation observation = clusterNode(A + " 10.0.0.1:6379@16379 myself,master - 0 0 1 connected 0-16383\n"
                + B + " 10.0.0.2:6379@16379 slave " + A + " 0 0 1 connected\n");

        AgentReport first = ReportBuilder.report(ME, observation, false, 1, null, 0, "", false, false);
        assertEquals(2, first.clusterNodes().size());
        assertFalse(first.clusterViewOmitted());

        AgentReport steady = ReportBuilder.report(ME, observation, false, 1, null, 0, first.clusterViewHash(), false, false);
        assertTrue(steady.clusterViewOmitted());
        assertEquals(first.clusterViewHash(), steady.clusterViewHash());
    }

    @Test
    void aChangedViewIsSentAgain() {
        RedisObservation before = clusterNode(A + " 10.0.0.1:6379@16379 myself,master - 0 0 1 connected 0-16383\n");
        RedisObservation after = clusterNode(A + " 10.0.0.1:6379@16379 myself,master - 0 0 1 connected 0-8191\n");
        String held = ClusterViewDigest.of(before.clusterNodes());

        AgentReport report = ReportBuilder.report(ME, after, false, 1, null, 0, held, false, false);

        assertFalse(report.clusterViewOmitted());
        assertEquals(1, report.clusterNodes().size());
    }

    @Test
    void digestIgnoresTheOrderRedisListsNodesIn() {
        String a = A + " 10.0.0.1:6379@16379 myself,master - 0 0 1 connected 0-16383\n";
        String b = B + " 10.0.0.2:6379@16379 slave " + A + " 0 0 1 connected\n";
        assertEquals(ClusterViewDigest.of(ClusterNodesParser.parse(a + b)), ClusterViewDigest.of(ClusterNodesParser.parse(b + a)));
    }
}
