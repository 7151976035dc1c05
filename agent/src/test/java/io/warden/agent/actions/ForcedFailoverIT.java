package io.warden.agent.actions;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.warden.common.redis.ClusterInfo;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A forced election that cannot win: three masters at Redis's default node timeout (15 s), one with a replica. The replica's
 * master is killed and a second master is stalled (SIGSTOP), so one vote of the two needed can come. Redis would hold
 * no other election for 60 s; the agent's next instruction past the election's window takes over without a vote, or the
 * first does when the coordinator says the vote would be refused.
 */
class ForcedFailoverIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    /** What each case does once the replica's master is dead and another master stalls. */
    private interface Case {
        void run(ForcedFailover failover, AtomicLong clock, RedisAsyncCommands<String, String> async, String deadId,
                 RedisServer replica) throws Exception;
    }

    @Test
    void aLostForcedElectionIsFollowedByATakeoverNotBySixtySecondsOfWaiting() throws Exception {
        withAMasterDeadAndAnotherStalled((failover, clock, async, deadId, replica) -> {
            String first = run(failover, async, deadId, replica, false);
            assertTrue(first.startsWith("forced failover from " + deadId), first);
            Thread.sleep(ForcedFailover.ELECTION_WINDOW.toMillis());
            assertTrue(replica.commands().info("replication").contains("role:slave"),
                    "with one master stalled the election has one vote of two and cannot win");
            CompletionException early = assertThrows(CompletionException.class, () -> run(failover, async, deadId, replica, false));
            assertTrue(early.getCause().getMessage().contains("is under way"), early.getCause().getMessage());

            clock.addAndGet(ForcedFailover.ELECTION_WINDOW.toNanos()); // the agent's clock: the window has passed
            String second = run(failover, async, deadId, replica, false);
            assertTrue(second.startsWith("took over from " + deadId + " without a vote"), second);
        });
    }

    @Test
    void aVoteTheCoordinatorSawWouldBeRefusedIsNotAskedFor() throws Exception {
        withAMasterDeadAndAnotherStalled((failover, clock, async, deadId, replica) -> {
            String result = run(failover, async, deadId, replica, true);
            assertTrue(result.startsWith("took over from " + deadId + " without a vote"), result);
            assertTrue(replica.logLinesMentioning("Starting a failover election").isEmpty(), "no election was held");
        });
    }

    /**
     * Three masters and a replica of the first; the first is killed, the second stalled. After {@code steps}, the
     * replica serves the dead master's slots and takes writes.
     */
    private void withAMasterDeadAndAnotherStalled(Case steps) throws Exception {
        List<RedisServer> masters = List.of(start(), start(), start());
        RedisServer replica = start();
        form(masters, replica);
        String deadId = masters.get(0).commands().clusterMyId();
        AtomicLong clock = new AtomicLong(System.nanoTime());
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(replica.host()).withPort(replica.port())
                .withTimeout(Duration.ofSeconds(5)).build());
        RedisServer stalled = masters.get(1);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            masters.get(0).kill();
            Eventually.await(Duration.ofSeconds(10), "the replica's link down",
                    () -> replica.commands().info("replication").contains("master_link_status:down"));
            stalled.pause();

            steps.run(new ForcedFailover(clock::get), clock, connection.async(), deadId, replica);

            Eventually.await(Duration.ofSeconds(10), "the replica to serve the dead master's slots",
                    () -> replica.commands().clusterNodes().lines()
                            .anyMatch(l -> l.contains("myself,master") && l.endsWith(" 0-5460")),
                    () -> replica.commands().clusterNodes()
                            + String.join("\n", replica.logLinesMentioning("failover", "election", "taking over")));
            String key = IntStream.range(0, 100).mapToObj(i -> "k" + i)
                    .filter(k -> replica.commands().clusterKeyslot(k) <= 5460).findFirst().orElseThrow();
            assertEquals("OK", replica.commands().set(key, "v"), "the new master takes writes while a master is still stalled");
        } finally {
            stalled.resume();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private RedisServer start() {
        return redis.start(RedisSpec.standalone().clusterEnabled());
    }

    /** Three masters holding every slot between them, and a replica of the first; every node sees the same. */
    private static void form(List<RedisServer> masters, RedisServer replica) {
        int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, 16383}};
        for (int i = 0; i < 3; i++) {
            masters.get(i).commands().clusterAddSlotsRange(Range.create(ranges[i][0], ranges[i][1]));
        }
        RedisServer first = masters.get(0);
        List<RedisServer> all = List.of(first, masters.get(1), masters.get(2), replica);
        all.stream().skip(1).forEach(n -> first.commands().clusterMeet(n.host(), n.port()));
        Eventually.await(Duration.ofSeconds(20), "all four nodes to know each other",
                () -> all.stream().allMatch(n -> n.commands().clusterNodes().lines().filter(l -> !l.contains("handshake")).count() == 4));
        String firstId = first.commands().clusterMyId();
        replica.commands().clusterReplicate(firstId);
        String replicaId = replica.commands().clusterMyId();
        Eventually.await(Duration.ofSeconds(20), "every node to see the replica of the first master, the cluster ok",
                () -> all.stream().allMatch(n -> n.commands().clusterInfo().contains("cluster_state:ok")
                        && n.commands().clusterNodes().lines().anyMatch(l -> l.startsWith(replicaId) && l.contains("slave " + firstId)))
                        && replica.commands().info("replication").contains("master_link_status:up"));
    }

    /** One run of the instruction, as the agent's executor gets it: decided at the replica's current epoch. */
    private static String run(ForcedFailover failover, RedisAsyncCommands<String, String> async, String deadId, RedisServer replica,
                              boolean withoutVote) {
        long epoch = ClusterInfo.parse(replica.commands().clusterInfo()).longValue("cluster_current_epoch").orElse(0);
        return failover.run(async, deadId, epoch, withoutVote).toCompletableFuture().join();
    }
}
