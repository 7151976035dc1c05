package io.warden.coordinator.registry;

import io.warden.common.redis.ClusterNodeEntry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares equal CLUSTER NODES entries between reports. Every node reports every other, so N agents hold N²
 * entries, yet node X looks the same from almost every peer: interned, a 1,000-node cluster keeps a few thousand
 * entry objects instead of a million. The table is simply dropped when it grows past a bound (entries of old
 * views pile up as the cluster changes); reports already interned keep their objects.
 */
public final class EntryInterner {

    private static final int MAX_ENTRIES = 200_000;

    private final Map<ClusterNodeEntry, ClusterNodeEntry> canonical = new ConcurrentHashMap<>();

    public List<ClusterNodeEntry> intern(List<ClusterNodeEntry> entries) {
        if (canonical.size() > MAX_ENTRIES) {
            canonical.clear();
        }
        return entries.stream().map(e -> canonical.computeIfAbsent(e, k -> k)).toList();
    }
}
