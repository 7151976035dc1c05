package io.warden.common.slots;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/** An immutable set of hash slots, kept as a bit set; converts to and from compact ranges. */
public final class SlotSet {

    private static final SlotSet EMPTY = new SlotSet(new BitSet(SlotRange.SLOTS));

    private final BitSet bits;

    private SlotSet(BitSet bits) {
        this.bits = bits;
    }

    public static SlotSet empty() {
        return EMPTY;
    }

    public static SlotSet all() {
        return of(List.of(SlotRange.of(0, SlotRange.SLOTS - 1)));
    }

    public static SlotSet of(Collection<SlotRange> ranges) {
        BitSet bits = new BitSet(SlotRange.SLOTS);
        ranges.forEach(r -> bits.set(r.start(), r.end() + 1));
        return new SlotSet(bits);
    }

    public int size() {
        return bits.cardinality();
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    public boolean contains(int slot) {
        return bits.get(slot);
    }

    public SlotSet union(SlotSet other) {
        BitSet copy = (BitSet) bits.clone();
        copy.or(other.bits);
        return new SlotSet(copy);
    }

    public SlotSet intersect(SlotSet other) {
        BitSet copy = (BitSet) bits.clone();
        copy.and(other.bits);
        return new SlotSet(copy);
    }

    public SlotSet minus(SlotSet other) {
        BitSet copy = (BitSet) bits.clone();
        copy.andNot(other.bits);
        return new SlotSet(copy);
    }

    /** The slots as the fewest ascending ranges. */
    public List<SlotRange> ranges() {
        List<SlotRange> ranges = new ArrayList<>();
        int start = bits.nextSetBit(0);
        while (start >= 0) {
            int end = bits.nextClearBit(start) - 1;
            ranges.add(SlotRange.of(start, end));
            start = bits.nextSetBit(end + 1);
        }
        return ranges;
    }

    /**
     * {@code shards} contiguous ranges covering all slots, sizes differing by at most one (the first
     * {@code 16384 % shards} get the extra slot). Not byte-for-byte what {@code redis-cli --cluster create} picks
     * (it rounds, giving 0-5460, 5461-10922, 10923-16383 for three), but just as even.
     */
    public static List<SlotRange> evenSplit(int shards) {
        if (shards < 1 || shards > SlotRange.SLOTS) {
            throw new IllegalArgumentException("shards must be 1.." + SlotRange.SLOTS + ", got " + shards);
        }
        List<SlotRange> ranges = new ArrayList<>(shards);
        int base = SlotRange.SLOTS / shards;
        int extra = SlotRange.SLOTS % shards;
        int start = 0;
        for (int i = 0; i < shards; i++) {
            int size = base + (i < extra ? 1 : 0);
            ranges.add(SlotRange.of(start, start + size - 1));
            start += size;
        }
        return ranges;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlotSet other && bits.equals(other.bits);
    }

    @Override
    public int hashCode() {
        return bits.hashCode();
    }

    @Override
    public String toString() {
        return ranges().toString();
    }
}
