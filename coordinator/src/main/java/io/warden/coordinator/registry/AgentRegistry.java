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

    public void record(AgentReport report, Instant now) {
        agents.put(report.name(), new Registered(report, now));
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
