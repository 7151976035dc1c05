package io.warden.common.slots;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which master serves which slots, as an instruction argument: {@code "id1=0-5460,7;id2=5461-10922"} (node IDs are 40
 * hex digits, ranges as {@link SlotRange} writes them). Empty text is an empty map.
 */
public final class SlotOwners {

    private SlotOwners() {
    }

    /** Owners sorted by node ID, so the same map always encodes alike (instruction ids are hashes of the arguments). */
    public static String encode(Map<String, SlotSet> owners) {
        return new TreeMap<>(owners).entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + e.getValue().ranges().stream().map(SlotRange::toString).collect(Collectors.joining(",")))
                .collect(Collectors.joining(";"));
    }

    /** The map {@link #encode} wrote; throws IllegalArgumentException naming the part it cannot read. */
    public static Map<String, SlotSet> parse(String text) {
        Map<String, SlotSet> owners = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return owners;
        }
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("not an owner and its slots (id=ranges): " + part);
            }
            try {
                owners.merge(part.substring(0, eq).strip(),
                        SlotSet.of(Arrays.stream(part.substring(eq + 1).split(",")).map(SlotRange::parse).toList()), SlotSet::union);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not an owner and its slots (id=ranges): " + part, e);
            }
        }
        return owners;
    }
}
