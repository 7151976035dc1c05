package io.warden.common.wire;

import io.warden.common.redis.ClusterNodeEntry;

import java.util.List;
import java.util.Map;

/**
 * An agent's heartbeat: who it is, where, and what its Redis looks like right now. The coordinator's view of
 * the deployment is built from these alone, never from what it last asked for.
 *
 * @param name          the pod name (the agent's identity)
 * @param redisAddress  host:port other nodes and clients use to reach this Redis
 * @param agentUrl      base URL of this agent's HTTP API
 * @param k8sNode       the Kubernetes node (placement); a fake name in local mode
 * @param zone          the zone, empty when unknown
 * @param redisUp       whether the agent could read Redis on its last tick
 * @param redisError    why not, when not
 * @param role          master, replica or unknown
 * @param replicationOffset the offset this node has processed
 * @param masterAddress for a replica: host:port it replicates from
 * @param linkUp        for a replica: its link to the master is up
 * @param keys          keys in the dataset
 * @param dataAtStart   the Redis held data when the agent started (never bootstrap over it)
 * @param clusterEnabled Redis runs with cluster-enabled
 * @param nodeId        CLUSTER MYID, cluster mode
 * @param clusterNodes  CLUSTER NODES as this node sees it, cluster mode
 * @param epochSeen     the newest coordinator epoch this agent has seen
 * @param lastResult    the result of the last instruction it carried out, if any
 * @param appliedThrough how many instructions this agent had carried out when the observation reported here
 *                      began: the coordinator waits for this to reach an action's sequence before planning on
 *                      what that action changed (counts, not clocks: pods' clocks differ)
 * @param clusterViewHash a digest of {@code clusterNodes}, cluster mode. When the coordinator's last answer said it
 *                      holds this digest, {@code clusterNodes} is left empty: a 1,000-node cluster's view is
 *                      ~200 KB, and in a steady state it does not change from one heartbeat to the next
 * @param clusterState  {@code cluster_state} from CLUSTER INFO (ok, fail), cluster mode; "" otherwise
 * @param clusterEpoch  {@code cluster_current_epoch} from CLUSTER INFO, cluster mode: a forced failover is decided on
 *                      it and refused by the agent once the cluster has moved past it
 * @param replicationId  {@code master_replid}: the replication history this node is on
 * @param replicationId2 {@code master_replid2}: the history it continued from when it was promoted ("" or zeros when
 *                      never promoted); a master whose {@code replicationId} another master has as {@code replicationId2}
 *                      was succeeded by it, and must rejoin as its replica
 * @param redisGone     Redis refused the connection: its process is gone, not merely slow (reported at once)
 * @param writesFenced  the agent has paused writes on its master: it holds no master lease (replication mode)
 * @param snapshotInProgress the id of the snapshot this agent is taking, "" when none
 * @param draining      the agent is draining for shutdown (its preStop ran): never chosen to take a role
 * @param openSlotKeys  for each slot this node has open (importing or migrating): the keys it holds in that slot
 *                      (COUNTKEYSINSLOT), so migrations show progress and an importing side with keys is never
 *                      closed over them
 * @param movingSlots   a slot migration was running on this agent while the observation reported here was made:
 *                      its open slots are in flux, so the coordinator neither closes them nor starts other moves
 * @param startGuarded  cluster mode: Redis restarted under its start guard and refuses reads, writes and PSYNC until
 *                      the coordinator decides whether it or one of its replicas holds the data (DESIGN.md hazard 3)
 */
