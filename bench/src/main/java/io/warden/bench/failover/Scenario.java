package io.warden.bench.failover;

/**
 * One row of the table: a way to move a master, set up afresh for every repetition.
 *
 * @param id          short name used in the raw results and with {@code --scenarios}
 * @param label       what the table calls it
 * @param warden      whether it measures Warden (run after the features merged) or a peer
 * @param repetition  sets up, measures one disruption under the writer, tears down
 */
record Scenario(String id, String label, boolean warden, Repetition repetition) {

    interface Repetition {
        Disruption.Result run() throws Exception;
    }
}
