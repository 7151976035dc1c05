package io.warden.coordinator.cli;

import io.vertx.core.json.JsonObject;
import io.warden.coordinator.topology.TopologyDocument;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code bin/warden scale --shards N [--replicas R] [--no-wait] [--timeout SECONDS]}: records the shape with the
 * coordinator, then follows it with a progress bar until the deployment has it and is healthy.
 */
public final class ScaleCommand {

    private static final Duration POLL = Duration.ofMillis(500);

    private ScaleCommand() {
    }

    public static int run(List<String> argv) {
        Args args = Args.parse("scale", argv, Set.of("shards", "replicas", "coordinator", "dir", "timeout"), Set.of("no-wait"));
        if (!args.has("shards")) {
            throw new Args.UsageError("scale", "--shards N is required (the number of shards wanted)");
        }
        int shards = args.integer("shards", 0, 1, 16384);
        JsonObject body = new JsonObject().put("shards", shards);
        if (args.has("replicas")) {
            body.put("replicas", args.integer("replicas", 0, 0, 100));
        }
        Duration timeout = Duration.ofSeconds(args.integer("timeout", 3600, 1, 7 * 24 * 3600));
        CoordinatorClient client = CoordinatorClient.locate("scale", args);
        try {
            CoordinatorClient.Answer answer = client.send("POST", "/v1/scale", body.encode());
            if (answer.status() != 202) {
                String error = answer.status() < 500 && answer.body().startsWith("{") ? new JsonObject(answer.body()).getString("error", answer.body())
                        : answer.status() + " " + answer.body();
                System.err.println("bin/warden scale: refused: " + error);
                return 1;
            }
            JsonObject accepted = new JsonObject(answer.body());
            System.out.println("desired shape recorded: " + accepted.getInteger("shards") + " shards × " + accepted.getInteger("replicas")
                    + " replicas (" + accepted.getInteger("nodes") + " nodes)");
            return args.has("no-wait") ? 0 : follow(client, timeout);
        } catch (IOException e) {
            System.err.println("bin/warden scale: " + e.getMessage());
            return 1;
        }
    }

    /** Polls the topology, redrawing the bar in place on a terminal (a line per change otherwise). */
    private static int follow(CoordinatorClient client, Duration timeout) throws IOException {
        boolean terminal = System.console() != null;
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            TopologyDocument doc = client.topology();
            String line = ScaleProgressLine.render(doc);
            if (!line.equals(last)) {
                System.out.print(terminal ? "\r\033[K" + line : line + "\n");
                System.out.flush();
                last = line;
            }
            if (doc.scale() != null && doc.scale().done() && doc.healthy()) {
                System.out.print((terminal ? "\n\n" : "\n") + StatusTable.render(doc));
                return 0;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        System.err.println((terminal ? "\n" : "") + "bin/warden scale: not done after " + timeout.toSeconds() + " s; it goes on: follow it with bin/warden status");
        return 1;
    }
}
