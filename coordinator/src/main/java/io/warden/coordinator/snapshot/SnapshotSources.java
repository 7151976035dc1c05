package io.warden.coordinator.snapshot;

import io.warden.coordinator.topology.TopologyDocument;
import io.warden.coordinator.topology.TopologyDocument.Member;
import io.warden.coordinator.topology.TopologyDocument.Shard;
import io.warden.coordinator.topology.TopologyReport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which node snapshots each shard. Pure.
 * <ol>
 *   <li>A healthy, in-sync replica (state ok, lag within {@link TopologyReport#IN_SYNC_LAG_BYTES}) that is not
 *       already taking a snapshot, the least behind first: BGSAVE forks, and the fork belongs on a replica.</li>
 *   <li>The master only when no replica qualifies, and only when it is ok.</li>
 *   <li>A shard with neither, or whose every candidate is busy, is a problem in words.</li>
 * </ol>
 */
public final class SnapshotSources {

    /** The node chosen for a shard: its name, its agent and its role. */
    public record Source(String shard, String node, String agentUrl, String role) {
    }

    public record Choice(List<Source> sources, List<String> problems) {
    }

    private SnapshotSources() {
    }

    /**
     * @param only   one shard's id, or empty for every shard
     * @param busy   names of nodes whose agents report a snapshot in progress
     */
    public static Choice choose(TopologyDocument topology, Optional<String> only, Set<String> busy) {
        List<Source> sources = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Shard shard : topology.shards()) {
            if (only.isPresent() && !only.get().equals(shard.id())) {
                continue;
            }
            Optional<Member> replica = shard.replicas().stream()
                    .filter(r -> "ok".equals(r.state()) && r.lagBytes() != null && r.lagBytes() <= TopologyReport.IN_SYNC_LAG_BYTES)
                    .filter(r -> !busy.contains(r.name()))
                    .min(Comparator.comparingLong(Member::lagBytes).thenComparing(Member::name));
            if (replica.isPresent()) {
                sources.add(new Source(shard.id(), replica.get().name(), replica.get().agent(), "replica"));
            } else if ("ok".equals(shard.master().state()) && !busy.contains(shard.master().name())) {
                sources.add(new Source(shard.id(), shard.master().name(), shard.master().agent(), "master"));
            } else if (busy.contains(shard.master().name()) || shard.replicas().stream().anyMatch(r -> busy.contains(r.name()))) {
                problems.add(shard.id() + ": a snapshot is already in progress");
            } else {
                problems.add(shard.id() + ": no healthy node to snapshot from (master " + shard.master().name() + " is "
                        + shard.master().state() + ")");
            }
        }
        return new Choice(sources, problems);
    }
}
