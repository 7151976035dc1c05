package io.warden.agent.actions;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SlotOpeningTest {

    private static final String NOT_OWNER = "ERR I'm not the owner of hash slot 100";
    private static final String TARGET_OWNS = "ERR I'm already the owner of hash slot 100";

    @Test
    void aSlotBothSidesAcceptedIsOpen() {
        assertEquals(SlotOpening.OPEN, SlotOpening.of("OK", "OK"));
    }

    @Test
    void aSlotTheTargetOwnsWhileTheSourceStillDoesIsOpenSoItsKeysMoveFirst() {
        // Both claim it (the target got it some other way): the source's keys must move before any hand-over.
        assertEquals(SlotOpening.OPEN, SlotOpening.of(TARGET_OWNS, "OK"));
    }

    @Test
    void aSlotTheTargetOwnsAndTheSourceLostToGossipIsOnlyHandedOverHere() {
        assertEquals(SlotOpening.HANDED_OVER, SlotOpening.of(TARGET_OWNS, NOT_OWNER));
    }

    @Test
    void aSlotNeitherSideOwnsIsNotHandedOver() {
        // The target took IMPORTING, so it does not own the slot: whoever does, handing it to the target would
        // point the cluster at a node without its keys.
        assertEquals(SlotOpening.REFUSED, SlotOpening.of("OK", NOT_OWNER));
    }

    @Test
    void aTargetRefusalOrALostReplyStopsTheSlotBeforeMigrating() {
        assertEquals(SlotOpening.REFUSED, SlotOpening.of("ERR Unknown node abc", null));
        assertEquals(SlotOpening.REFUSED, SlotOpening.of("ERR Command timed out after 2 minute(s)", null));
    }

    @Test
    void aMigratingRefusedForAnotherReasonIsRefused() {
        assertEquals(SlotOpening.REFUSED, SlotOpening.of("OK", "ERR Please use SETSLOT only with masters."));
        assertEquals(SlotOpening.REFUSED, SlotOpening.of(TARGET_OWNS, "ERR Connection closed"));
    }
}
