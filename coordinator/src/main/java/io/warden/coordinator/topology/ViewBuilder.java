package io.warden.coordinator.topology;

import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.Role;
import io.warden.common.slots.SlotSet;
import io.warden.common.wire.AgentReport;
import io.warden.coordinator.registry.AgentRegistry.Registered;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the tick's {@link ClusterView} from the agents' reports: parse once, at the edge. What it derives from
 * a node's cluster view (its own line, its map of peers, its slots) is kept while the registry holds the same
 * view: in a 1,000-node cluster, rebuilding a million peer entries every tick would dominate the coordinator.
 */
public final class ViewBuilder {

    private final Map<String, Derived> derived = new ConcurrentHashMap<>();

    /** What one cluster view says, computed once per view (the registry keeps the list while it is unchanged). */
    private record Derived(List<ClusterNodeEntry> from, Optional<ClusterNodeEntry> myself, Map<String, ClusterNodeEntry> peers,
                           SlotSet slots) {

        static Derived of(List<ClusterNodeEntry> view) {
            Optional<ClusterNodeEntry> myself = view.stream().filter(ClusterNodeEntry::myself).findFirst();
            Map<String, ClusterNodeEntry> peers = new HashMap<>();
            view.stream().filter(n -> !n.myself()).forEach(n -> peers.put(n.id(), n));
            return new Derived(view, myself, Map.copyOf(peers), myself.map(m -> SlotSet.of(m.slots())).orElse(SlotSet.empty()));
        }
    }

    public ClusterView build(Mode mode, List<Registered> agents, Instant now, Duration freshness) {
        Map<String, NodeSignals> signals = new HashMap<>();
        agents.forEach(a -> signals.put(a.report().name(), signals(a)));
        return new ClusterView(mode, agents.stream().map(a -> node(a, now, freshness)).toList(), now, signals);
    }

    static NodeSignals signals(Registered registered) {
        AgentReport r = registered.report();
        return new NodeSignals(Optional.ofNullable(registered.linkDownSince()), registered.lastUpOffset(), r.redisGone(),
                r.clusterEpoch(), r.replicationId(), r.replicationId2(), r.startGuarded(), Optional.ofNullable(registered.servingNothingSince()));
    }

    NodeView node(Registered registered, Instant now, Duration freshness) {
        AgentReport r = registered.report();
        Derived d = derived.compute(r.name(), (name, old) -> old != null && old.from() == r.clusterNodes() ? old : Derived.of(r.clusterNodes()));
        boolean reachable = Duration.between(registered.receivedAt(), now).compareTo(freshness) <= 0 && r.redisUp();
        Role role = switch (r.role()) {
            case "master" -> Role.MASTER;
            case "replica" -> Role.REPLICA;
            default -> null;
        };
        return new NodeView(r.name(), r.redisAddress(), r.agentUrl(), r.k8sNode(), r.zone(), reachable, role,
                r.nodeId() == null ? "" : r.nodeId(),
                d.myself().map(ClusterNodeEntry::masterId).orElse(""),
                r.masterAddress() == null ? "" : r.masterAddress(),
                r.linkUp(), r.replicationOffset(), r.keys(), r.dataAtStart(), d.slots(),
                d.myself().map(ClusterNodeEntry::openSlots).orElse(List.of()), d.peers(), r.clusterState(), r.draining(),
                r.openSlotKeys(), r.movingSlots());
    }
}