public record AgentReport(String name, String redisAddress, String agentUrl, String k8sNode, String zone,
                          boolean redisUp, String redisError, String role, long replicationOffset, String masterAddress,
                          boolean linkUp, long keys, boolean dataAtStart, boolean clusterEnabled, String nodeId,
                          List<ClusterNodeEntry> clusterNodes, long epochSeen, InstructionResult lastResult,
                          long appliedThrough, String clusterViewHash, String clusterState, long clusterEpoch,
                          String replicationId, String replicationId2, boolean redisGone, boolean writesFenced,
                          String snapshotInProgress, boolean draining, Map<Integer, Long> openSlotKeys,
                          boolean movingSlots, boolean startGuarded) {

    public AgentReport {
        openSlotKeys = openSlotKeys == null ? Map.of() : Map.copyOf(openSlotKeys);
        clusterNodes = clusterNodes == null ? List.of() : List.copyOf(clusterNodes);
        zone = zone == null ? "" : zone;
        k8sNode = k8sNode == null ? "" : k8sNode;
        clusterViewHash = clusterViewHash == null ? "" : clusterViewHash;
        clusterState = clusterState == null ? "" : clusterState;
        replicationId = replicationId == null ? "" : replicationId;
        replicationId2 = replicationId2 == null ? "" : replicationId2;
        snapshotInProgress = snapshotInProgress == null ? "" : snapshotInProgress;
    }

    /** A report without the failover, snapshot, draining and migration fields (agents of the release before them). */
    public AgentReport(String name, String redisAddress, String agentUrl, String k8sNode, String zone,
                       boolean redisUp, String redisError, String role, long replicationOffset, String masterAddress,
                       boolean linkUp, long keys, boolean dataAtStart, boolean clusterEnabled, String nodeId,
                       List<ClusterNodeEntry> clusterNodes, long epochSeen, InstructionResult lastResult,
                       long appliedThrough, String clusterViewHash, String clusterState) {
        this(name, redisAddress, agentUrl, k8sNode, zone, redisUp, redisError, role, replicationOffset, masterAddress, linkUp, keys,
                dataAtStart, clusterEnabled, nodeId, clusterNodes, epochSeen, lastResult, appliedThrough, clusterViewHash, clusterState,
                0, "", "", false, false, "", false, Map.of(), false, false);
    }

    public AgentReport withSnapshotInProgress(String id) {
        return new AgentReport(name, redisAddress, agentUrl, k8sNode, zone, redisUp, redisError, role, replicationOffset,
                masterAddress, linkUp, keys, dataAtStart, clusterEnabled, nodeId, clusterNodes, epochSeen, lastResult,
                appliedThrough, clusterViewHash, clusterState, clusterEpoch, replicationId, replicationId2, redisGone, writesFenced, id,
                draining, openSlotKeys, movingSlots, startGuarded);
    }

    /** The cluster view was left out because the coordinator already holds the one with this digest. */
    public boolean clusterViewOmitted() {
        return clusterEnabled && clusterNodes.isEmpty() && !clusterViewHash.isEmpty();
    }

    public AgentReport withClusterNodes(List<ClusterNodeEntry> nodes) {
        return new AgentReport(name, redisAddress, agentUrl, k8sNode, zone, redisUp, redisError, role, replicationOffset,
                masterAddress, linkUp, keys, dataAtStart, clusterEnabled, nodeId, nodes, epochSeen, lastResult,
                appliedThrough, clusterViewHash, clusterState, clusterEpoch, replicationId, replicationId2, redisGone, writesFenced,
                snapshotInProgress, draining, openSlotKeys, movingSlots, startGuarded);
    }

    public AgentReport withMovingSlots(boolean moving) {
        return new AgentReport(name, redisAddress, agentUrl, k8sNode, zone, redisUp, redisError, role, replicationOffset,
                masterAddress, linkUp, keys, dataAtStart, clusterEnabled, nodeId, clusterNodes, epochSeen, lastResult,
                appliedThrough, clusterViewHash, clusterState, clusterEpoch, replicationId, replicationId2, redisGone, writesFenced,
                snapshotInProgress, draining, openSlotKeys, moving, startGuarded);
    }

    public AgentReport withStartGuarded(boolean guarded) {
        return new AgentReport(name, redisAddress, agentUrl, k8sNode, zone, redisUp, redisError, role, replicationOffset,
                masterAddress, linkUp, keys, dataAtStart, clusterEnabled, nodeId, clusterNodes, epochSeen, lastResult,
                appliedThrough, clusterViewHash, clusterState, clusterEpoch, replicationId, replicationId2, redisGone, writesFenced,
                snapshotInProgress, draining, openSlotKeys, movingSlots, guarded);
    }
}
