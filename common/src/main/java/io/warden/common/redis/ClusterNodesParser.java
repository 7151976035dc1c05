package io.warden.common.redis;

import io.warden.common.slots.SlotRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses {@code CLUSTER NODES}: {@code <id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent> <pong-recv>
 * <config-epoch> <link-state> <slot> <slot> ...}, where a slot is {@code N}, {@code N-M}, {@code [N->-id]} or
 * {@code [N-<-id]}.
 */
public final class ClusterNodesParser {

    private ClusterNodesParser() {
    }

    public static List<ClusterNodeEntry> parse(String text) {
        List<ClusterNodeEntry> nodes = new ArrayList<>();
        for (String rawLine : text.split("\n")) {
            String line = rawLine.strip();
            if (!line.isEmpty()) {
                nodes.add(parseLine(line));
            }
        }
        return nodes;
    }

    static ClusterNodeEntry parseLine(String line) {
        String[] f = line.split(" ");
        if (f.length < 8) {
            throw new IllegalArgumentException("not a CLUSTER NODES line: " + line);
        }
        String address = f[1];
        int at = address.indexOf('@');
        String hostPort = at >= 0 ? address.substring(0, at) : address;
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        Set<String> flags = Set.of(f[2].split(","));
        String masterId = "-".equals(f[3]) ? null : f[3];
        List<SlotRange> slots = new ArrayList<>();
        List<OpenSlot> open = new ArrayList<>();
        for (int i = 8; i < f.length; i++) {
            String token = f[i];
            if (token.startsWith("[")) {
                open.add(openSlot(token));
            } else {
                slots.add(SlotRange.parse(token));
            }
        }
        return new ClusterNodeEntry(f[0], host, port, flags, masterId, Long.parseLong(f[6]), "connected".equals(f[7]), slots, open);
    }

    private static OpenSlot openSlot(String token) {
        String body = token.substring(1, token.length() - 1);
        int migrating = body.indexOf("->-");
        if (migrating > 0) {
            return new OpenSlot(Integer.parseInt(body.substring(0, migrating)), OpenSlot.Direction.MIGRATING, body.substring(migrating + 3));
        }
        int importing = body.indexOf("-<-");
        return new OpenSlot(Integer.parseInt(body.substring(0, importing)), OpenSlot.Direction.IMPORTING, body.substring(importing + 3));
    }
}
