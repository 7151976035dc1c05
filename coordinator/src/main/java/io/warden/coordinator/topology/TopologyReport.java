package io.warden.coordinator.topology;

import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.topology.TopologyDocument.Event;
import io.warden.coordinator.topology.TopologyDocument.Member;
import io.warden.coordinator.topology.TopologyDocument.Shard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the topology document from what Redis reports, never from what the coordinator last asked for.
 * {@code healthy} holds only when every slot is covered (cluster mode), every node agrees on the slot map and
 * reports {@code cluster_state:ok}, every shard has a reachable master and its desired number of in-sync
 * replicas, and the planner saw nothing wrong. Pure.
 */
public final class TopologyReport {

    /** A replica further behind than this is not counted as in sync. */
    public static final long IN_SYNC_LAG_BYTES = 1024 * 1024;

    private TopologyReport() {
    }

    public static TopologyDocument build(ClusterView view, DesiredShape desired, long epoch, String leader,
                                         List<String> plannerProblems, List<Event> history) {
        Set<String> problems = new LinkedHashSet<>(plannerProblems);
        List<Shard> shards = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (ShardMembers members : shards(view)) {
            NodeView master = members.master();
            List<NodeView> replicas = members.replicas();
            placed.add(master.name());
            replicas.forEach(r -> placed.add(r.name()));
            String id = members.id();
            shards.add(new Shard(id, view.mode() == Mode.CLUSTER ? master.slots().ranges().stream().map(Object::toString).toList() : null,
                    member(master, null), replicas.stream().map(r -> member(r, master)).toList()));
            if (!master.reachable()) {
                problems.add(id + ": master " + master.name() + " is down");
            }
            long inSync = replicas.stream().filter(r -> inSync(r, master)).count();
            if (inSync < desired.replicas()) {
                problems.add(id + ": " + inSync + " of " + desired.replicas() + " replicas in sync");
            }
        }
        Integer covered = null;
        if (view.mode() == Mode.CLUSTER) {
            covered = view.slotMasters().stream().map(NodeView::slots).reduce(SlotSet.empty(), SlotSet::union).size();
            if (covered < SlotSet.all().size()) {
                problems.add((SlotSet.all().size() - covered) + " of 16384 slots are not covered");
            }
        }
        if (view.mode() == Mode.CLUSTER) {
            problems.addAll(disagreements(view));
            problems.addAll(staleAddresses(view));
            // Read from Redis itself: right after a change a node may still refuse commands (CLUSTERDOWN).
            view.reachable().stream().filter(n -> !n.clusterState().isEmpty() && !"ok".equals(n.clusterState()))
                    .forEach(n -> problems.add(n.name() + " reports cluster_state:" + n.clusterState()));
        }
        if (shards.size() < desired.shards()) {
            problems.add(shards.size() + " of " + desired.shards() + " shards have a master");
        }
        if (view.nodes().isEmpty()) {
            problems.add("no agent has reported yet");
        }
        List<Member> spares = view.nodes().stream().filter(n -> !placed.contains(n.name())).map(n -> member(n, null)).toList();
        return new TopologyDocument(view.mode().wireName(), epoch, leader, problems.isEmpty(), covered, shards, spares,
                List.copyOf(problems), history);
    }

    /** One shard as the document names it: its id, its master and the nodes that replicate from that master. */
    public record ShardMembers(String id, NodeView master, List<NodeView> replicas) {
    }

    /**
     * The shards of {@code view}, numbered as the document numbers them ({@code shard-0} serves the lowest slots in
     * cluster mode; replication mode has {@code shard-0} only).
     */
    public static List<ShardMembers> shards(ClusterView view) {
        List<NodeView> masters = shardMasters(view);
        List<ShardMembers> shards = new ArrayList<>();
        for (int i = 0; i < masters.size(); i++) {
            NodeView master = masters.get(i);
            shards.add(new ShardMembers("shard-" + i, master, view.nodes().stream().filter(n -> followsMaster(view.mode(), n, master)).toList()));
        }
        return shards;
    }

