package io.warden.coordinator.it;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisCli;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.WriterReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A coordinator that stops in the middle of a scale: the next one finishes every migration, no slot stays open. */
class MigrationResumeIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void coordinatorStoppedMidMigrationIsFollowedByOneThatFinishesIt() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            List<InetSocketAddress> seeds = ScaleIT.healthyWithKeys(d, 100_000);

            try (ContinuousWriter writer = ContinuousWriter.cluster(seeds, 200)) {
                ScaleIT.accept(d, "{\"shards\": 4}");
                Eventually.await(Duration.ofSeconds(60), "slots to start moving", () -> {
                    TopologyDocument.Scale scale = d.topology().scale();
                    return scale != null && scale.slotsMoved() > 0 || !d.topology().migrations().isEmpty();
                });
                d.stopCoordinator();
                // What a crash can leave besides: one slot half moved, open on both sides, some keys already on the target.
                leaveASlotHalfMoved(d);

                d.startCoordinator();
                TopologyDocument four = ScaleIT.awaitScaled(d, 4);

                assertEquals(2, four.epoch(), "a later term finished it");
                ScaleIT.assertBalanced(four, 4);
                RedisCli.Result check = RedisCli.run("--cluster", "check", d.servers().get(0).address());
                assertEquals(0, check.exit(), check.output());
                assertFalse(check.output().contains("migrating state") || check.output().contains("importing state"), check.output());
                ClusterBootstrapIT.assertPeerToolAgrees(d.servers().get(0), 4);

                WriterReport report = writer.stopAndVerify();
                assertTrue(report.nothingLost(), report.toString());
                long keys = d.servers().stream().filter(s -> s.commands().info("replication").contains("role:master"))
                        .mapToLong(s -> s.commands().dbsize()).sum();
                assertTrue(keys >= 100_000 + report.acknowledged(), keys + " keys on the masters");
            }
        }
    }

    /** Opens one slot of redis-0 toward the new master redis-6 and moves part of its keys by hand. */
    private static void leaveASlotHalfMoved(TestDeployment d) {
        RedisServer source = d.servers().get(0);
        RedisServer target = d.servers().get(6);
        RedisCommands<String, String> s = source.commands();
        RedisCommands<String, String> t = target.commands();
        // Wait for whatever the stopped coordinator's last instruction still does (an agent finishes what it opened).
        Eventually.await(Duration.ofSeconds(30), "no slot open", () -> !s.clusterNodes().contains("->-") && !t.clusterNodes().contains("-<-"));
        String sourceId = s.clusterMyId();
        int slot = firstSlotWithKeys(s);
        t.clusterSetSlotImporting(slot, sourceId);
        s.clusterSetSlotMigrating(slot, t.clusterMyId());
        List<String> some = s.clusterGetKeysInSlot(slot, 2);
        s.migrate(target.host(), target.port(), 0, 5000, MigrateArgs.Builder.keys(some));
        assertTrue(t.clusterCountKeysInSlot(slot) > 0, "the target holds part of slot " + slot);
    }

    private static int firstSlotWithKeys(RedisCommands<String, String> redis) {
        String myself = redis.clusterNodes().lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
        String[] parts = myself.split(" ");
        for (int i = 8; i < parts.length; i++) {
            if (parts[i].startsWith("[")) {
                continue;
            }
            int start = Integer.parseInt(parts[i].split("-")[0]);
            int end = parts[i].contains("-") ? Integer.parseInt(parts[i].split("-")[1]) : start;
            for (int slot = start; slot <= end; slot++) {
                if (redis.clusterCountKeysInSlot(slot) > 2) {
                    return slot;
                }
            }
        }
        throw new AssertionError("no slot with keys on " + myself);
    }
}
