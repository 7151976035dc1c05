package io.warden.common.wire;

/**
 * What came of an instruction: done or not, in words, and its place in the agent's count of instructions
 * carried out. A report whose {@code appliedThrough} has reached {@code sequence} was observed after it.
 */
public record InstructionResult(String id, boolean ok, String message, long sequence) {

    /**
     * Ids of results the agent produced on its own, not for an instruction (a preStop handover made while the
     * coordinator was away): the coordinator records their message in its history when it sees one.
     */
    public static final String LOCAL_PREFIX = "local-";

    /** A result not yet numbered (the agent numbers it once carried out). */
    public InstructionResult(String id, boolean ok, String message) {
        this(id, ok, message, 0);
    }

    public boolean local() {
        return id != null && id.startsWith(LOCAL_PREFIX);
    }

    public InstructionResult numbered(long sequence) {
        return new InstructionResult(id, ok, message, sequence);
    }
}
