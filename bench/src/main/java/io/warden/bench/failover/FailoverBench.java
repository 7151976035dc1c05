package io.warden.bench.failover;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Failover against the peers, one run on one machine, one writer (testkit's ContinuousWriter at a steady rate):
 * for each scenario and repetition, a fresh deployment, one disruption, and what the client saw — the longest gap
 * between acknowledged writes, acknowledged writes lost, failed writes. Repetitions go round-robin over the
 * scenarios so that the machine's noise falls on all of them alike. Run by bench/failover.sh:
 *
 * <pre>java -cp … io.warden.bench.failover.FailoverBench --home REPO --work DIR --out bench/results
 *      [--reps 5] [--only peers|warden|all] [--rate 2000] [--scenarios id,id]</pre>
 */
public final class FailoverBench {

    // Lettuce reports every reconnect to a killed node, and Netty a handshake that fails after its client closed
    // (a connection attempt to a dead master at shutdown): the writer counts failures itself.
    private static final Logger LETTUCE = Logger.getLogger("io.lettuce");
    private static final Logger NETTY = Logger.getLogger("io.netty");

    private FailoverBench() {
    }

    public static void main(String[] argv) throws IOException {
        LETTUCE.setLevel(Level.SEVERE);
        NETTY.setLevel(Level.OFF);
        try {
            run(parse(argv));
        } catch (IllegalArgumentException e) {
            System.err.println("failover bench: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(Map<String, String> args) throws IOException {
        int reps = positive(args, "reps", 5);
        int rate = positive(args, "rate", 2000);
        String only = args.getOrDefault("only", "all");
        if (!Set.of("peers", "warden", "all").contains(only)) {
            throw usage("--only must be peers, warden or all, got " + only);
        }
        Path home = Path.of(args.getOrDefault("home", ".")).toAbsolutePath();
        Path work = Path.of(required(args, "work")).toAbsolutePath();
        Path out = Path.of(args.getOrDefault("out", home.resolve("bench/results").toString())).toAbsolutePath();

        List<Scenario> scenarios = select(all(home, work, rate), only, args.get("scenarios"));
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        Files.createDirectories(out);
        Path raw = out.resolve("failover-" + only + "-" + stamp + ".csv");
        Path table = out.resolve("failover-" + only + "-" + stamp + ".txt");
        Files.writeString(raw, Trial.CSV_HEADER + "\n");

        List<Trial> trials = new ArrayList<>();
        for (int rep = 1; rep <= reps; rep++) {
            for (Scenario scenario : scenarios) {
                Trial trial = runOnce(scenario, rep);
                trials.add(trial);
                Files.writeString(raw, trial.csv() + "\n", StandardOpenOption.APPEND);
            }
        }
        String rendered = "failover, " + reps + " repetitions at " + rate + " writes/s, " + Runtime.getRuntime().availableProcessors()
                + " CPUs, " + stamp + " (raw: " + home.relativize(raw) + ")\n\n" + ResultTable.render(scenarios, trials);
        Files.writeString(table, rendered, StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(rendered);
    }

    private static Trial runOnce(Scenario scenario, int rep) {
        long start = System.nanoTime();
        Trial trial;
        try {
            trial = Trial.measured(scenario.id(), rep, scenario.repetition().run());
        } catch (Exception | AssertionError e) {
            String why = String.valueOf(e.getMessage());
            trial = Trial.failed(scenario.id(), rep, why.length() > 600 ? why.substring(0, 600) + "…" : why);
            e.printStackTrace(new PrintWriter(System.err, true));
        }
        System.out.printf("%-36s rep %d: %s (%.0f s)%n", scenario.id(), rep,
                trial.ok() ? "gap " + trial.gapMs() + " ms, moved after " + trial.movedMs() + " ms, lost " + trial.lost() + ", errors "
                        + trial.errors() + (trial.note().isEmpty() ? "" : ", " + trial.note()) : "FAILED: " + trial.failure().lines().findFirst().orElse(""),
                (System.nanoTime() - start) / 1e9);
        return trial;
    }

    /** Every scenario, in table order. */
    private static List<Scenario> all(Path home, Path work, int rate) {
        WardenScenarios warden = new WardenScenarios(home, work, rate);
        return List.of(
                ClusterScenarios.plannedFailover(rate),
                SentinelScenarios.plannedFailover(rate),
                ReplicationScenarios.plannedFailover(rate),
                warden.preStopCluster(),
                warden.preStopReplication(),
                ClusterScenarios.killMaster(15_000, rate),
                ClusterScenarios.killMaster(5_000, rate),
                SentinelScenarios.killMaster(30_000, rate),
                SentinelScenarios.killMaster(5_000, rate),
                warden.killCluster(),
                warden.killReplication());
    }

    private static List<Scenario> select(List<Scenario> all, String only, String ids) {
        List<Scenario> chosen = all.stream().filter(s -> "all".equals(only) || s.warden() == "warden".equals(only)).toList();
        if (ids == null) {
            return chosen;
        }
        List<String> wanted = Arrays.asList(ids.split(","));
        List<String> unknown = wanted.stream().filter(id -> all.stream().noneMatch(s -> s.id().equals(id))).toList();
        if (!unknown.isEmpty()) {
            throw usage("--scenarios: unknown " + unknown + "; known: " + all.stream().map(Scenario::id).toList());
        }
        return chosen.stream().filter(s -> wanted.contains(s.id())).toList();
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw usage("expected --name value pairs, got " + Arrays.toString(argv));
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        return args;
    }

    private static int positive(Map<String, String> args, String name, int fallback) {
        String value = args.getOrDefault(name, Integer.toString(fallback));
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usage("--" + name + " must be a positive whole number, got " + value);
    }

    private static String required(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null) {
            throw usage("--" + name + " is required");
        }
        return value;
    }

    private static IllegalArgumentException usage(String message) {
        return new IllegalArgumentException(message);
    }
}