    /**
     * Cluster mode: masters serving slots, a reachable one first for any slot (a dead master whose slots a
     * reachable node now serves is gone from the picture). Replication mode: the one master others follow; a master
     * another node has continued from is out of the picture the moment its successor reports, even if its own report
     * still says master (clients that follow the published master must not be sent back to it after a handover).
     */
    static List<NodeView> shardMasters(ClusterView view) {
        if (view.mode() == Mode.REPLICATION) {
            return view.nodes().stream().filter(NodeView::isMaster).filter(m -> !view.superseded(m))
                    .filter(m -> m.reachable() || view.nodes().stream().anyMatch(n -> followsMaster(Mode.REPLICATION, n, m)))
                    .sorted(Comparator.comparing((NodeView m) -> !m.reachable()).thenComparing(NodeView::name))
                    .limit(1).toList();
        }
        SlotSet live = view.slotMasters().stream().map(NodeView::slots).reduce(SlotSet.empty(), SlotSet::union);
        List<NodeView> masters = new ArrayList<>(view.slotMasters());
        view.nodes().stream()
                .filter(n -> !n.reachable() && n.isMaster() && !n.slots().isEmpty() && n.slots().intersect(live).isEmpty())
                .forEach(masters::add);
        masters.sort(Comparator.comparing((NodeView m) -> m.slots().ranges().get(0).start()));
        return masters;
    }

    /**
     * Nodes whose view of who serves which slots differs from what the masters say of themselves: gossip has
     * not converged, or a node missed an update (what {@code redis-cli --cluster check} calls "nodes don't agree").
     */
    static List<String> disagreements(ClusterView view) {
        List<String> found = new ArrayList<>();
        // Redis lists a node's slots as sorted, merged ranges, as SlotSet.ranges() does: compare lists, no bit sets.
        Map<NodeView, List<SlotRange>> claimed = new HashMap<>();
        view.slotMasters().forEach(m -> claimed.put(m, m.slots().ranges()));
        for (NodeView node : view.reachable()) {
            for (NodeView master : view.slotMasters()) {
                if (node == master) {
                    continue;
                }
                List<SlotRange> seen = node.peer(master.nodeId()).map(p -> p.slots()).orElse(List.of());
                if (!seen.equals(claimed.get(master))) {
                    found.add(node.name() + " does not yet see " + master.name() + " serving " + master.slots().ranges().get(0)
                            + (master.slots().ranges().size() > 1 ? "…" : ""));
                    break;
                }
            }
        }
        return found;
    }

    /**
     * Nodes that do not know another node at the address it now has. A node with a stale peer address (pods came
     * back with new IPs and gossip has not reached it yet) sends clients that ask it for the topology nowhere.
     */
    static List<String> staleAddresses(ClusterView view) {
        List<NodeView> members = view.reachable().stream().filter(n -> !n.nodeId().isEmpty()).toList();
        Map<String, String> hostOf = new HashMap<>();
        members.forEach(m -> hostOf.put(m.nodeId(), m.host()));
        List<String> found = new ArrayList<>();
        for (NodeView node : members) {
            for (NodeView other : members) {
                if (node == other) {
                    continue;
                }
                ClusterNodeEntry seen = node.peers().get(other.nodeId());
                if (seen == null || seen.port() != other.port() || !seen.host().equals(hostOf.get(other.nodeId()))) {
                    found.add(node.name() + " does not yet know " + other.name() + " at " + other.redisAddress());
                    break;
                }
            }
        }
        return found;
    }

    private static boolean followsMaster(Mode mode, NodeView node, NodeView master) {
        if (!node.isReplica() || node == master) {
            return false;
        }
        return mode == Mode.CLUSTER ? !master.nodeId().isEmpty() && master.nodeId().equals(node.masterNodeId())
                : master.redisAddress().equals(node.masterAddress());
    }

    private static boolean inSync(NodeView replica, NodeView master) {
        return replica.reachable() && replica.linkUp() && lag(replica, master) <= IN_SYNC_LAG_BYTES;
    }

    private static long lag(NodeView replica, NodeView master) {
        return Math.max(0, master.offset() - replica.offset());
    }

    private static Member member(NodeView node, NodeView masterOfReplica) {
        String state = !node.reachable() ? "down" : masterOfReplica != null && !node.linkUp() ? "link-down" : "ok";
        Long lag = masterOfReplica == null ? null : lag(node, masterOfReplica);
        return new Member(node.name(), node.redisAddress(), node.agentUrl(), node.nodeId().isEmpty() ? null : node.nodeId(), state, lag);
    }
}
