package io.warden.agent.snapshot;

import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.slots.SlotRange;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which shard this node belongs to, named as the coordinator's topology document names it: masters serving
 * slots, ordered by their lowest slot, are {@code shard-0}, {@code shard-1}, …; a replica belongs to its
 * master's. Replication mode has the one {@code shard-0}. Pure; used when the agent snapshots on its own
 * schedule (a snapshot the coordinator asks for names its shard).
 */
public final class ShardOf {

    /** @param slots the shard's slot ranges, cluster mode */
    public record Shard(String id, List<String> slots) {
    }

    private ShardOf() {
    }

    public static Optional<Shard> of(RedisObservation observation) {
        if (!observation.up()) {
            return Optional.empty();
        }
        if (!observation.info().orElseThrow().clusterEnabled()) {
            return Optional.of(new Shard("shard-0", List.of()));
        }
        Optional<ClusterNodeEntry> myself = observation.myself();
        if (myself.isEmpty()) {
            return Optional.empty();
        }
        String masterId = myself.get().master() ? myself.get().id() : myself.get().masterId();
        List<ClusterNodeEntry> masters = observation.clusterNodes().stream()
                .filter(n -> n.master() && !n.slots().isEmpty())
                .sorted(Comparator.comparingInt(ShardOf::lowestSlot))
                .toList();
        for (int i = 0; i < masters.size(); i++) {
            if (masters.get(i).id().equals(masterId)) {
                return Optional.of(new Shard("shard-" + i, masters.get(i).slots().stream().map(SlotRange::toString).toList()));
            }
        }
        return Optional.empty();
    }

    private static int lowestSlot(ClusterNodeEntry master) {
        return master.slots().stream().mapToInt(SlotRange::start).min().orElse(Integer.MAX_VALUE);
    }
}
