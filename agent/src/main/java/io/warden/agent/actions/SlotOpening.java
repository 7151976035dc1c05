package io.warden.agent.actions;

/**
 * What the two replies that open a slot (CLUSTER SETSLOT IMPORTING on the target, then MIGRATING on the source) mean
 * for the rest of its move. Replies are "OK" or "ERR " and Redis's message; a MIGRATING never sent is null.
 */
enum SlotOpening {
    /** Open on both sides: its keys move, then it is handed over. */
    OPEN,
    /**
     * The target already owns it and the source no longer does: a hand-over stopped between the target's SETSLOT NODE
     * and the source's (an agent gone, a lost reply), after which the target's gossip, with its higher config epoch,
     * took the slot from the source. Redis 7.0 leaves the source MIGRATING a slot it does not own, refuses MIGRATING
     * again ("not the owner") and would refuse it forever; only SETSLOT NODE on the source clears it. No key is left
     * on the source (a master that loses a slot by gossip deletes its keys there, and the target took the slot only
     * after they had moved): it goes straight to the hand-over.
     */
    HANDED_OVER,
    /** Refused by either side: nothing more is sent for it in this instruction. */
    REFUSED;

    static SlotOpening of(String importing, String migrating) {
        if (importing.startsWith("ERR ") && !targetOwns(importing)) {
            return REFUSED;
        }
        if (migrating == null) {
            return REFUSED;
        }
        if (!migrating.startsWith("ERR ")) {
            return OPEN;
        }
        return targetOwns(importing) && migrating.contains("not the owner") ? HANDED_OVER : REFUSED;
    }

    /** Whether the target's IMPORTING was refused because it owns the slot already. */
    static boolean targetOwns(String importing) {
        return importing.contains("already the owner");
    }
}
