package io.warden.bench.failover;

import io.warden.testkit.WriterReport;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * One repetition of one scenario: what the writer saw around the disruption, how long until the role had moved,
 * and what the scenario noted (a preStop answer, a retried command). A repetition that could not be measured
 * (the role never moved within its bound, a deployment that did not start) carries the reason in {@code failure}.
 *
 * @param gapMs    the longest gap between two acknowledged writes, warm-up excluded: the client's unavailability
 * @param movedMs  from the disruption until the old master no longer served writes and another node was master
 * @param lost     acknowledged writes that could not be read back afterwards (or read back different)
 * @param errors   writes that failed (retried under a new key): timeouts, refused connections, READONLY, CLUSTERDOWN…
 */
record Trial(String scenario, int rep, long gapMs, long movedMs, long lost, long errors, long acknowledged, long attempted,
             String errorKinds, String note, String failure) {

    static final String CSV_HEADER = "scenario,rep,gap_ms,moved_ms,lost,errors,acknowledged,attempted,error_kinds,note,failure";

    static Trial measured(String scenario, int rep, Disruption.Result result) {
        WriterReport report = result.report();
        long errors = report.errors().values().stream().mapToLong(Long::longValue).sum();
        return new Trial(scenario, rep, report.longestGap().toMillis(), result.movedMs(), report.lost() + report.wrongValue(),
                errors, report.acknowledged(), report.attempted(), kinds(report.errors()), result.note(), "");
    }

    static Trial failed(String scenario, int rep, String why) {
        return new Trial(scenario, rep, -1, -1, -1, -1, -1, -1, "", "", why);
    }

    boolean ok() {
        return failure.isEmpty();
    }

    String csv() {
        return String.join(",", scenario, Integer.toString(rep), Long.toString(gapMs), Long.toString(movedMs), Long.toString(lost),
                Long.toString(errors), Long.toString(acknowledged), Long.toString(attempted), quoted(errorKinds), quoted(note),
                quoted(failure));
    }

    private static String kinds(Map<String, Long> errors) {
        return errors.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\"", "'").replace('\n', ' ') + "\"";
    }
}
