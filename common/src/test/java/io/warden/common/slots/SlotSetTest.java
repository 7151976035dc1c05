package io.warden.common.slots;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotSetTest {

    private static SlotSet set(String... ranges) {
        return SlotSet.of(java.util.Arrays.stream(ranges).map(SlotRange::parse).toList());
    }

    private static List<SlotRange> ranges(String... ranges) {
        return java.util.Arrays.stream(ranges).map(SlotRange::parse).toList();
    }

    @Test
    void adjacentRangesMergeIntoOne() {
        assertEquals(ranges("0-10"), set("0-5", "6-10").ranges());
        assertEquals(ranges("0-2"), set("0", "1", "2").ranges());
    }

    @Test
    void overlappingAndUnorderedRangesCompactToAscendingRanges() {
        assertEquals(ranges("0-20", "30", "40-50"), set("40-50", "10-20", "30", "0-15").ranges());
    }

    @Test
    void gapsAreKeptAsSeparateRanges() {
        SlotSet slots = set("0-100", "200", "300-400");
        assertEquals(ranges("0-100", "200", "300-400"), slots.ranges());
        assertEquals(101 + 1 + 101, slots.size());
    }

    @Test
    void containsOnlyTheGivenSlots() {
        SlotSet slots = set("0-100", "200");
        assertTrue(slots.contains(0));
        assertTrue(slots.contains(100));
        assertTrue(slots.contains(200));
        assertFalse(slots.contains(101));
        assertFalse(slots.contains(199));
        assertFalse(slots.contains(16383));
    }

    @Test
    void allCoversEverySlotAsOneRange() {
        SlotSet all = SlotSet.all();
        assertEquals(16384, all.size());
        assertEquals(ranges("0-16383"), all.ranges());
        assertFalse(all.isEmpty());
    }

    @Test
    void emptyHasNoSlotsAndNoRanges() {
        assertTrue(SlotSet.empty().isEmpty());
        assertEquals(0, SlotSet.empty().size());
        assertEquals(List.of(), SlotSet.empty().ranges());
        assertEquals(SlotSet.empty(), SlotSet.of(List.of()));
    }

    @Test
    void unionJoinsAndCompacts() {
        assertEquals(set("0-20"), set("0-10").union(set("11-20")));
        assertEquals(set("0-10", "50"), set("0-10").union(set("50", "5")));
    }

    @Test
    void minusRemovesAndMaySplitARange() {
        assertEquals(ranges("0-99", "101-16383"), SlotSet.all().minus(set("100")).ranges());
        assertEquals(SlotSet.empty(), set("0-10").minus(set("0-20")));
        assertEquals(set("0-10"), set("0-10").minus(set("11-20")));
    }

    @Test
    void intersectKeepsOnlyCommonSlots() {
        assertEquals(set("5-10"), set("0-10").intersect(set("5-20")));
        assertTrue(set("0-10").intersect(set("11-20")).isEmpty());
    }

    @Test
    void setOperationsLeaveOperandsUnchanged() {
        SlotSet a = set("0-10");
        SlotSet b = set("5-20");
        a.union(b);
        a.minus(b);
        a.intersect(b);
        assertEquals(set("0-10"), a);
        assertEquals(set("5-20"), b);
        SlotSet.empty().union(a);
        assertTrue(SlotSet.empty().isEmpty());
    }

    @Test
    void equalSetsBuiltDifferentlyAreEqualWithEqualHashCodes() {
        SlotSet a = set("0-5", "6-10");
        SlotSet b = set("0-10");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, set("0-9"));
    }

    @Test
    void toStringListsCompactRanges() {
        assertEquals("[0-10, 20]", set("0-5", "6-10", "20").toString());
    }

    @Test
    void evenSplitInThreeGivesTheExtraSlotToTheFirstShard() {
        // 16384 = 3 * 5461 + 1: the first shard serves 5462 slots.
        // (redis-cli --cluster create rounds instead: 0-5460, 5461-10922, 10923-16383. Either is even.)
        assertEquals(ranges("0-5461", "5462-10922", "10923-16383"), SlotSet.evenSplit(3));
    }

    @Test
    void evenSplitInOneIsTheWholeSpace() {
        assertEquals(ranges("0-16383"), SlotSet.evenSplit(1));
    }

    @Test
    void evenSplitIntoEverySlotGivesSingleSlotRanges() {
        List<SlotRange> split = SlotSet.evenSplit(16384);
        assertEquals(16384, split.size());
        for (int i = 0; i < split.size(); i++) {
            assertEquals(SlotRange.of(i, i), split.get(i));
        }
    }

    @Test
    void evenSplitOutsideOneTo16384IsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SlotSet.evenSplit(0));
        assertThrows(IllegalArgumentException.class, () -> SlotSet.evenSplit(-1));
        assertThrows(IllegalArgumentException.class, () -> SlotSet.evenSplit(16385));
    }

    @Test
    void evenSplitAlwaysCoversEverySlotOnceWithSizesWithinOne() {
        for (int n = 1; n <= 64; n++) {
            List<SlotRange> split = SlotSet.evenSplit(n);
            assertEquals(n, split.size(), "shards for n=" + n);
            int expectedStart = 0;
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (SlotRange range : split) {
                assertEquals(expectedStart, range.start(), "contiguous for n=" + n);
                expectedStart = range.end() + 1;
                min = Math.min(min, range.size());
                max = Math.max(max, range.size());
            }
            assertEquals(16384, expectedStart, "ends at the last slot for n=" + n);
            assertTrue(max - min <= 1, "sizes " + min + ".." + max + " for n=" + n);
            assertEquals(SlotSet.all(), SlotSet.of(split), "covers all for n=" + n);
        }
    }
}
