package io.warden.coordinator.restore;

import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.common.snapshot.SnapshotCatalog;
import io.warden.common.snapshot.SnapshotManifest;
import io.warden.common.snapshot.StoredSnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which snapshots restore a whole cluster-mode deployment, or why none can. Pure.
 * <ol>
 *   <li>Per shard in the listing, its newest good snapshot (taken at or before {@code at} when given); a shard with
 *       none is left out, and said so.</li>
 *   <li>Newest first, a snapshot whose slots overlap a newer chosen one is skipped: its shard predates a shape
 *       change (scale in, slots moved), and the newer snapshot holds those slots' keys as they were later.</li>
 *   <li>The chosen snapshots must cover all 16384 slots; otherwise nothing is restored and the missing slots
 *       are named with what left them out.</li>
 *   <li>They are ordered by their lowest slot, the order the topology document numbers shards in.</li>
 * </ol>
 *
 * @param shards  the chosen snapshots, one per shard of the restored deployment
 * @param notes   what was left out and why, in words
 */
public record RestoreChoice(List<Chosen> shards, List<String> notes) {

    /** One shard's snapshot, its manifest and the slots the manifest lists. */
    public record Chosen(StoredSnapshot snapshot, SnapshotManifest manifest, SlotSet slots) {

        public String id() {
            return manifest.id();
        }

        public int lowestSlot() {
            return slots.ranges().get(0).start();
        }
    }

    /** Why no restore is possible; the message is for people. */
    public static final class Refused extends Exception {

        public Refused(String message) {
            super(message);
        }
    }

    public static RestoreChoice choose(List<StoredSnapshot> listing, Optional<Instant> at) throws Refused {
        if (listing.isEmpty()) {
            throw new Refused("there are no snapshots");
        }
        List<String> notes = new ArrayList<>();
        List<Chosen> candidates = new ArrayList<>();
        for (Map.Entry<String, List<StoredSnapshot>> shard : SnapshotCatalog.byShard(listing).entrySet()) {
            Optional<StoredSnapshot> newest = SnapshotCatalog.newestGood(shard.getValue(), shard.getKey(), at);
            if (newest.isEmpty()) {
                notes.add(shard.getKey() + " left out: " + whyNone(shard.getValue(), at));
                continue;
            }
            SnapshotManifest manifest = newest.get().manifest().orElseThrow();
            shard.getValue().stream().filter(s -> at.isEmpty() || !s.key().time().isAfter(at.get())).findFirst()
                    .filter(s -> !s.good())
                    .ifPresent(bad -> notes.add(shard.getKey() + ": its newest snapshot " + bad.key().id() + " is bad ("
                            + bad.problem().orElse("") + "); " + manifest.id() + " is restored instead"));
            if (manifest.slots().isEmpty()) {
                throw new Refused(manifest.id() + " lists no slots: it is a replication-mode snapshot, and a whole-deployment restore"
                        + " places cluster-mode shards by their slots (restore a replication deployment with bin/warden agent restore)");
            }
            try {
                candidates.add(new Chosen(newest.get(), manifest, SlotSet.of(manifest.slots().stream().map(SlotRange::parse).toList())));
            } catch (IllegalArgumentException e) {
                throw new Refused(manifest.id() + "'s manifest lists slots that do not parse: " + manifest.slots());
            }
        }
        List<Chosen> chosen = new ArrayList<>();
        SlotSet covered = SlotSet.empty();
        candidates.sort(Comparator.comparing((Chosen c) -> c.snapshot().key().name()).reversed());
        for (Chosen c : candidates) {
            SlotSet overlap = c.slots().intersect(covered);
            if (!overlap.isEmpty()) {
                notes.add(c.manifest().shard() + " left out: " + c.id() + " serves slots " + ranges(overlap)
                        + " that newer snapshots hold (its shard predates a shape change)");
                continue;
            }
            chosen.add(c);
            covered = covered.union(c.slots());
        }
        SlotSet missing = SlotSet.all().minus(covered);
        if (!missing.isEmpty()) {
            throw new Refused("slots " + ranges(missing) + " are in no chosen snapshot" + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")")
                    + (at.isPresent() ? "" : "; --at picks an earlier set"));
        }
        chosen.sort(Comparator.comparingInt(Chosen::lowestSlot));
        return new RestoreChoice(List.copyOf(chosen), List.copyOf(notes));
    }

    private static String whyNone(List<StoredSnapshot> ofShard, Optional<Instant> at) {
        List<StoredSnapshot> inTime = ofShard.stream().filter(s -> at.isEmpty() || !s.key().time().isAfter(at.get())).toList();
        if (inTime.isEmpty()) {
            return "no snapshot taken at or before " + at.orElseThrow();
        }
        return "no good snapshot" + (at.isPresent() ? " at or before " + at.get() : "") + " (the newest is bad: "
                + inTime.get(0).problem().orElse("") + ")";
    }

    static String ranges(SlotSet slots) {
        return String.join(",", slots.ranges().stream().map(Object::toString).toList());
    }
}
