package io.warden.common.wire;

/** What came of an instruction: done or not, and in words. */
public record InstructionResult(String id, boolean ok, String message) {
}
