package io.warden.bench.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/** The printed summary: per scenario, medians and ranges over the repetitions that could be measured. */
final class ResultTable {

    private ResultTable() {
    }

    static String render(List<Scenario> scenarios, List<Trial> trials) {
        StringBuilder out = new StringBuilder();
        String format = "%-58s %5s %10s %15s %10s %11s %8s %13s%n";
        out.append(String.format(format, "scenario", "reps", "gap med", "gap min-max", "moved med", "lost med", "lost max", "errors med"));
        List<String> failures = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            List<Trial> all = trials.stream().filter(t -> t.scenario().equals(scenario.id())).toList();
            if (all.isEmpty()) {
                continue;
            }
            List<Trial> ok = all.stream().filter(Trial::ok).toList();
            all.stream().filter(t -> !t.ok()).forEach(t -> failures.add(scenario.id() + " rep " + t.rep() + ": " + t.failure()));
            String reps = ok.size() + "/" + all.size();
            if (ok.isEmpty()) {
                out.append(String.format(format, scenario.label(), reps, "-", "-", "-", "-", "-", "-"));
                continue;
            }
            out.append(String.format(format, scenario.label(), reps,
                    median(ok, Trial::gapMs) + " ms",
                    min(ok, Trial::gapMs) + "-" + max(ok, Trial::gapMs) + " ms",
                    median(ok, Trial::movedMs) + " ms",
                    median(ok, Trial::lost),
                    max(ok, Trial::lost),
                    median(ok, Trial::errors)));
        }
        if (!failures.isEmpty()) {
            out.append("\nrepetitions that could not be measured:\n");
            failures.forEach(f -> out.append("  ").append(f).append('\n'));
        }
        return out.toString();
    }

    /** The middle value; with an even count, the mean of the two middle ones (rounded down). */
    static long median(List<Trial> trials, ToLongFunction<Trial> field) {
        long[] values = trials.stream().mapToLong(field).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static long min(List<Trial> trials, ToLongFunction<Trial> field) {
        return trials.stream().mapToLong(field).min().orElse(-1);
    }

    private static long max(List<Trial> trials, ToLongFunction<Trial> field) {
        return trials.stream().mapToLong(field).max().orElse(-1);
    }
}
