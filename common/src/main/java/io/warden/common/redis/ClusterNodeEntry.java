package io.warden.common.redis;

import io.warden.common.slots.SlotRange;

import java.util.List;
import java.util.Set;

/**
 * One line of {@code CLUSTER NODES}: a node as the reporting node sees it.
 *
 * @param id          the 40-hex node ID
 * @param host        announced host; empty when the node does not know it yet (a fresh node's own line)
 * @param port        client port
 * @param flags       {@code myself}, {@code master}, {@code slave}, {@code fail?}, {@code fail}, {@code handshake}, {@code noaddr}, …
 * @param masterId    for a replica, its master's ID; else null
 * @param configEpoch the node's config epoch
 * @param connected   the cluster-bus link state
 * @param slots       slot ranges it serves (masters)
 * @param openSlots   migrating/importing slots (only on the reporting node's own line)
 */
public record ClusterNodeEntry(String id, String host, int port, Set<String> flags, String masterId, long configEpoch,
                               boolean connected, List<SlotRange> slots, List<OpenSlot> openSlots) {

    public ClusterNodeEntry {
        flags = Set.copyOf(flags);
        slots = List.copyOf(slots);
        openSlots = List.copyOf(openSlots);
    }

    /** Hashes the identifying fields only (equality compares all): entries are interned and set members in bulk. */
    @Override
    public int hashCode() {
        return 31 * (31 * id.hashCode() + port) + Long.hashCode(configEpoch);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof ClusterNodeEntry e && id.equals(e.id) && port == e.port && configEpoch == e.configEpoch
                && connected == e.connected && host.equals(e.host) && flags.equals(e.flags)
                && java.util.Objects.equals(masterId, e.masterId) && slots.equals(e.slots) && openSlots.equals(e.openSlots);
    }

    public boolean myself() {
        return flags.contains("myself");
    }

    public boolean master() {
        return flags.contains("master");
    }

    public boolean replica() {
        return flags.contains("slave");
    }

    /** {@code fail} (agreed by the masters) or {@code fail?} (suspected by the reporter). */
    public boolean failing() {
        return flags.contains("fail") || flags.contains("fail?");
    }

    public boolean handshake() {
        return flags.contains("handshake");
    }

    public String address() {
        return host + ":" + port;
    }
}
