package io.warden.common.wire;

import io.warden.common.hash.Sha256;
import io.warden.common.redis.ClusterNodeEntry;

import java.util.Comparator;
import java.util.List;

/**
 * A digest of a node's CLUSTER NODES view, so a heartbeat can say "unchanged" instead of resending it. Entries
 * are sorted by node ID first: Redis lists them in hash-table order, which may change without the view changing.
 */
public final class ClusterViewDigest {

    private ClusterViewDigest() {
    }

    public static List<ClusterNodeEntry> canonical(List<ClusterNodeEntry> nodes) {
        return nodes.stream().sorted(Comparator.comparing(ClusterNodeEntry::id)).toList();
    }

    public static String of(List<ClusterNodeEntry> nodes) {
        if (nodes.isEmpty()) {
            return "";
        }
        return Sha256.hex(WireJson.encode(canonical(nodes)), 12);
    }
}
