package io.warden.coordinator.restore;

import io.warden.common.snapshot.ManifestJson;
import io.warden.common.snapshot.SnapshotKey;
import io.warden.common.snapshot.SnapshotManifest;
import io.warden.common.snapshot.StoredSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestoreChoiceTest {

    private static final Instant MONDAY = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant TUESDAY = Instant.parse("2026-03-03T10:00:00Z");

    private static StoredSnapshot good(String shard, Instant at, String... slots) {
        SnapshotKey key = SnapshotKey.at("local", shard, at);
        SnapshotManifest manifest = new SnapshotManifest(key.id(), "local", shard, key.name(), List.of(slots), "id", "redis-3", "replica",
                "7.0.15", 100, "a".repeat(64), "0", 0, 10, at.toString(), at.toString());
        return StoredSnapshot.judge(key, 100, Optional.of(ManifestJson.encode(manifest)));
    }

    private static StoredSnapshot bad(String shard, Instant at) {
        return StoredSnapshot.judge(SnapshotKey.at("local", shard, at), 100, Optional.empty());
    }

    private static List<String> ids(RestoreChoice choice) {
        return choice.shards().stream().map(RestoreChoice.Chosen::id).toList();
    }

    @Test
    void theNewestSnapshotOfEveryShardOrderedByLowestSlot() throws Exception {
        RestoreChoice choice = RestoreChoice.choose(List.of(
                good("shard-1", MONDAY, "5462-10922"), good("shard-1", TUESDAY, "5462-10922"),
                good("shard-0", TUESDAY, "0-5461"), good("shard-2", TUESDAY, "10923-16383"), good("shard-0", MONDAY, "0-5461")), Optional.empty());

        assertEquals(List.of("shard-0-20260303T100000000Z", "shard-1-20260303T100000000Z", "shard-2-20260303T100000000Z"), ids(choice));
        assertEquals(List.of(), choice.notes());
    }

    @Test
    void atPicksTheNewestTakenAtOrBeforeIt() throws Exception {
        RestoreChoice choice = RestoreChoice.choose(List.of(
                good("shard-0", MONDAY, "0-8191"), good("shard-0", TUESDAY, "0-8191"),
                good("shard-1", MONDAY, "8192-16383"), good("shard-1", TUESDAY, "8192-16383")), Optional.of(MONDAY.plusSeconds(3600)));

        assertEquals(List.of("shard-0-20260302T100000000Z", "shard-1-20260302T100000000Z"), ids(choice));
    }

    @Test
    void aBadNewestSnapshotFallsBackToTheNewestGoodOneAndSaysSo() throws Exception {
        RestoreChoice choice = RestoreChoice.choose(List.of(
                good("shard-0", TUESDAY, "0-8191"), good("shard-1", MONDAY, "8192-16383"), bad("shard-1", TUESDAY)), Optional.empty());

        assertEquals(List.of("shard-0-20260303T100000000Z", "shard-1-20260302T100000000Z"), ids(choice));
        assertTrue(choice.notes().get(0).startsWith("shard-1: its newest snapshot shard-1-20260303T100000000Z is bad (manifest missing"),
                choice.notes().toString());
    }

    @Test
    void aShardFromBeforeAScaleInIsLeftOutWhenNewerSnapshotsHoldItsSlots() throws Exception {
        RestoreChoice choice = RestoreChoice.choose(List.of(
                good("shard-0", TUESDAY, "0-8191"), good("shard-1", TUESDAY, "8192-16383"), good("shard-2", MONDAY, "10923-16383")),
                Optional.empty());

        assertEquals(2, choice.shards().size());
        assertEquals(List.of("shard-2 left out: shard-2-20260302T100000000Z serves slots 10923-16383 that newer snapshots hold"
                + " (its shard predates a shape change)"), choice.notes());
    }

    @Test
    void missingSlotsRefuseNamingThemAndWhy() {
        RestoreChoice.Refused refused = assertThrows(RestoreChoice.Refused.class, () -> RestoreChoice.choose(List.of(
                good("shard-0", TUESDAY, "0-5461"), good("shard-1", TUESDAY, "5462-10922"), bad("shard-2", TUESDAY)), Optional.empty()));

        assertTrue(refused.getMessage().startsWith("slots 10923-16383 are in no chosen snapshot (shard-2 left out: no good snapshot"),
                refused.getMessage());
    }

    @Test
    void atBeforeEverySnapshotRefuses() {
        RestoreChoice.Refused refused = assertThrows(RestoreChoice.Refused.class, () -> RestoreChoice.choose(List.of(
                good("shard-0", TUESDAY, "0-16383")), Optional.of(MONDAY)));

        assertEquals("slots 0-16383 are in no chosen snapshot (shard-0 left out: no snapshot taken at or before 2026-03-02T10:00:00Z)",
                refused.getMessage());
    }

    @Test
    void replicationModeSnapshotsAreRefused() {
        RestoreChoice.Refused refused = assertThrows(RestoreChoice.Refused.class, () -> RestoreChoice.choose(List.of(
                good("shard-0", TUESDAY)), Optional.empty()));

        assertTrue(refused.getMessage().contains("replication-mode snapshot"), refused.getMessage());
    }
}
