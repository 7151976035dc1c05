package io.warden.coordinator.topology;

import io.warden.common.redis.OpenSlot;
import io.warden.coordinator.topology.TopologyDocument.Migration;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The slots open right now, from both sides' reports: the migrations in progress. Pure. */
public final class Migrations {

    private Migrations() {
    }

    public static List<Migration> of(ClusterView view) {
        Map<Integer, Migration> found = new LinkedHashMap<>();
        for (NodeView n : view.reachable()) {
            for (OpenSlot open : n.openSlots()) {
                boolean migrating = open.direction() == OpenSlot.Direction.MIGRATING;
                String peer = view.byNodeId(open.peerNodeId()).map(NodeView::name).orElse(open.peerNodeId());
                Long keys = n.openSlotKeys().get(open.slot());
                Migration seen = found.get(open.slot());
                Migration mine = migrating ? new Migration(open.slot(), n.name(), peer, null, keys)
                        : new Migration(open.slot(), peer, n.name(), keys, null);
                found.put(open.slot(), seen == null ? mine : new Migration(open.slot(), mine.source(), mine.target(),
                        mine.keysMoved() != null ? mine.keysMoved() : seen.keysMoved(),
                        mine.keysLeft() != null ? mine.keysLeft() : seen.keysLeft()));
            }
        }
        return found.values().stream().sorted(Comparator.comparingInt(Migration::slot)).toList();
    }
}
