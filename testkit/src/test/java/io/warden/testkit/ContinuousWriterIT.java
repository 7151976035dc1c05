package io.warden.testkit;

import io.lettuce.core.Range;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The yardstick must see what it claims to: every acknowledged write back, and a write that vanished. */
class ContinuousWriterIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void readsBackEveryAcknowledgedWrite() {
        RedisServer server = redis.start(RedisSpec.standalone());
        try (ContinuousWriter writer = ContinuousWriter.masterFollowing(() -> Optional.of(address(server)), 500)) {
            writer.awaitProgress(200, Duration.ofSeconds(10));
            WriterReport report = writer.stopAndVerify();
            assertTrue(report.acknowledged() >= 200, report.toString());
            assertTrue(report.nothingLost(), report.toString());
        }
    }

    @Test
    void countsAnAcknowledgedWriteThatDisappeared() {
        RedisServer server = redis.start(RedisSpec.standalone());
        try (ContinuousWriter writer = ContinuousWriter.masterFollowing(() -> Optional.of(address(server)), 500)) {
            writer.awaitProgress(100, Duration.ofSeconds(10));
            writer.stop();
            server.commands().del(ContinuousWriter.key(3));
            WriterReport report = writer.stopAndVerify();
            assertEquals(1, report.lost(), report.toString());
            assertEquals(List.of("w:3"), report.sampleLostKeys());
        }
    }

    @Test
    void followsTheMasterAfterItMovesAndMeasuresTheGap() {
        RedisServer first = redis.start(RedisSpec.standalone());
        RedisServer second = redis.startReplicaInSync(RedisSpec.standalone(), first);
        List<InetSocketAddress> nodes = List.of(address(first), address(second));
        try (ContinuousWriter writer = ContinuousWriter.masterFollowing(ContinuousWriter.firstMasterOf(() -> nodes), 500)) {
            writer.awaitProgress(100, Duration.ofSeconds(10));
            second.commands().replicaofNoOne();
            first.commands().replicaof(second.host(), second.port());
            writer.awaitProgress(100, Duration.ofSeconds(10));
            WriterReport report = writer.stopAndVerify();
            assertTrue(report.errors().values().stream().mapToLong(Long::longValue).sum() > 0, report.toString());
            assertTrue(report.longestGap().toMillis() > 0, report.toString());
        }
    }

    @Test
    void aHashTagPutsEveryWriteInOneSlot() {
        RedisServer node = redis.start(RedisSpec.standalone().clusterEnabled());
        node.commands().clusterAddSlotsRange(Range.create(0, 16383));
        Eventually.await(Duration.ofSeconds(10), "cluster_state:ok", () -> node.commands().clusterInfo().contains("cluster_state:ok"),
                () -> node.commands().clusterInfo());
        try (ContinuousWriter writer = ContinuousWriter.cluster(List.of(address(node)), 500, "bench")) {
            writer.awaitProgress(100, Duration.ofSeconds(10));
            WriterReport report = writer.stopAndVerify();
            assertTrue(report.nothingLost(), report.toString());
            int slot = SlotHash.getSlot("bench");
            assertEquals(report.acknowledged(), node.commands().clusterCountKeysInSlot(slot), report.toString());
            assertEquals(report.acknowledged(), node.commands().dbsize(), "no key outside the tag's slot");
        }
    }

    private static InetSocketAddress address(RedisServer server) {
        return new InetSocketAddress(server.host(), server.port());
    }
}
