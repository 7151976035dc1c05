package io.warden.coordinator.topology;

import java.util.List;

/**
 * DESIGN.md's topology document ({@code GET /v1/topology}, {@code bin/warden status --json}). Absent fields
 * (null) are left out of the JSON: {@code slots} and {@code slotsCovered} in replication mode, {@code lagBytes}
 * on masters, {@code scale} until a shape was requested.
 *
 * @param migrations slots open right now, as Redis reports them
 * @param scale      where the last requested shape stands
 */
public record TopologyDocument(String mode, long epoch, String leader, boolean healthy, Integer slotsCovered,
                               List<Shard> shards, List<Member> spares, List<String> problems, List<Event> history,
                               List<Migration> migrations, Scale scale) {

    /** A document without migrations or scale status. */
    public TopologyDocument(String mode, long epoch, String leader, boolean healthy, Integer slotsCovered,
                            List<Shard> shards, List<Member> spares, List<String> problems, List<Event> history) {
        this(mode, epoch, leader, healthy, slotsCovered, shards, spares, problems, history, List.of(), null);
    }

    public TopologyDocument withScale(List<Migration> migrations, Scale scale) {
        return new TopologyDocument(mode, epoch, leader, healthy, slotsCovered, shards, spares, problems, history, migrations, scale);
    }

    /**
     * One slot being moved: from the source's and target's own reports (keys the target holds in it, keys the
     * source still holds; null when that side does not report the slot open).
     */
    public record Migration(int slot, String source, String target, Long keysMoved, Long keysLeft) {
    }

    /**
     * The requested shape and how far the deployment is from it.
     *
     * @param done        slots balanced, retiring nodes gone, every needed node reporting
     * @param slotsToMove slots that had to change master since the request (as far as this coordinator saw)
     * @param slotsMoved  of those, how many have
     * @param retiring    nodes beyond the shape still present
     * @param nodesMissing nodes the shape needs that have not reported yet
     */
    public record Scale(int shards, int replicas, boolean done, int slotsToMove, int slotsMoved, List<String> retiring,
                        int nodesMissing) {
    }

    public record Shard(String id, List<String> slots, Member master, List<Member> replicas) {
    }

    /** One node in the document; {@code state} is ok, down, link-down or unknown. */
    public record Member(String name, String redis, String agent, String nodeId, String state, Long lagBytes) {
    }

    /** A past reconcile outcome, newest last. */
    public record Event(String at, String outcome) {
    }
}
