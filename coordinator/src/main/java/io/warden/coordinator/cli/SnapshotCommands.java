package io.warden.coordinator.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code bin/warden snapshot [--shard ID] [--no-wait]}: asks the coordinator for a snapshot of every shard (or one),
 * then waits until each is published or failed. {@code bin/warden snapshots [--json]}: the target's snapshots per
 * shard with time, size and verification state.
 */
public final class SnapshotCommands {

    private static final Duration WAIT = Duration.ofMinutes(60);

    private SnapshotCommands() {
    }

    public static int snapshot(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse("snapshot", argv, Set.of("shard", "coordinator", "dir"), Set.of("no-wait"));
        CoordinatorClient client = CoordinatorClient.locate("snapshot", args);
        String body = args.value("shard").map(s -> new JsonObject().put("shard", s).encode()).orElse("");
        try {
            CoordinatorClient.Answer answer = client.send("POST", "/v1/snapshots", body);
            JsonObject json = json(answer.body());
            if (answer.status() == 400) {
                err.println("bin/warden snapshot: " + json.getString("error"));
                return 2;
            }
            JsonArray started = json.getJsonArray("snapshots", new JsonArray());
            JsonArray problems = json.getJsonArray("problems", new JsonArray());
            for (int i = 0; i < started.size(); i++) {
                JsonObject s = started.getJsonObject(i);
                out.printf("%-8s %-10s %-8s %s started%n", s.getString("shard"), s.getString("node"), s.getString("role"), s.getString("id"));
            }
            problems.forEach(p -> err.println("bin/warden snapshot: " + p));
            if (answer.status() != 202 && answer.status() != 409) {
                err.println("bin/warden snapshot: the coordinator answered " + answer.status() + ": " + answer.body());
                return 1;
            }
            boolean ok = problems.isEmpty() && !started.isEmpty();
            if (args.has("no-wait")) {
                return ok ? 0 : 1;
            }
            for (int i = 0; i < started.size(); i++) {
                ok &= awaitDone(client, started.getJsonObject(i).getString("id"), out, err);
            }
            return ok ? 0 : 1;
        } catch (IOException e) {
            err.println("bin/warden snapshot: " + e.getMessage());
            return 1;
        }
    }

    private static boolean awaitDone(CoordinatorClient client, String id, PrintStream out, PrintStream err) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            CoordinatorClient.Answer answer = client.send("GET", "/v1/snapshots/" + id, null);
            JsonObject job = json(answer.body());
            String state = job.getString("state", "");
            if ("succeeded".equals(state)) {
                out.printf("%s succeeded: %d bytes, verified%n", id, job.getLong("sizeBytes", 0L));
                return true;
            }
            if ("failed".equals(state) || answer.status() != 200) {
                err.println("bin/warden snapshot: " + id + " failed: " + job.getString("reason", job.getString("error", answer.body())));
                return false;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        err.println("bin/warden snapshot: " + id + " still running after " + WAIT.toMinutes() + " minutes; see bin/warden snapshots");
        return false;
    }

    public static int list(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse("snapshots", argv, Set.of("coordinator", "dir"), Set.of("json"));
        CoordinatorClient client = CoordinatorClient.locate("snapshots", args);
        try {
            CoordinatorClient.Answer answer = client.send("GET", "/v1/snapshots", null);
            JsonObject json = json(answer.body());
            if (answer.status() != 200) {
                err.println("bin/warden snapshots: " + json.getString("error", answer.body()));
                return 1;
            }
            if (args.has("json")) {
                out.println(json.encodePrettily());
                return 0;
            }
            out.print(table(json));
            return 0;
        } catch (IOException e) {
            err.println("bin/warden snapshots: " + e.getMessage());
            return 1;
        }
    }

    public static String table(JsonObject listing) {
        JsonArray snapshots = listing.getJsonArray("snapshots", new JsonArray());
        StringBuilder text = new StringBuilder("target: " + listing.getString("target", "none") + "\n");
        if (snapshots.isEmpty()) {
            return text.append("no snapshots yet\n").toString();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SHARD", "TIME", "SIZE", "STATE", "ID / PROBLEM"});
        for (int i = 0; i < snapshots.size(); i++) {
            JsonObject s = snapshots.getJsonObject(i);
            boolean good = s.getBoolean("good", false);
            rows.add(new String[] {s.getString("shard"), s.getString("time"), size(s.getLong("sizeBytes", 0L)),
                    good ? "verified" : "BAD", good ? s.getString("id") : s.getString("problem", "")});
        }
        int[] widths = new int[4];
        rows.forEach(r -> {
            for (int c = 0; c < 4; c++) {
                widths[c] = Math.max(widths[c], r[c].length());
            }
        });
        rows.forEach(r -> text.append(String.format("%-" + widths[0] + "s  %-" + widths[1] + "s  %" + widths[2] + "s  %-" + widths[3] + "s  %s%n",
                (Object[]) r)));
        return text.toString();
    }

    private static String size(long bytes) {
        return bytes >= 1 << 30 ? String.format("%.1fG", bytes / (double) (1 << 30))
                : bytes >= 1 << 20 ? String.format("%.1fM", bytes / (double) (1 << 20))
                : bytes >= 1 << 10 ? String.format("%.1fK", bytes / 1024.0) : bytes + "B";
    }

    private static JsonObject json(String body) {
        try {
            return new JsonObject(body);
        } catch (RuntimeException e) {
            return new JsonObject().put("error", body);
        }
    }
}
