package io.warden.common.snapshot;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetentionTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private static StoredSnapshot snapshot(String shard, int minutes, boolean good) {
        SnapshotKey key = SnapshotKey.at("d", shard, T0.plusSeconds(60L * minutes));
        return new StoredSnapshot(key, 10, Optional.empty(), good ? Optional.empty() : Optional.of("manifest missing"));
    }

    @Test
    void keepsTheNewestGoodOnesPerShardAndDeletesWhatIsOlder() {
        List<StoredSnapshot> all = List.of(
                snapshot("shard-0", 1, true), snapshot("shard-0", 2, true), snapshot("shard-0", 3, false),
                snapshot("shard-0", 4, true), snapshot("shard-0", 5, true),
                snapshot("shard-1", 1, true), snapshot("shard-1", 2, true));
        List<SnapshotKey> deleted = Retention.toDelete(all, 2);
        assertEquals(List.of(all.get(0).key(), all.get(1).key(), all.get(2).key()), deleted);
    }

    @Test
    void badSnapshotsNeverCostAGoodOne() {
        List<StoredSnapshot> all = List.of(snapshot("shard-0", 1, true), snapshot("shard-0", 2, false), snapshot("shard-0", 3, false));
        assertEquals(List.of(), Retention.toDelete(all, 2));
    }

    @Test
    void restoreTakesTheNewestGoodAtOrBeforeTheTimeAsked() {
        List<StoredSnapshot> all = List.of(snapshot("shard-0", 1, true), snapshot("shard-0", 2, true), snapshot("shard-0", 3, false));
        assertEquals(all.get(1).key(), SnapshotCatalog.newestGood(all, "shard-0", Optional.empty()).orElseThrow().key());
        assertEquals(all.get(0).key(), SnapshotCatalog.newestGood(all, "shard-0", Optional.of(T0.plusSeconds(90))).orElseThrow().key());
        assertEquals(Optional.empty(), SnapshotCatalog.newestGood(all, "shard-0", Optional.of(T0)));
        assertEquals(Optional.empty(), SnapshotCatalog.newestGood(all, "shard-1", Optional.empty()));
    }
}
