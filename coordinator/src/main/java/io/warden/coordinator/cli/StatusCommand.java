package io.warden.coordinator.cli;

import io.warden.common.wire.WireJson;
import io.warden.coordinator.topology.TopologyDocument;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** {@code bin/warden status [--json] [--coordinator URL] [--dir DIR]}: the topology as a table or as JSON. */
public final class StatusCommand {

    private StatusCommand() {
    }

    public static int run(List<String> argv) {
        Args args = Args.parse("status", argv, Set.of("coordinator", "dir"), Set.of("json"));
        CoordinatorClient client = CoordinatorClient.locate("status", args);
        try {
            TopologyDocument doc = client.topology();
            System.out.print(args.has("json") ? WireJson.encode(doc) + "\n" : StatusTable.render(doc));
            return doc.healthy() ? 0 : 1;
        } catch (IOException e) {
            System.err.println("bin/warden status: " + e.getMessage());
            return 1;
        }
    }
}
