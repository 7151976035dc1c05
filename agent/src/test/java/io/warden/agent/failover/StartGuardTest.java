package io.warden.agent.failover;

import io.warden.common.redis.ClusterNodesParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartGuardTest {

    private static final String A = "73615461d769b7c26fcc772f722e2f9d7930449e";
    private static final String B = "52c45dd90b79396b873c2eb75203fed6aacd1b67";

    @Test
    void aMasterWithAReplicaRestartsGuardedWithItsPasswordHashed() {
        String view = A + " 10.0.0.5:6379@16379 myself,master - 0 0 1 connected 0-8191\n"
                + B + " 10.0.0.6:6379@16379 slave " + A + " 0 0 1 connected\n";
        String content = StartGuard.of(ClusterNodesParser.parse(view), Optional.of("secret")).orElseThrow();
        // echo -n secret | sha256sum
        assertEquals("user default on #2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b ~* &* +@all "
                + "-@read -@write -psync -sync", lastLine(content));
        assertTrue(lastLine(StartGuard.of(ClusterNodesParser.parse(view), Optional.empty()).orElseThrow()).startsWith("user default on nopass "));
    }

    @Test
    void aReplicaOrALoneMasterRestartsUnguarded() {
        String replica = B + " 10.0.0.6:6379@16379 myself,slave " + A + " 0 0 1 connected\n"
                + A + " 10.0.0.5:6379@16379 master - 0 0 1 connected 0-8191\n";
        String lone = A + " 10.0.0.5:6379@16379 myself,master - 0 0 1 connected 0-16383\n";
        for (String view : List.of(replica, lone)) {
            String content = StartGuard.of(ClusterNodesParser.parse(view), Optional.of("secret")).orElseThrow();
            assertFalse(content.contains("user "), content);
        }
        assertEquals(Optional.empty(), StartGuard.of(List.of(), Optional.empty()), "no view yet: nothing to write");
    }

    @Test
    void theGuardIsReadBackFromAclGetuser() {
        assertTrue(StartGuardState.restricted(List.of("flags", List.of("on"), "commands", "+@all -@write -@read -sync -psync")));
        assertFalse(StartGuardState.restricted(List.of("flags", List.of("on"), "commands", "+@all")));
    }

    private static String lastLine(String content) {
        String[] lines = content.strip().split("\n");
        return lines[lines.length - 1];
    }
}
