package io.warden.common.snapshot;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Answers about a listing: which snapshot to restore for a shard, and the listing grouped by shard. Pure. */
public final class SnapshotCatalog {

    private SnapshotCatalog() {
    }

    /** The newest good snapshot of {@code shard}, taken at or before {@code at} when given. */
    public static Optional<StoredSnapshot> newestGood(List<StoredSnapshot> snapshots, String shard, Optional<Instant> at) {
        return snapshots.stream()
                .filter(s -> s.key().shard().equals(shard) && s.good())
                .filter(s -> at.isEmpty() || !s.key().time().isAfter(at.get()))
                .max(Comparator.comparing(s -> s.key().name()));
    }

    /** Shard → its snapshots, newest first; shards in name order. */
    public static Map<String, List<StoredSnapshot>> byShard(List<StoredSnapshot> snapshots) {
        return snapshots.stream().collect(Collectors.groupingBy(s -> s.key().shard(), TreeMap::new,
                Collectors.collectingAndThen(Collectors.toList(), list -> list.stream()
                        .sorted(Comparator.comparing((StoredSnapshot s) -> s.key().name()).reversed()).toList())));
    }
}
