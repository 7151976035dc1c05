package io.warden.common.wire;

import java.util.List;

/**
 * What the coordinator may ask an agent to do to its Redis, with the arguments each needs. Every action is
 * idempotent: repeating one that already took effect changes nothing.
 */
public enum Action {
    /** CLUSTER MEET host port: introduce a node (new, or known by ID at a new address). */
    CLUSTER_MEET("host", "port"),
    /**
     * On an empty node the hub is meeting at the same time: as it learns the owners of {@code owners}
     * ({@link io.warden.common.slots.SlotOwners}: the slot map the cluster serves), give each owner it has heard no slot
     * from yet its slots (CLUSTER SETSLOT NODE), checking again as soon as the last check answered. Answers once it knows
     * every owner, or after a time limit. Redis applies a master's slots only from a packet that master sends once
     * known, so a node just met would list every peer for a while with slots nobody serves, and a cluster client
     * reading its CLUSTER NODES then would find them unowned.
     */
    CLUSTER_SEED_SLOT_MAP("owners"),
    /** CLUSTER ADDSLOTSRANGE over {@code ranges} ("0-5460,5461-5470"), skipping what this node already serves. */
    CLUSTER_ADD_SLOTS("ranges"),
    /** CLUSTER REPLICATE masterNodeId. */
    CLUSTER_REPLICATE("masterNodeId"),
    /** CLUSTER SETSLOT slot STABLE: close a half-open slot. */
    CLUSTER_SETSLOT_STABLE("slot"),
    /** CLUSTER SETSLOT slot NODE nodeId: give the slot to nodeId (closes a migration). */
    CLUSTER_SETSLOT_NODE("slot", "nodeId"),
    /** Move every key left in {@code slot} to the target with MIGRATE, then hand the slot over (finishes a migration). */
    CLUSTER_FINISH_MIGRATION("slot", "targetHost", "targetPort", "targetNodeId"),
    /**
     * Migrate {@code slots} ("100-120,7") from this node (the source) to the target, several slots in flight:
     * SETSLOT IMPORTING on the target, MIGRATING here, MIGRATE in batches of keys, then SETSLOT NODE on the target,
     * here and on {@code others} (optional, "host:port,host:port"). Stops opening new slots after a time budget
     * (the rest is planned again) but always closes the slots it opened.
     */
    CLUSTER_MIGRATE_SLOTS("slots", "targetHost", "targetPort", "targetNodeId"),
    /** CLUSTER FORGET nodeId: drop a retired node from this node's table (bans its ID for 60 s). */
    CLUSTER_FORGET("nodeId"),
    /** CLUSTER RESET SOFT on a retired node holding no slots: it forgets every peer, so it gossips nobody back in. */
    CLUSTER_RESET_SOFT(),
    /** REPLICAOF host port. */
    REPLICA_OF("host", "port"),
    /** REPLICAOF NO ONE. */
    PROMOTE(),
    /**
     * CLUSTER FAILOVER FORCE on a replica of the dead master {@code masterNodeId}, decided on a view whose newest
     * {@code cluster_current_epoch} was {@code clusterEpoch}. The agent refuses when its node has seen a newer epoch
     * (the cluster moved on since the decision), no longer replicates that master, or its link to it is up. With
     * {@code withoutVote} "true" (optional), or when the election it started earlier lost, CLUSTER FAILOVER TAKEOVER.
     */
    CLUSTER_FAILOVER_FORCE("masterNodeId", "clusterEpoch"),
    /**
     * CLUSTER FAILOVER (the coordinated form) on a replica: its master pauses writes until the replica has its
     * full offset, then the replica takes over. Carried out once this node is master (or the attempt timed out).
     */
    CLUSTER_FAILOVER(),
    /**
     * On a master (replication mode), what Redis's FAILOVER TO host port TIMEOUT timeoutMs promises, done step by
     * step: writes pause here, the replica at host:port catches up exactly (read directly, at most timeoutMs), it is
     * promoted and this master follows it. Carried out once this node is a replica, or abandoned with nothing changed.
     */
    FAILOVER_TO("host", "port", "timeoutMs"),
    /**
     * On the replica a FAILOVER_TO (sent to its master) is about to promote: watch this Redis's role every few
     * milliseconds, at most timeoutMs, and answer once it is master. Changes nothing; its point is that the agent
     * then reports the new role at once, so the published master changes while the old master's writes are still
     * paused, rather than at this agent's next observation.
     */
    AWAIT_PROMOTION("timeoutMs"),
    /**
     * On a cluster master that restarted under its start guard (reads, writes and PSYNC refused, see
     * {@code StartGuard}): serve again. Sent when no replica holds more than it, so nobody can lose data by
     * resyncing from it.
     */
    LIFT_START_GUARD(),
    /**
     * Changes nothing: the agent looks at its Redis at once and reports, like after any instruction. Sent to every node
     * once slot moves ended: its report then shows them (its {@code appliedThrough} reaches this instruction), where
     * its last regular report may predate them (a target still importing the moved slots, an older owner).
     */
    REPORT_NOW();

    private final List<String> arguments;

    Action(String... arguments) {
        this.arguments = List.of(arguments);
    }

    public List<String> arguments() {
        return arguments;
    }
}
