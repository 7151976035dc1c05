package io.warden.coordinator.cli;

import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;
import io.warden.common.snapshot.S3Settings;
import io.warden.common.snapshot.SnapshotException;
import io.warden.common.snapshot.SnapshotStore;
import io.warden.common.snapshot.SnapshotTarget;
import io.warden.common.snapshot.StoredSnapshot;
import io.warden.coordinator.local.LocalDeployment;
import io.warden.coordinator.local.LocalLayout;
import io.warden.coordinator.local.LocalRestore;
import io.warden.coordinator.local.LocalState;
import io.warden.coordinator.local.Programs;
import io.warden.coordinator.restore.RestoreChoice;
import io.warden.coordinator.topology.TopologyDocument;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code bin/warden restore --from TARGET [--at TIME] [--replicas R] [--deployment NAME] [--dir .warden]}: a fresh
 * local cluster-mode deployment holding every shard's newest snapshot (or the newest taken at or before
 * {@code --at}), each on the master that gets that shard's slots.
 * <ol>
 *   <li>Refuse, changing nothing, when {@code --dir} holds a deployment or node data or the addresses are taken.</li>
 *   <li>Choose the snapshots ({@link RestoreChoice}: all 16384 slots covered, or nothing is restored).</li>
 *   <li>Verify each into its master's data directory ({@link LocalRestore}); one failure leaves every one empty.</li>
 *   <li>Write the restore plan into the coordinator's shape, start everything as {@code up} does, wait until
 *       healthy, and print per shard the snapshot and the keys its master holds.</li>
 * </ol>
 * Local mode only: against another coordinator it says so and does nothing.
 */
public final class RestoreCommand {

    private RestoreCommand() {
    }

    public static int run(List<String> argv, Env env, Programs programs, PrintStream out, PrintStream err) {
        Args args = Args.parse("restore", argv, Set.of("from", "at", "replicas", "dir", "deployment", "coordinator"), Set.of());
        if (args.has("coordinator") || env.optional("WARDEN_COORDINATOR").isPresent()) {
            err.println("bin/warden restore: a whole-deployment restore is local-mode only for now; it starts a fresh local deployment and"
                    + " talks to no coordinator (unset WARDEN_COORDINATOR / drop --coordinator). In Kubernetes each pod's init step"
                    + " (bin/warden agent restore) restores its own shard");
            return 2;
        }
        SnapshotTarget target = target(args);
        Optional<Instant> at = args.value("at").map(RestoreCommand::time);
        int replicas = args.integer("replicas", 1, 0, 20);
        Path dir = Path.of(args.value("dir", ".warden"));
        String deployment = args.value("deployment", "local");
        String net = LocalLayout.net(env);
        RestoreChoice choice;
        LocalState layout;
        List<LocalRestore.Placed> placed;
        try (SnapshotStore store = target.open(S3Settings.fromEnv(env))) {
            List<StoredSnapshot> listing = store.list(deployment);
            if (listing.isEmpty()) {
                err.println("bin/warden restore: no snapshots of deployment \"" + deployment + "\" in " + store.describe()
                        + " (local mode names its deployment \"local\"; name another with --deployment)");
                return 1;
            }
            choice = RestoreChoice.choose(listing, at);
            try {
                layout = LocalLayout.plan(net, "cluster", choice.shards().size(), replicas);
            } catch (IllegalArgumentException e) {
                throw new Args.UsageError("restore", e.getMessage() + "; use fewer --replicas");
            }
            Optional<String> refusal = LocalRestore.refusal(dir, layout);
            if (refusal.isPresent()) {
                err.println("bin/warden restore: " + refusal.get() + "; nothing changed");
                return 1;
            }
            choice.notes().forEach(note -> out.println("note: " + note));
            out.println("restoring " + choice.shards().size() + " shards from " + store.describe() + " into " + dir.toAbsolutePath()
                    + "; verifying every snapshot before anything starts");
            placed = LocalRestore.place(dir, layout, choice, store);
        } catch (IOException e) {
            err.println("bin/warden restore: cannot list " + target.uri() + ": " + e.getMessage());
            return 1;
        } catch (RestoreChoice.Refused e) {
            err.println("bin/warden restore: " + e.getMessage() + "; nothing restored");
            return 1;
        } catch (SnapshotException e) {
            err.println("bin/warden restore: " + e.getMessage() + "; nothing was started and every data directory is left empty");
            return 1;
        }
        return start(dir, layout, choice, placed, programs, out, err);
    }

    private static int start(Path dir, LocalState layout, RestoreChoice choice, List<LocalRestore.Placed> placed, Programs programs,
                             PrintStream out, PrintStream err) {
        long began = System.nanoTime();
        LocalDeployment deployment = new LocalDeployment(dir, programs);
        try {
            LocalRestore.writeShape(dir, layout, LocalRestore.plan(placed, choice));
            deployment.up(layout);
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            err.println("bin/warden restore: the snapshots are in place but the deployment did not start: " + e.getMessage()
                    + "; see the logs in " + deployment.dir().resolve("logs") + ", then bin/warden up --dir " + dir + " (or down)");
            return 1;
        }
        CoordinatorClient client = new CoordinatorClient(URI.create(layout.coordinatorUrl()), LocalState.token(dir));
        Optional<TopologyDocument> healthy = LocalCommands.awaitHealthy(client);
        if (healthy.isEmpty()) {
            err.printf("bin/warden restore: not healthy after %.0f s; see bin/warden status and the logs in %s%n",
                    (System.nanoTime() - began) / 1e9, deployment.dir().resolve("logs"));
            return 1;
        }
        out.printf("healthy in %.1f s%n%n", (System.nanoTime() - began) / 1e9);
        out.printf("%-8s %-8s %-34s %-31s %s%n", "SHARD", "MASTER", "SNAPSHOT", "TAKEN", "KEYS RESTORED");
        for (LocalRestore.Placed p : placed) {
            String keys;
            try {
                keys = LocalRestore.dbsize(p.node()) + " (snapshot: " + p.manifest().keys() + ")";
            } catch (IOException e) {
                keys = "unknown (" + e.getMessage() + ")";
            }
            out.printf("%-8s %-8s %-34s %-31s %s%n", p.manifest().shard(), p.node().name(), p.manifest().id(), p.manifest().finishedAt(), keys);
        }
        out.println();
        out.print(StatusTable.render(healthy.get()));
        out.println("next: bin/warden status    bin/warden down" + (dir.equals(Path.of(".warden")) ? "" : " --dir " + dir));
        return 0;
    }

    private static SnapshotTarget target(Args args) {
        String from = args.value("from").orElseThrow(() -> new Args.UsageError("restore",
                "--from is required: the snapshot target, e.g. file:///backups/warden or s3://bucket/prefix"));
        try {
            return SnapshotTarget.parse("--from", from);
        } catch (ConfigException e) {
            throw new Args.UsageError("restore", e.getMessage());
        }
    }

    /** An ISO-8601 instant ({@code 2026-03-02T10:00:00Z}) or date-time with an offset. */
    static Instant time(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException again) {
                throw new Args.UsageError("restore", "--at expects an ISO-8601 time such as 2026-03-02T10:00:00Z, got \"" + value + "\"");
            }
        }
    }
}
