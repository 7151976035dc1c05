package io.warden.common.slots;

/** An inclusive range of Redis Cluster hash slots, {@code start..end}, written {@code "0-5460"} or {@code "7"}. */
public record SlotRange(int start, int end) implements Comparable<SlotRange> {

    public static final int SLOTS = 16384;

    public SlotRange {
        if (start < 0 || end >= SLOTS || start > end) {
            throw new IllegalArgumentException("not a slot range: " + start + "-" + end);
        }
    }

    public static SlotRange of(int start, int end) {
        return new SlotRange(start, end);
    }

    /** Parses {@code "0-5460"} or a single slot {@code "7"}. */
    public static SlotRange parse(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            int slot = Integer.parseInt(text.strip());
            return new SlotRange(slot, slot);
        }
        return new SlotRange(Integer.parseInt(text.substring(0, dash).strip()), Integer.parseInt(text.substring(dash + 1).strip()));
    }

    public int size() {
        return end - start + 1;
    }

    public boolean contains(int slot) {
        return slot >= start && slot <= end;
    }

    @Override
    public int compareTo(SlotRange other) {
        return Integer.compare(start, other.start);
    }

    @Override
    public String toString() {
        return start == end ? Integer.toString(start) : start + "-" + end;
    }
}
