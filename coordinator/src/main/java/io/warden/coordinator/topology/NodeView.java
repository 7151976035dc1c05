package io.warden.coordinator.topology;

import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.OpenSlot;
import io.warden.common.redis.Role;
import io.warden.common.slots.SlotSet;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Redis node as the coordinator sees it in this tick, built from its agent's latest report.
 *
 * @param name          the pod name
 * @param redisAddress  host:port, where it is now
 * @param agentUrl      its agent's base URL
 * @param k8sNode       its Kubernetes node ("" when unknown)
 * @param zone          its zone ("" when unknown)
 * @param reachable     its agent reported recently and could read Redis
 * @param role          MASTER or REPLICA (meaningful only when reachable)
 * @param nodeId        cluster node ID (cluster mode), else ""
 * @param masterNodeId  cluster mode, a replica's master's node ID, else ""
 * @param masterAddress a replica's master host:port, else ""
 * @param linkUp        a replica's link to its master is up
 * @param offset        replication offset
 * @param keys          keys in its dataset
 * @param dataAtStart   its Redis held data when its agent started
 * @param slots         slots it serves, by its own account (cluster mode)
 * @param openSlots     slots it has open (importing/migrating)
 * @param peers         other cluster nodes as this node sees them, by node ID
 * @param clusterState  its own {@code cluster_state} (ok, fail; "" outside cluster mode or when unknown)
 * @param draining      its agent is draining for shutdown (preStop ran): it must not be given a role
 * @param openSlotKeys  keys it holds in each slot it has open (importing or migrating)
 * @param movingSlots   its agent was moving slots while this was observed: its open slots are in flux
 */
public record NodeView(String name, String redisAddress, String agentUrl, String k8sNode, String zone, boolean reachable,
                       Role role, String nodeId, String masterNodeId, String masterAddress, boolean linkUp, long offset,
                       long keys, boolean dataAtStart, SlotSet slots, List<OpenSlot> openSlots,
                       Map<String, ClusterNodeEntry> peers, String clusterState, boolean draining,
                       Map<Integer, Long> openSlotKeys, boolean movingSlots) {

    public NodeView {
        openSlotKeys = openSlotKeys == null ? Map.of() : Map.copyOf(openSlotKeys);
        openSlots = List.copyOf(openSlots);
        peers = Map.copyOf(peers);
        clusterState = clusterState == null ? "" : clusterState;
    }

    /** A node that is not draining, without open-slot key counts. */
    public NodeView(String name, String redisAddress, String agentUrl, String k8sNode, String zone, boolean reachable,
                    Role role, String nodeId, String masterNodeId, String masterAddress, boolean linkUp, long offset,
                    long keys, boolean dataAtStart, SlotSet slots, List<OpenSlot> openSlots, Map<String, ClusterNodeEntry> peers,
                    String clusterState) {
        this(name, redisAddress, agentUrl, k8sNode, zone, reachable, role, nodeId, masterNodeId, masterAddress, linkUp, offset,
                keys, dataAtStart, slots, openSlots, peers, clusterState, false, Map.of(), false);
    }

    /** A node whose cluster_state is not known (a view built by hand). */
    public NodeView(String name, String redisAddress, String agentUrl, String k8sNode, String zone, boolean reachable,
                    Role role, String nodeId, String masterNodeId, String masterAddress, boolean linkUp, long offset,
                    long keys, boolean dataAtStart, SlotSet slots, List<OpenSlot> openSlots, Map<String, ClusterNodeEntry> peers) {
        this(name, redisAddress, agentUrl, k8sNode, zone, reachable, role, nodeId, masterNodeId, masterAddress, linkUp, offset,
                keys, dataAtStart, slots, openSlots, peers, "", false, Map.of(), false);
    }


    /**
     * Hashes the name only (equality still compares everything; equal views share a name). The planner keys maps
     * by node, and the generated hash would walk the whole peer map: in a 1,000-node cluster, most of its time.
     */
    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof NodeView other && name.equals(other.name) && reachable == other.reachable
                && offset == other.offset && keys == other.keys && linkUp == other.linkUp && dataAtStart == other.dataAtStart
                && role == other.role && redisAddress.equals(other.redisAddress) && agentUrl.equals(other.agentUrl)
                && k8sNode.equals(other.k8sNode) && zone.equals(other.zone) && nodeId.equals(other.nodeId)
                && masterNodeId.equals(other.masterNodeId) && masterAddress.equals(other.masterAddress)
                && slots.equals(other.slots) && openSlots.equals(other.openSlots) && peers.equals(other.peers)
                && clusterState.equals(other.clusterState) && draining == other.draining
                && openSlotKeys.equals(other.openSlotKeys) && movingSlots == other.movingSlots;
    }

    public boolean isMaster() {
        return role == Role.MASTER;
    }

    public boolean isReplica() {
        return role == Role.REPLICA;
    }

    /** Holds nothing: no keys, no slots, no open slots, and did not start with data. Only such a node may be bootstrapped. */
    public boolean empty() {
        return keys == 0 && slots.isEmpty() && openSlots.isEmpty() && !dataAtStart;
    }

    public String host() {
        return redisAddress.substring(0, redisAddress.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(redisAddress.substring(redisAddress.lastIndexOf(':') + 1));
    }

    /** How this node sees the node with {@code id}, if it knows it. */
    public Optional<ClusterNodeEntry> peer(String id) {
        return Optional.ofNullable(peers.get(id));
    }
}
