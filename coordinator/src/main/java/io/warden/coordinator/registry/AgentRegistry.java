package io.warden.coordinator.registry;

import io.warden.common.wire.AgentReport;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest report of every agent and when it arrived. Agents are not forgotten on their own: one that went
 * silent stays, as unreachable, so the topology says a node is missing instead of silently shrinking. Only a node
 * a smaller shape retired and its pool stopped is forgotten ({@link #forget}).
 */
public final class AgentRegistry {

    /**
     * One agent's latest report and its arrival time, and what the planner reads over time: since when a replica's
     * link has been down without a break (null while up), the offset of its last report while Redis answered, and
     * since when a cluster node has served no slot without a break (null while it serves some, or outside cluster
     * mode): clients may still route to a node that gave its last slot away a moment ago.
     */
    public record Registered(AgentReport report, Instant receivedAt, Instant linkDownSince, long lastUpOffset,
                             Instant servingNothingSince) {

        public Registered(AgentReport report, Instant receivedAt) {
            this(report, receivedAt, linkDown(report) ? receivedAt : null, report.redisUp() ? report.replicationOffset() : 0,
                    servesNothing(report) ? receivedAt : null);
        }

        /** The next report of the same agent: the clocks keep running while their condition holds. */
        Registered next(AgentReport later, Instant at) {
            Instant since = !linkDown(later) ? null : linkDownSince != null ? linkDownSince : at;
            Instant idle = !servesNothing(later) ? null : servingNothingSince != null ? servingNothingSince : at;
            return new Registered(later, at, since, later.redisUp() ? later.replicationOffset() : lastUpOffset, idle);
        }

        private static boolean linkDown(AgentReport report) {
            return report.redisUp() && "replica".equals(report.role()) && !report.linkUp();
        }

        private static boolean servesNothing(AgentReport report) {
            return report.redisUp() && report.clusterNodes().stream()
                    .anyMatch(n -> n.myself() && n.slots().isEmpty() && n.openSlots().isEmpty());
        }
    }

    private final Map<String, Registered> agents = new ConcurrentHashMap<>();
    private final EntryInterner interner = new EntryInterner();

    /**
     * Records a report and answers the digest of the agent's cluster view now held, which the agent compares to
     * decide whether to send its view again. A view with the digest already held keeps the entries held (sent
     * again or left out); a new view is interned. A report that left its view out when another digest is held (a
     * restarted coordinator, another leader) is not recorded: without its view the node would look empty.
     */
    public String record(AgentReport report, Instant now) {
        Registered previous = agents.get(report.name());
        String heldDigest = previous == null ? "" : previous.report().clusterViewHash();
        AgentReport held;
        if (!report.clusterViewHash().isEmpty() && report.clusterViewHash().equals(heldDigest)) {
            held = report.withClusterNodes(previous.report().clusterNodes());
        } else if (report.clusterViewOmitted()) {
            return heldDigest;
        } else {
            held = report.withClusterNodes(interner.intern(report.clusterNodes()));
        }
        agents.put(report.name(), previous == null ? new Registered(held, now) : previous.next(held, now));
        return held.clusterViewHash();
    }

    /** Drops a node that was stopped on purpose (it reports again, and is known again, if it comes back). */
    public void forget(String name) {
        agents.remove(name);
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
