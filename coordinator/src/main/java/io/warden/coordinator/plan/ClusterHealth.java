package io.warden.coordinator.plan;

import io.warden.common.redis.OpenSlot;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.NodeView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything that keeps a Redis Cluster from being healthy, in words, from the state alone (not from what this
 * tick plans), so every plan carries the full list. Reported, in order: unreachable nodes, strangers, members the
 * hub does not know well, open slots, slots served by a master that is down, unserved slots, slots two live
 * masters claim, the number of masters, missing replicas, replicas with their link down, replicas sharing their
 * master's Kubernetes node when some node hosts none of the shard.
 */
final class ClusterHealth {

    private ClusterHealth() {
    }

    static List<String> problems(ClusterState s, DesiredShape desired) {
        List<String> problems = new ArrayList<>(unreachable(s.view()));
        problems.addAll(s.strangers().values());
        s.members().stream().map(s::connectGap).filter(g -> g != null).forEach(problems::add);
        problems.addAll(openSlots(s));
        problems.addAll(coverage(s, desired));
        problems.addAll(replicas(s, desired));
        return problems;
    }

    static List<String> unreachable(ClusterView view) {
        return view.nodes().stream().filter(n -> !n.reachable()).map(n -> n.name() + " is unreachable").toList();
    }

    private static List<String> openSlots(ClusterState s) {
        List<String> problems = new ArrayList<>();
        for (NodeView n : s.members()) {
            for (OpenSlot open : n.openSlots()) {
                boolean migrating = open.direction() == OpenSlot.Direction.MIGRATING;
                String peer = s.label(open.peerNodeId());
                String waiting = s.members().stream().anyMatch(m -> m.nodeId().equals(open.peerNodeId()))
                        ? (n.movingSlots() ? " (being moved now)" : "")
                        : ", which is unreachable; waiting for it";
                problems.add("slot " + open.slot() + (migrating ? " is migrating from " + n.name() + " to " + peer
                        : " is importing into " + n.name() + " from " + peer) + waiting);
            }
        }
        return problems;
    }

    private static List<String> coverage(ClusterState s, DesiredShape desired) {
        List<String> problems = new ArrayList<>();
        SlotSet live = s.claimedByLive();
        s.claims().entrySet().stream()
                .filter(e -> !s.live(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    SlotSet orphaned = e.getValue().minus(live);
                    if (!orphaned.isEmpty()) {
                        problems.add("slots " + ClusterState.ranges(orphaned) + ": master " + s.label(e.getKey()) + " is down");
                    }
                });
        SlotSet unserved = SlotSet.all().minus(s.claimed());
        if (!unserved.isEmpty()) {
            problems.add("slots " + ClusterState.ranges(unserved) + " are served by no master");
        }
        List<NodeView> masters = s.slotMasters();
        for (int i = 0; i < masters.size(); i++) {
            for (int j = i + 1; j < masters.size(); j++) {
                SlotSet both = masters.get(i).slots().intersect(masters.get(j).slots());
                if (!both.isEmpty()) {
                    problems.add("slots " + ClusterState.ranges(both) + " are claimed by both " + masters.get(i).name() + " and "
                            + masters.get(j).name() + "; Redis settles it by config epoch");
                }
            }
        }
        long owners = s.claims().size();
        if (unserved.isEmpty() && owners != desired.shards()) {
            problems.add("slots are served by " + Planner.count((int) owners, "master") + "; " + Planner.count(desired.shards(), "shard") + " desired");
        }
        return problems;
    }

    private static List<String> replicas(ClusterState s, DesiredShape desired) {
        List<String> problems = new ArrayList<>();
        for (NodeView master : s.slotMasters()) {
            List<NodeView> replicas = s.replicasOf(master);
            if (replicas.size() < desired.replicas()) {
                problems.add("shard of " + master.name() + " has " + replicas.size() + " of " + desired.replicas() + " replicas");
            }
            List<NodeView> shard = new ArrayList<>(replicas);
            shard.add(master);
            for (NodeView replica : replicas) {
                if (!replica.linkUp()) {
                    problems.add(replica.name() + "'s replication link to " + master.name() + " is down");
                }
                if (Placement.sameK8sNode(master, replica) && Placement.freeK8sNodeExists(s.members(), shard)) {
                    problems.add(replica.name() + " shares Kubernetes node " + master.k8sNode() + " with its master " + master.name()
                            + " although another node hosts none of that shard");
                }
            }
        }
        return problems;
    }
}
