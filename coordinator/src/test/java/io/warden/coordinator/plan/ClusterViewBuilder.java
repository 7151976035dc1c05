package io.warden.coordinator.plan;

import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.OpenSlot;
import io.warden.common.redis.Role;
import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.NodeSignals;
import io.warden.coordinator.topology.NodeView;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fluent cluster states for planner tests:
 * {@code cluster().node("redis-0").onNode("k8s-a").slots("0-16383").node("redis-1").replicaOf("redis-0").meshed().build()}.
 * Nodes default to reachable empty masters at 10.0.0.(i+1):6379 with ID {@link #id}(name); {@code knows} takes
 * names or short IDs given with {@code id("a")} and shows the other node as it is in this view (its address, role,
 * slots, {@code fail} when it is down) unless told otherwise.
 */
final class ClusterViewBuilder {

    private final Mode mode;
    private final List<NodeBuilder> nodes = new ArrayList<>();
    private boolean meshed;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private ClusterViewBuilder(Mode mode) {
        this.mode = mode;
    }

    static ClusterViewBuilder cluster() {
        return new ClusterViewBuilder(Mode.CLUSTER);
    }

    static ClusterViewBuilder replication() {
        return new ClusterViewBuilder(Mode.REPLICATION);
    }

    /** A 40-hex node ID made from a short name, readable in failure messages: the name's bytes in hex, zero-padded. */
    static String id(String shortName) {
        String hex = HexFormat.of().formatHex(shortName.getBytes(StandardCharsets.UTF_8));
        return (hex + "0".repeat(40)).substring(0, 40);
    }

    NodeBuilder node(String name) {
        NodeBuilder node = new NodeBuilder(name, "10.0.0." + (nodes.size() + 1) + ":6379");
        nodes.add(node);
        return node;
    }

    /** The node already named {@code name}, to tell it more. */
    NodeBuilder with(String name) {
        return find(name);
    }

    /** Every node knows every other node (as well as whatever it was told). */
    ClusterViewBuilder meshed() {
        meshed = true;
        return this;
    }

    /** The view's time; link-down durations count back from it. */
    ClusterViewBuilder now(Instant at) {
        now = at;
        return this;
    }

    ClusterView build() {
        Map<String, NodeSignals> signals = new HashMap<>();
        nodes.forEach(n -> signals.put(n.name, new NodeSignals(n.linkDownFor == null ? Optional.empty() : Optional.of(now.minus(n.linkDownFor)),
                n.lastUpOffset < 0 ? n.offset : n.lastUpOffset, n.gone, n.clusterEpoch, n.replicationId, n.replicationId2, n.guarded,
                n.servingNothingFor == null ? Optional.empty() : Optional.of(now.minus(n.servingNothingFor)))));
        return new ClusterView(mode, nodes.stream().map(this::view).toList(), now, signals);
    }

    private NodeBuilder find(String ref) {
        return nodes.stream().filter(n -> n.name.equals(ref) || n.id.equals(id(ref))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + ref + " in this view"));
    }

    private NodeView view(NodeBuilder n) {
        Map<String, ClusterNodeEntry> peers = new LinkedHashMap<>();
        if (meshed) {
            nodes.stream().filter(o -> o != n).forEach(o -> peers.put(o.id, entry(o, o.seenAt, Set.of())));
        }
        n.knows.forEach((ref, how) -> {
            NodeBuilder o = find(ref);
            peers.put(o.id, entry(o, how.address == null ? o.seenAt : how.address, how.flags));
        });
        peers.putAll(n.ghosts);
        String masterNodeId = n.master == null ? "" : find(n.master).id;
        String masterAddress = n.masterAddress != null ? n.masterAddress : n.master == null ? "" : find(n.master).address;
        SlotSet slots = SlotSet.of(n.slots);
        return new NodeView(n.name, n.address, "http://" + n.address.replace(":6379", ":9736"), n.k8sNode, n.zone, n.reachable,
                n.role, mode == Mode.CLUSTER ? n.id : "", masterNodeId, masterAddress, n.linkUp, n.offset, n.keys, n.dataAtStart,
                slots, n.openSlots, peers, "", n.draining, n.openSlotKeys, n.moving);
    }

    private ClusterNodeEntry entry(NodeBuilder o, String address, Set<String> extra) {
        Set<String> flags = new HashSet<>(extra);
        flags.add(o.role == Role.MASTER ? "master" : "slave");
        if (!o.reachable) {
            flags.add("fail");
        }
        int colon = address.lastIndexOf(':');
        return new ClusterNodeEntry(o.id, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), flags,
                o.master == null ? null : find(o.master).id, 0, o.reachable, o.role == Role.MASTER ? o.slots : List.of(), List.of());
    }

    private record Known(String address, Set<String> flags) {
    }

    final class NodeBuilder {
        private final String name;
        private String address;
        private String seenAt;
        private String id;
        private String k8sNode = "";
        private String zone = "";
        private boolean reachable = true;
        private Role role = Role.MASTER;
        private String master;
        private String masterAddress;
        private boolean linkUp = true;
        private long offset;
        private long keys;
        private boolean dataAtStart;
        private Duration linkDownFor;
        private Duration servingNothingFor;
        private long lastUpOffset = -1;
        private boolean gone;
        private boolean guarded;
        private long clusterEpoch;
        private String replicationId = "";
        private String replicationId2 = "";
        private boolean draining;
        private final List<SlotRange> slots = new ArrayList<>();
        private final List<OpenSlot> openSlots = new ArrayList<>();
        private final Map<Integer, Long> openSlotKeys = new HashMap<>();
        private boolean moving;
        private final Map<String, Known> knows = new LinkedHashMap<>();
        private final Map<String, ClusterNodeEntry> ghosts = new HashMap<>();

        private NodeBuilder(String name, String address) {
            this.name = name;
            this.address = address;
            this.seenAt = address;
            this.id = ClusterViewBuilder.id(name);
        }

        NodeBuilder at(String address) {
            this.address = address;
            this.seenAt = address;
            return this;
        }

        /** Peers still know this node at {@code oldAddress}: it came back somewhere else. */
        NodeBuilder previously(String oldAddress) {
            this.seenAt = oldAddress;
            return this;
        }

        NodeBuilder id(String shortName) {
            this.id = ClusterViewBuilder.id(shortName);
            return this;
        }

        NodeBuilder onNode(String k8sNode) {
            this.k8sNode = k8sNode;
            return this;
        }

        NodeBuilder inZone(String zone) {
            this.zone = zone;
            return this;
        }

        NodeBuilder master() {
            this.role = Role.MASTER;
            return this;
        }

        /** A replica of the node {@code ref} in this view, following it at its current address. */
        NodeBuilder replicaOf(String ref) {
            this.role = Role.REPLICA;
            this.master = ref;
            return this;
        }

        /** A replica following {@code address} (replication mode, or a master that is gone). */
        NodeBuilder following(String address) {
            this.role = Role.REPLICA;
            this.masterAddress = address;
            return this;
        }

        NodeBuilder linkDown() {
            this.linkUp = false;
            return this;
        }

        /** Its agent's preStop ran: it is shutting down. */
        NodeBuilder draining() {
            this.draining = true;
            return this;
        }

        NodeBuilder down() {
            this.reachable = false;
            return this;
        }

        /** The link to its master has been down this long, as the coordinator heard. */
        NodeBuilder linkDownFor(Duration duration) {
            this.linkUp = false;
            this.linkDownFor = duration;
            return this;
        }

        /** It has served no slot for this long, as the coordinator heard. */
        NodeBuilder servingNothingFor(Duration duration) {
            this.servingNothingFor = duration;
            return this;
        }

        /** Down, its agent saying the process is gone (connection refused); {@code lastOffset} was its last known offset. */
        NodeBuilder gone(long lastOffset) {
            this.reachable = false;
            this.gone = true;
            this.lastUpOffset = lastOffset;
            return this;
        }

        /** Down (agent silent or Redis timing out) after last reporting {@code lastOffset}. */
        NodeBuilder downAfterOffset(long lastOffset) {
            this.reachable = false;
            this.lastUpOffset = lastOffset;
            return this;
        }

        /** Its Redis restarted under its start guard: it serves nobody until told. */
        NodeBuilder startGuarded() {
            this.guarded = true;
            return this;
        }

        NodeBuilder clusterEpoch(long epoch) {
            this.clusterEpoch = epoch;
            return this;
        }

        /** {@code master_replid} and {@code master_replid2}. */
        NodeBuilder history(String replicationId, String replicationId2) {
            this.replicationId = replicationId;
            this.replicationId2 = replicationId2;
            return this;
        }

        NodeBuilder slots(String... ranges) {
            for (String r : ranges) {
                slots.add(SlotRange.parse(r));
            }
            return this;
        }

        NodeBuilder keys(long keys) {
            this.keys = keys;
            return this;
        }

        NodeBuilder offset(long offset) {
            this.offset = offset;
            return this;
        }

        NodeBuilder dataAtStart() {
            this.dataAtStart = true;
            return this;
        }

        NodeBuilder migrating(int slot, String to) {
            openSlots.add(new OpenSlot(slot, OpenSlot.Direction.MIGRATING, ClusterViewBuilder.id(to)));
            return this;
        }

        NodeBuilder importing(int slot, String from) {
            openSlots.add(new OpenSlot(slot, OpenSlot.Direction.IMPORTING, ClusterViewBuilder.id(from)));
            return this;
        }

        /** It holds {@code keys} keys in the open slot {@code slot}. */
        NodeBuilder openKeys(int slot, long keys) {
            openSlotKeys.put(slot, keys);
            return this;
        }

        /** Its agent is moving slots right now. */
        NodeBuilder moving() {
            this.moving = true;
            return this;
        }

        NodeBuilder knows(String... refs) {
            for (String ref : refs) {
                knows.put(ref, new Known(null, Set.of()));
            }
            return this;
        }

        NodeBuilder knowsAt(String ref, String address, String... flags) {
            knows.put(ref, new Known(address, Set.of(flags)));
            return this;
        }

        NodeBuilder knowsFlagged(String ref, String... flags) {
            knows.put(ref, new Known(null, Set.of(flags)));
            return this;
        }

        /** Still sees {@code ref} (defined earlier) as a master without slots, whatever it is now: gossip has not caught up. */
        NodeBuilder knowsAsMaster(String ref) {
            NodeBuilder o = find(ref);
            int colon = o.address.lastIndexOf(':');
            ghosts.put(o.id, new ClusterNodeEntry(o.id, o.address.substring(0, colon), Integer.parseInt(o.address.substring(colon + 1)),
                    Set.of("master"), null, 0, true, List.of(), List.of()));
            return this;
        }

        /** Knows a master that is not in this view at all (its pod is gone), serving {@code ranges}, failed. */
        NodeBuilder knowsLostMaster(String shortId, String address, String... ranges) {
            int colon = address.lastIndexOf(':');
            List<SlotRange> parsed = java.util.Arrays.stream(ranges).map(SlotRange::parse).toList();
            ghosts.put(ClusterViewBuilder.id(shortId), new ClusterNodeEntry(ClusterViewBuilder.id(shortId), address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1)), Set.of("master", "fail"), null, 0, false, parsed, List.of()));
            return this;
        }

        /** Sees {@code ref} (defined earlier) as a master serving {@code ranges}, whatever it serves: a view that lags. */
        NodeBuilder knowsServing(String ref, String... ranges) {
            NodeBuilder o = find(ref);
            int colon = o.address.lastIndexOf(':');
            ghosts.put(o.id, new ClusterNodeEntry(o.id, o.address.substring(0, colon), Integer.parseInt(o.address.substring(colon + 1)),
                    Set.of("master"), null, 0, true, java.util.Arrays.stream(ranges).map(SlotRange::parse).toList(), List.of()));
            return this;
        }

        /** Shaking hands with whatever answers at {@code address}: an entry under a random ID until the handshake ends. */
        NodeBuilder shakingHandsWith(String address) {
            int colon = address.lastIndexOf(':');
            String randomId = ClusterViewBuilder.id("hs-" + address);
            ghosts.put(randomId, new ClusterNodeEntry(randomId, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)),
                    Set.of("master", "handshake"), null, 0, false, List.of(), List.of()));
            return this;
        }

        /** Knows a replica of itself whose agent has not reported (yet), not marked failing: it restarts too, perhaps. */
        NodeBuilder knowsSilentReplica(String shortId, String address) {
            int colon = address.lastIndexOf(':');
            ghosts.put(ClusterViewBuilder.id(shortId), new ClusterNodeEntry(ClusterViewBuilder.id(shortId), address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1)), Set.of("slave"), id, 0, false, List.of(), List.of()));
            return this;
        }

        NodeBuilder node(String name) {
            return ClusterViewBuilder.this.node(name);
        }

        NodeBuilder with(String name) {
            return ClusterViewBuilder.this.with(name);
        }

        ClusterViewBuilder meshed() {
            return ClusterViewBuilder.this.meshed();
        }

        ClusterView build() {
            return ClusterViewBuilder.this.build();
        }

        ClusterViewBuilder now(Instant at) {
            return ClusterViewBuilder.this.now(at);
        }
    }
}
