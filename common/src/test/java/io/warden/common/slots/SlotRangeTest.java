package io.warden.common.slots;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotRangeTest {

    @Test
    void rangeTextParsesToInclusiveBounds() {
        SlotRange range = SlotRange.parse("0-5460");
        assertEquals(0, range.start());
        assertEquals(5460, range.end());
        assertEquals(5461, range.size());
    }

    @Test
    void singleSlotTextParsesToOneSlotRange() {
        SlotRange range = SlotRange.parse("7");
        assertEquals(SlotRange.of(7, 7), range);
        assertEquals(1, range.size());
    }

    @Test
    void surroundingWhitespaceIsTolerated() {
        assertEquals(SlotRange.of(7, 7), SlotRange.parse(" 7 "));
        assertEquals(SlotRange.of(1, 2), SlotRange.parse("1 - 2"));
    }

    @Test
    void lastSlotIsValidAndWholeSpaceHas16384Slots() {
        assertEquals(16384, SlotRange.parse("0-16383").size());
        assertEquals(SlotRange.of(16383, 16383), SlotRange.parse("16383"));
    }

    @Test
    void backwardsRangeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlotRange.parse("10-5"));
        assertTrue(e.getMessage().contains("10-5"), e.getMessage());
    }

    @Test
    void slotBeyondTheSpaceIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SlotRange.parse("16384"));
        assertThrows(IllegalArgumentException.class, () -> SlotRange.parse("0-16384"));
        assertThrows(IllegalArgumentException.class, () -> SlotRange.of(-1, 3));
    }

    @Test
    void nonNumericTextIsRejected() {
        for (String text : List.of("", "abc", "-1", "1-", "1-2-3", "[100->-abc]")) {
            assertThrows(IllegalArgumentException.class, () -> SlotRange.parse(text), text);
        }
    }

    @Test
    void containsIsInclusiveAtBothEnds() {
        SlotRange range = SlotRange.of(100, 200);
        assertTrue(range.contains(100));
        assertTrue(range.contains(150));
        assertTrue(range.contains(200));
        assertFalse(range.contains(99));
        assertFalse(range.contains(201));
    }

    @Test
    void toStringRoundTripsThroughParse() {
        for (String text : List.of("0-5460", "7", "0", "16383", "5461-10922", "0-16383")) {
            SlotRange range = SlotRange.parse(text);
            assertEquals(text, range.toString());
            assertEquals(range, SlotRange.parse(range.toString()));
        }
    }

    @Test
    void rangesSortByStart() {
        List<SlotRange> ranges = new ArrayList<>(List.of(SlotRange.of(300, 400), SlotRange.of(0, 100), SlotRange.of(200, 200)));
        Collections.sort(ranges);
        assertEquals(List.of(SlotRange.of(0, 100), SlotRange.of(200, 200), SlotRange.of(300, 400)), ranges);
    }
}
