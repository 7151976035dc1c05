package io.warden.coordinator.plan;

import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.topology.NodeView;

import java.util.List;
import java.util.Optional;

/**
 * Whether new slot moves may start now, or why not. A migration only starts between settled shards: a move that
 * begins while a node is failing, a slot is open or gossip has not spread puts keys on a node the cluster does not
 * route to. (Slots already open are always finished, by the open-slots phase: that is never refused here.)
 */
final class MigrationSafety {

    private MigrationSafety() {
    }

    /** Empty when every move may start; otherwise the first reason, in words. */
    static Optional<String> refusal(ClusterState s, List<SlotBalance.Move> moves) {
        for (NodeView n : s.members()) {
            if (n.movingSlots()) {
                return Optional.of(n.name() + " is still moving slots");
            }
            if (!n.openSlots().isEmpty()) {
                return Optional.of("slot " + n.openSlots().get(0).slot() + " is still open on " + n.name());
            }
        }
        if (s.claimedByLive().size() < SlotSet.all().size()) {
            return Optional.of("not every slot is served by a live master");
        }
        if (s.slotMasters().stream().mapToInt(m -> m.slots().size()).sum() != SlotSet.all().size()) {
            return Optional.of("some slots are claimed by two masters");
        }
        for (SlotBalance.Move move : moves) {
            for (NodeView node : List.of(move.source(), move.target())) {
                Optional<String> unsettled = unsettled(s, node);
                if (unsettled.isPresent()) {
                    return unsettled;
                }
            }
            Optional<String> unknown = knows(move.target(), move.source()).or(() -> knows(move.source(), move.target()));
            if (unknown.isPresent()) {
                return unknown;
            }
        }
        return Optional.empty();
    }

    /**
     * A shard whose master is draining (its preStop is handing the role over: a planned failover and a migration never
     * run on one shard at once), is failing in someone's eyes, or does not report cluster_state:ok, is not settled.
     */
    private static Optional<String> unsettled(ClusterState s, NodeView master) {
        if (master.draining()) {
            return Optional.of(master.name() + " is draining for shutdown (its role is being handed over)");
        }
        if (!master.clusterState().isEmpty() && !"ok".equals(master.clusterState())) {
            return Optional.of(master.name() + " reports cluster_state:" + master.clusterState());
        }
        for (NodeView other : s.members()) {
            Optional<ClusterNodeEntry> seen = other.peer(master.nodeId());
            if (seen.isPresent() && seen.get().failing()) {
                return Optional.of(other.name() + " suspects " + master.name() + " is failing");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> knows(NodeView node, NodeView other) {
        Optional<ClusterNodeEntry> seen = node.peer(other.nodeId());
        if (seen.isEmpty() || seen.get().handshake() || !seen.get().address().equals(other.redisAddress())) {
            return Optional.of(node.name() + " does not know " + other.name() + " at " + other.redisAddress() + " yet");
        }
        return Optional.empty();
    }
}
