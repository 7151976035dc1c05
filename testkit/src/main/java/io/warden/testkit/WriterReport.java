package io.warden.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ContinuousWriter} saw: writes tried and acknowledged, acknowledged writes that could not be read
 * back (lost) or read back different, failed writes by kind (with the first message of each), and the longest gap
 * between two acknowledgements.
 */
public record WriterReport(long attempted, long acknowledged, long lost, long wrongValue, Map<String, Long> errors,
                           Map<String, String> firstErrorMessages, Duration longestGap, List<String> sampleLostKeys) {

    public WriterReport {
        errors = Map.copyOf(errors);
        firstErrorMessages = Map.copyOf(firstErrorMessages);
        sampleLostKeys = List.copyOf(sampleLostKeys);
    }

    /** Every acknowledged write read back with its value. */
    public boolean nothingLost() {
        return lost == 0 && wrongValue == 0;
    }

    @Override
    public String toString() {
        return acknowledged + "/" + attempted + " acknowledged, " + lost + " lost " + sampleLostKeys + ", " + wrongValue
                + " wrong, errors " + errors + (firstErrorMessages.isEmpty() ? "" : " (first: " + firstErrorMessages + ")")
                + ", longest gap " + longestGap.toMillis() + " ms";
    }
}
