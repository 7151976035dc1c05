package io.warden.coordinator.plan;

import io.warden.common.wire.Action;

import java.util.List;
import java.util.Map;

/**
 * One thing to do on one node, and why. The executor turns it into an {@code Instruction} for that node's
 * agent. Built through the factories, which name every argument the action needs.
 */
public record Step(String node, Action action, Map<String, String> args, String why) {

    public Step {
        args = Map.copyOf(args);
    }

    public static Step meet(String node, String host, int port, String why) {
        return new Step(node, Action.CLUSTER_MEET, Map.of("host", host, "port", Integer.toString(port)), why);
    }

    /** {@code node}, which the hub is meeting, is given {@code owners} ({@code SlotOwners}) as it learns them. */
    public static Step seedSlotMap(String node, String owners, String why) {
        return new Step(node, Action.CLUSTER_SEED_SLOT_MAP, Map.of("owners", owners), why);
    }

    public static Step addSlots(String node, String ranges, String why) {
        return new Step(node, Action.CLUSTER_ADD_SLOTS, Map.of("ranges", ranges), why);
    }

    public static Step replicate(String node, String masterNodeId, String why) {
        return new Step(node, Action.CLUSTER_REPLICATE, Map.of("masterNodeId", masterNodeId), why);
    }

    public static Step setSlotStable(String node, int slot, String why) {
        return new Step(node, Action.CLUSTER_SETSLOT_STABLE, Map.of("slot", Integer.toString(slot)), why);
    }

    public static Step setSlotNode(String node, int slot, String nodeId, String why) {
        return new Step(node, Action.CLUSTER_SETSLOT_NODE, Map.of("slot", Integer.toString(slot), "nodeId", nodeId), why);
    }

    public static Step finishMigration(String node, int slot, String targetHost, int targetPort, String targetNodeId, String why) {
        return new Step(node, Action.CLUSTER_FINISH_MIGRATION, Map.of("slot", Integer.toString(slot), "targetHost", targetHost,
                "targetPort", Integer.toString(targetPort), "targetNodeId", targetNodeId), why);
    }

    /** Migrate {@code ranges} from {@code node} to the target; {@code others} are the other masters' host:port, to tell at the end. */
    public static Step migrateSlots(String node, String ranges, String targetHost, int targetPort, String targetNodeId,
                                    List<String> others, String why) {
        return new Step(node, Action.CLUSTER_MIGRATE_SLOTS, Map.of("slots", ranges, "targetHost", targetHost,
                "targetPort", Integer.toString(targetPort), "targetNodeId", targetNodeId, "others", String.join(",", others)), why);
    }

    public static Step forget(String node, String nodeId, String why) {
        return new Step(node, Action.CLUSTER_FORGET, Map.of("nodeId", nodeId), why);
    }

    public static Step resetSoft(String node, String why) {
        return new Step(node, Action.CLUSTER_RESET_SOFT, Map.of(), why);
    }

    public static Step replicaOf(String node, String host, int port, String why) {
        return new Step(node, Action.REPLICA_OF, Map.of("host", host, "port", Integer.toString(port)), why);
    }

    public static Step promote(String node, String why) {
        return new Step(node, Action.PROMOTE, Map.of(), why);
    }

    /**
     * CLUSTER FAILOVER FORCE on a replica of the dead {@code masterNodeId}, decided at cluster epoch {@code clusterEpoch};
     * TAKEOVER instead when {@code withoutVote} (masters would refuse the vote).
     */
    public static Step failoverForce(String node, String masterNodeId, long clusterEpoch, boolean withoutVote, String why) {
        return new Step(node, Action.CLUSTER_FAILOVER_FORCE, Map.of("masterNodeId", masterNodeId, "clusterEpoch",
                Long.toString(clusterEpoch), "withoutVote", Boolean.toString(withoutVote)), why);
    }

    /** Let a master that restarted under its start guard serve again. */
    public static Step liftStartGuard(String node, String why) {
        return new Step(node, Action.LIFT_START_GUARD, Map.of(), why);
    }

    /** Nothing to change: {@code node}'s agent looks at its Redis now and reports (after slot moves ended). */
    public static Step reportNow(String node, String why) {
        return new Step(node, Action.REPORT_NOW, Map.of(), why);
    }

    public static Step clusterFailover(String node, String why) {
        return new Step(node, Action.CLUSTER_FAILOVER, Map.of(), why);
    }

    /** Watch {@code node}, a replica that a FAILOVER_TO is promoting, so that its agent reports the new role at once. */
    public static Step awaitPromotion(String node, long timeoutMs, String why) {
        return new Step(node, Action.AWAIT_PROMOTION, Map.of("timeoutMs", Long.toString(timeoutMs)), why);
    }

    public static Step failoverTo(String node, String host, int port, long timeoutMs, String why) {
        return new Step(node, Action.FAILOVER_TO, Map.of("host", host, "port", Integer.toString(port), "timeoutMs", Long.toString(timeoutMs)), why);
    }

    @Override
    public String toString() {
        return action + " on " + node + " " + args + " (" + why + ")";
    }
}
