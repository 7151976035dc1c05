package io.warden.agent.snapshot;

import io.warden.agent.heartbeat.DataAtStart;
import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;
import io.warden.common.snapshot.S3Settings;
import io.warden.common.snapshot.SnapshotCatalog;
import io.warden.common.snapshot.SnapshotException;
import io.warden.common.snapshot.SnapshotKey;
import io.warden.common.snapshot.SnapshotManifest;
import io.warden.common.snapshot.SnapshotRestore;
import io.warden.common.snapshot.SnapshotStore;
import io.warden.common.snapshot.SnapshotTarget;
import io.warden.common.snapshot.StoredSnapshot;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code warden-agent.jar restore [--data-dir DIR] [--snapshot FILE|URI] [--shard ID] [--aof] [--allow-empty]}: the
 * init step before Redis starts. It fails closed: a pod whose snapshot should exist but cannot be had does not
 * start empty and serve.
 * <ol>
 *   <li>A data directory that already holds a dataset (dump.rdb or an AOF) is left alone: exit 0.</li>
 *   <li>The snapshot is the one named ({@code --snapshot}), or the newest good one of this pod's shard
 *       ({@code --shard} / {@code WARDEN_SHARD}) in {@code WARDEN_SNAPSHOT_TARGET}.</li>
 *   <li>It is downloaded and verified (manifest present, size, SHA-256, CRC64) into {@code dump.rdb}; with
 *       {@code --aof} it also becomes the base of a fresh AOF, for a Redis that runs with appendonly yes (Redis 7
 *       then loads the AOF and ignores dump.rdb).</li>
 *   <li>Anything that stops this — no target, no shard, no good snapshot, a download or check that fails —
 *       exits 1 with the reason and leaves the directory as it was (empty), unless {@code --allow-empty} says
 *       starting empty is acceptable.</li>
 * </ol>
 */
public final class RestoreCommand {

    public static final int EXIT_RESTORED_OR_NOTHING_TO_DO = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    private final Env env;
    private final PrintStream out;
    private final PrintStream err;

    public RestoreCommand(Env env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    private record Flags(Optional<Path> dataDir, Optional<String> snapshot, Optional<String> shard, boolean aof, boolean allowEmpty) {
    }

    public int run(List<String> args) {
        Flags flags;
        try {
            flags = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("warden agent restore: " + e.getMessage()
                    + "; usage: restore [--data-dir DIR] [--snapshot FILE|URI] [--shard ID] [--aof] [--allow-empty]");
            return EXIT_USAGE;
        }
        try {
            Path dataDir = flags.dataDir().or(() -> env.optional("WARDEN_DATA_DIR").map(Path::of))
                    .orElseThrow(() -> new IllegalArgumentException("--data-dir (or WARDEN_DATA_DIR) is needed: where Redis keeps its data"));
            if (DataAtStart.holdsData(dataDir)) {
                out.println("warden agent restore: " + dataDir + " already holds a dataset; nothing restored");
                return EXIT_RESTORED_OR_NOTHING_TO_DO;
            }
            Files.createDirectories(dataDir);
            return restore(flags, dataDir);
        } catch (IllegalArgumentException e) {
            err.println("warden agent restore: " + e.getMessage());
            return EXIT_USAGE;
        } catch (ConfigException e) {
            err.println("warden agent restore: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException e) {
            return refuse(flags, "cannot prepare the data directory: " + e.getMessage());
        }
    }

    private int restore(Flags flags, Path dataDir) {
        S3Settings s3 = S3Settings.fromEnv(env);
        SnapshotTarget target;
        SnapshotKey key;
        if (flags.snapshot().isPresent()) {
            SnapshotTarget.Located located = SnapshotTarget.locate("--snapshot", flags.snapshot().get());
            target = located.target();
            key = located.key();
        } else {
            Optional<SnapshotTarget> configured = env.optional("WARDEN_SNAPSHOT_TARGET").map(v -> SnapshotTarget.parse("WARDEN_SNAPSHOT_TARGET", v));
            if (configured.isEmpty()) {
                return refuse(flags, "no snapshot to restore from: set WARDEN_SNAPSHOT_TARGET or pass --snapshot");
            }
            Optional<String> shard = flags.shard().or(() -> env.optional("WARDEN_SHARD"));
            if (shard.isEmpty()) {
                return refuse(flags, "cannot tell this pod's shard: pass --shard or set WARDEN_SHARD (or name the snapshot with --snapshot)");
            }
            target = configured.get();
            String deployment = env.string("WARDEN_DEPLOYMENT", "warden");
            try (SnapshotStore store = target.open(s3)) {
                List<StoredSnapshot> all = store.list(deployment);
                List<StoredSnapshot> ofShard = all.stream().filter(s -> s.key().shard().equals(shard.get())).toList();
                Optional<StoredSnapshot> newest = SnapshotCatalog.newestGood(ofShard, shard.get(), Optional.empty());
                if (newest.isEmpty()) {
                    return refuse(flags, ofShard.isEmpty()
                            ? "no snapshot of " + deployment + "/" + shard.get() + " in " + store.describe()
                            : "no good snapshot of " + deployment + "/" + shard.get() + " in " + store.describe() + ": " + ofShard.size()
                            + " found, the newest is bad (" + ofShard.get(0).problem().orElse("") + ")");
                }
                key = newest.get().key();
            } catch (IOException e) {
                return refuse(flags, "cannot list " + target.uri() + ": " + e.getMessage());
            }
        }
        try (SnapshotStore store = target.open(s3)) {
            Path rdb = dataDir.resolve("dump.rdb");
            SnapshotManifest manifest = SnapshotRestore.into(store, key, dataDir, flags.aof());
            out.println("warden agent restore: restored " + manifest.id() + " (" + manifest.sizeBytes() + " bytes, " + manifest.keys()
                    + " keys, taken " + manifest.finishedAt() + " on " + manifest.pod() + ", SHA-256 and CRC64 verified) into " + rdb
                    + (flags.aof() ? " and as the AOF base" : ""));
            return EXIT_RESTORED_OR_NOTHING_TO_DO;
        } catch (SnapshotException e) {
            return refuse(flags, e.getMessage());
        }
    }

    private int refuse(Flags flags, String reason) {
        if (flags.allowEmpty()) {
            err.println("warden agent restore: " + reason + "; starting empty, as --allow-empty permits");
            return EXIT_RESTORED_OR_NOTHING_TO_DO;
        }
        err.println("warden agent restore: " + reason + "; refusing to let Redis start empty (pass --allow-empty to permit that)");
        return EXIT_FAILED;
    }

    private static Flags parse(List<String> args) {
        Optional<Path> dataDir = Optional.empty();
        Optional<String> snapshot = Optional.empty();
        Optional<String> shard = Optional.empty();
        boolean aof = false;
        boolean allowEmpty = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--allow-empty" -> allowEmpty = true;
                case "--aof" -> aof = true;
                case "--data-dir", "--snapshot", "--shard" -> {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    String value = args.get(++i);
                    switch (arg) {
                        case "--data-dir" -> dataDir = Optional.of(Path.of(value));
                        case "--snapshot" -> snapshot = Optional.of(value);
                        default -> shard = Optional.of(value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown flag " + arg);
            }
        }
        return new Flags(dataDir, snapshot, shard, aof, allowEmpty);
    }
}
