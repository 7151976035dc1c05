package io.warden.coordinator.topology;

import java.util.List;

/**
 * DESIGN.md's topology document ({@code GET /v1/topology}, {@code bin/warden status --json}). Absent fields
 * (null) are left out of the JSON: {@code slots} and {@code slotsCovered} in replication mode, {@code lagBytes}
 * on masters.
 */
public record TopologyDocument(String mode, long epoch, String leader, boolean healthy, Integer slotsCovered,
                               List<Shard> shards, List<Member> spares, List<String> problems, List<Event> history) {

    public record Shard(String id, List<String> slots, Member master, List<Member> replicas) {
    }

    /** One node in the document; {@code state} is ok, down, link-down or unknown. */
    public record Member(String name, String redis, String agent, String nodeId, String state, Long lagBytes) {
    }

    /** A past reconcile outcome, newest last. */
    public record Event(String at, String outcome) {
    }
}
