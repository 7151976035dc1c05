package io.warden.common.slots;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotOwnersTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);

    @Test
    void encodesOwnersInIdOrderAndReadsThemBack() {
        Map<String, SlotSet> owners = Map.of(
                B, SlotSet.of(List.of(SlotRange.of(5461, 10922))),
                A, SlotSet.of(List.of(SlotRange.of(0, 5460), SlotRange.of(16000, 16000))));

        String text = SlotOwners.encode(owners);

        assertEquals(A + "=0-5460,16000;" + B + "=5461-10922", text);
        assertEquals(owners, SlotOwners.parse(text));
    }

    @Test
    void leavesOutOwnersWithoutSlotsAndReadsNothingAsEmpty() {
        assertEquals("", SlotOwners.encode(Map.of(A, SlotSet.empty())));
        assertTrue(SlotOwners.parse("").isEmpty());
        assertTrue(SlotOwners.parse(null).isEmpty());
    }

    @Test
    void namesThePartItCannotRead() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlotOwners.parse(A + "=0-5460;" + B + "=x"));
        assertTrue(e.getMessage().endsWith(B + "=x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SlotOwners.parse(A));
    }
}
