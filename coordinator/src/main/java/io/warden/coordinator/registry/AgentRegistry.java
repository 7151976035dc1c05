package io.warden.coordinator.registry;

import io.warden.common.wire.AgentReport;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest report of every agent and when it arrived. Agents are never forgotten here: one that went
 * silent stays, as unreachable, so the topology says a node is missing instead of silently shrinking.
 */
public final class AgentRegistry {

    /** One agent's latest report and its arrival time. */
    public record Registered(AgentReport report, Instant receivedAt) {
    }

    private final Map<String, Registered> agents = new ConcurrentHashMap<>();
    private final EntryInterner interner = new EntryInterner();

    public void record(AgentReport report, Instant now) {
        Registered previous = agents.get(report.name());
        // An unchanged view (same digest) keeps the entries already held; a new one is interned.
        AgentReport held = previous != null && !report.clusterViewHash().isEmpty()
                && report.clusterViewHash().equals(previous.report().clusterViewHash())
                ? report.withClusterNodes(previous.report().clusterNodes())
                : report.withClusterNodes(interner.intern(report.clusterNodes()));
        agents.put(report.name(), new Registered(held, now));
    }

    public Optional<Registered> get(String name) {
        return Optional.ofNullable(agents.get(name));
    }

    public List<Registered> snapshot() {
        return List.copyOf(agents.values());
    }

    public int size() {
        return agents.size();
    }
}
