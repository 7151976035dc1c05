package io.warden.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling for tests: wait until a condition holds, or fail saying what was last seen. */
public final class Eventually {

    private Eventually() {
    }

    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        await(timeout, what, condition, () -> "");
    }

    /** Polls every 25 ms; on timeout fails with {@code what} and the last {@code state}. */
    public static void await(Duration timeout, String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            RuntimeException last = null;
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError("timed out after " + timeout + " waiting for " + what
                        + (state.get().isEmpty() ? "" : "; last seen: " + state.get()));
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
