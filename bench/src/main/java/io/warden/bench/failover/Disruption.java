package io.warden.bench.failover;

import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.Eventually;
import io.warden.testkit.WriterReport;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * The one measuring sequence every scenario runs, so that peers and Warden are measured alike:
 * <ol>
 *   <li>the writer warms up (its first write includes connecting), then its longest gap is forgotten;</li>
 *   <li>the disruption (a failover command, a preStop call, a kill -9);</li>
 *   <li>wait until the role has moved: the old master no longer takes writes and another node is master;</li>
 *   <li>one more second of writes acknowledged, so the client has found the new master;</li>
 *   <li>stop, read every acknowledged write back.</li>
 * </ol>
 */
final class Disruption {

    /** Writes acknowledged before the disruption, and after the move: a second each at 2,000/s. */
    static final int SETTLE_WRITES = 2_000;
    private static final Duration WARM_UP_BOUND = Duration.ofSeconds(30);

    /** What the writer reported, how long the move took from the disruption, and the disruption's own note. */
    record Result(WriterReport report, long movedMs, String note) {
    }

    private Disruption() {
    }

    /**
     * @param disrupt returns a note for the raw results (may be empty)
     * @param moved   true once the old master no longer takes writes and another node is master
     * @param bound   how long the move and the recovery may each take before the repetition counts as failed
     */
    static Result measure(ContinuousWriter writer, Callable<String> disrupt, BooleanSupplier moved, Duration bound) throws Exception {
        writer.awaitProgress(SETTLE_WRITES, WARM_UP_BOUND);
        writer.resetLongestGap();
        long start = System.nanoTime();
        String note = disrupt.call();
        Eventually.await(bound, "the master role to move", moved);
        long movedMs = (System.nanoTime() - start) / 1_000_000;
        writer.awaitProgress(SETTLE_WRITES, bound);
        return new Result(writer.stopAndVerify(), movedMs, note);
    }
}
