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

/** Builds the tick's {@link ClusterView} from the agents' reports: parse once, at the edge. Pure. */
public final class ViewBuilder {

    private ViewBuilder() {
    }

    public static ClusterView build(Mode mode, List<Registered> agents, Instant now, Duration freshness) {
        return new ClusterView(mode, agents.stream().map(a -> node(a, now, freshness)).toList());
    }

    static NodeView node(Registered registered, Instant now, Duration freshness) {
        AgentReport r = registered.report();
        boolean fresh = Duration.between(registered.receivedAt(), now).compareTo(freshness) <= 0;
        Optional<ClusterNodeEntry> myself = r.clusterNodes().stream().filter(ClusterNodeEntry::myself).findFirst();
        Map<String, ClusterNodeEntry> peers = new HashMap<>();
        r.clusterNodes().stream().filter(n -> !n.myself()).forEach(n -> peers.put(n.id(), n));
        Role role = switch (r.role()) {
            case "master" -> Role.MASTER;
            case "replica" -> Role.REPLICA;
            default -> null;
        };
        return new NodeView(r.name(), r.redisAddress(), r.agentUrl(), r.k8sNode(), r.zone(), fresh && r.redisUp(), role,
                r.nodeId() == null ? "" : r.nodeId(),
                myself.map(ClusterNodeEntry::masterId).orElse(""),
                r.masterAddress() == null ? "" : r.masterAddress(),
                r.linkUp(), r.replicationOffset(), r.keys(), r.dataAtStart(),
                myself.map(m -> SlotSet.of(m.slots())).orElse(SlotSet.empty()),
                myself.map(ClusterNodeEntry::openSlots).orElse(List.of()),
                peers);
    }
}
