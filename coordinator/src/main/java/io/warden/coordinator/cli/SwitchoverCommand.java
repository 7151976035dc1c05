package io.warden.coordinator.cli;

import io.vertx.core.json.JsonObject;
import io.warden.common.wire.SwitchoverRequest;
import io.warden.common.wire.SwitchoverResult;
import io.warden.common.wire.WireJson;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code bin/warden switchover --shard ID [--to NAME] [--coordinator URL] [--dir DIR]}: a planned, lossless
 * switchover through the coordinator (the path preStop takes). Exit 0 once the new master is confirmed; 1 when the
 * coordinator refused (409: the reason is printed, nothing changed) or failed; 2 for a usage mistake.
 */
public final class SwitchoverCommand {

    /** The coordinator answers once the new master is confirmed; a switchover is bounded well below this. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private SwitchoverCommand() {
    }

    public static int run(List<String> argv) {
        return run(argv, System.out, System.err);
    }

    /** As {@link #run(List)}, printing to {@code out} and {@code err}; a usage mistake throws {@link Args.UsageError}. */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args = Args.parse("switchover", argv, Set.of("shard", "to", "coordinator", "dir"), Set.of());
        String shard = args.value("shard").orElseThrow(() -> new Args.UsageError("switchover",
                "--shard is required: the shard to switch over, e.g. --shard shard-0 (bin/warden status lists them)"));
        if (!shard.matches("shard-\\d{1,5}")) {
            throw new Args.UsageError("switchover", "--shard expects a shard id such as shard-0, got \"" + shard + "\"");
        }
        String to = args.value("to").orElse(null);
        CoordinatorClient client = CoordinatorClient.locate("switchover", args);
        try {
            CoordinatorClient.Answer reply = client.send("POST", "/v1/shards/" + URLEncoder.encode(shard, StandardCharsets.UTF_8) + "/switchover",
                    WireJson.encode(new SwitchoverRequest(to, null)), PATIENCE);
            if (reply.status() == 200) {
                SwitchoverResult result = WireJson.decode(reply.body(), SwitchoverResult.class);
                out.println(result.outcome());
                return 0;
            }
            String error = errorOf(reply.body());
            err.println("bin/warden switchover: " + (reply.status() == 409 ? "refused: " + error + " (nothing changed)"
                    : "the coordinator answered " + reply.status() + ": " + error));
            return 1;
        } catch (IOException e) {
            err.println("bin/warden switchover: " + e.getMessage());
            return 1;
        }
    }

    private static String errorOf(String body) {
        try {
            return new JsonObject(body).getString("error", body);
        } catch (RuntimeException e) {
            return body;
        }
    }
}
