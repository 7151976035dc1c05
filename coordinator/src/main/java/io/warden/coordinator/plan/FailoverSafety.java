package io.warden.coordinator.plan;

import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.NodeView;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether a master counts as failed, and which of its replicas may take over, before anything disruptive is done.
 * Both modes use it; each decides what "its replicas" are.
 * <ol>
 *   <li>Agreement: every reachable replica of the master reports its link to it down. Its agent's own silence or
 *       "Redis down" is never enough alone: an agent cut off from the coordinator says nothing about Redis. The
 *       agreement holds since the latest of the replicas' link-down times (coordinator clock).</li>
 *   <li>The best replica: highest offset, then the one whose link was up most recently, then one on another
 *       Kubernetes node than the dead master, then by name.</li>
 *   <li>Lag limit: refused when the best is more than the limit behind the master's last known offset.</li>
 * </ol>
 */
final class FailoverSafety {

    private FailoverSafety() {
    }

    /** Allowed (a replica to promote) or refused (why). */
    record Verdict(Optional<NodeView> replica, String reason) {

        static Verdict refused(String reason) {
            return new Verdict(Optional.empty(), reason);
        }

        boolean allowed() {
            return replica.isPresent();
        }
    }

    /** Since when every follower's link is down, or empty when a follower still sees the master (or there is none). */
    static Optional<Instant> agreedSince(ClusterView view, List<NodeView> followers) {
        if (followers.isEmpty() || followers.stream().anyMatch(f -> f.linkUp() || view.signals(f).linkDownSince().isEmpty())) {
            return Optional.empty();
        }
        return followers.stream().map(f -> view.signals(f).linkDownSince().orElseThrow()).max(Comparator.naturalOrder());
    }

    /** How much longer to wait before {@code since} is {@code wait} old; zero or negative when it is. */
    static Duration remaining(ClusterView view, Instant since, Duration wait) {
        return wait.minus(Duration.between(since, view.at()));
    }

    /**
     * @param failed     the dead master's node when the view still has it (its last known offset and Kubernetes node)
     * @param label      how to name it in words
     * @param candidates its reachable replicas
     */
    static Verdict bestReplica(ClusterView view, Optional<NodeView> failed, String label, List<NodeView> candidates,
                               FailoverPolicy policy) {
        Comparator<NodeView> best = Comparator
                .comparingLong((NodeView r) -> -r.offset())
                .thenComparing((NodeView r) -> view.signals(r).linkDownSince().orElse(Instant.MAX), Comparator.reverseOrder())
                .thenComparing(r -> failed.isPresent() && Placement.sameK8sNode(failed.get(), r))
                .thenComparing(NodeView::name);
        Optional<NodeView> chosen = candidates.stream().min(best);
        if (chosen.isEmpty()) {
            return Verdict.refused("master " + label + " is down and has no reachable replica to take over");
        }
        long known = Math.max(failed.map(f -> view.signals(f).lastUpOffset()).orElse(0L), chosen.get().offset());
        long lag = known - chosen.get().offset();
        if (lag > policy.maxLagBytes()) {
            return Verdict.refused("not promoting " + chosen.get().name() + ": it is " + lag + " bytes behind master " + label
                    + "'s last known offset " + known + ", over the limit of " + policy.maxLagBytes());
        }
        return new Verdict(chosen, "");
    }
}
