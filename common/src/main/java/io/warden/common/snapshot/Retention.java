package io.warden.common.snapshot;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which snapshots to delete: per shard, everything older than the newest {@code keep} good ones. Nothing is
 * deleted from a shard with fewer than {@code keep} good snapshots, bad ones included (they are evidence, and
 * a failed snapshot must never cost a good one). Pure.
 */
public final class Retention {

    private Retention() {
    }

    public static List<SnapshotKey> toDelete(List<StoredSnapshot> snapshots, int keep) {
        Map<String, List<StoredSnapshot>> byShard = snapshots.stream().collect(Collectors.groupingBy(s -> s.key().shard()));
        return byShard.values().stream().flatMap(shard -> {
            List<StoredSnapshot> newestFirst = shard.stream()
                    .sorted(Comparator.comparing((StoredSnapshot s) -> s.key().name()).reversed()).toList();
            List<StoredSnapshot> good = newestFirst.stream().filter(StoredSnapshot::good).toList();
            if (good.size() < keep) {
                return java.util.stream.Stream.<SnapshotKey>empty();
            }
            String oldestKept = good.get(keep - 1).key().name();
            return newestFirst.stream().filter(s -> s.key().name().compareTo(oldestKept) < 0).map(StoredSnapshot::key);
        }).sorted(Comparator.comparing(SnapshotKey::shard).thenComparing(SnapshotKey::name)).toList();
    }
}
