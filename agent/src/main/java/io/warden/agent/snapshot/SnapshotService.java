package io.warden.agent.snapshot;

import io.micrometer.core.instrument.MeterRegistry;
import io.warden.agent.redis.RedisNode;
import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.RedisInfo;
import io.warden.common.snapshot.PublishWhileSaving;
import io.warden.common.snapshot.RdbDigest;
import io.warden.common.snapshot.Retention;
import io.warden.common.snapshot.SnapshotException;
import io.warden.common.snapshot.SnapshotKey;
import io.warden.common.snapshot.SnapshotManifest;
import io.warden.common.snapshot.SnapshotPublisher;
import io.warden.common.snapshot.SnapshotStore;
import io.warden.common.snapshot.SnapshotTarget;
import io.warden.common.snapshot.StoredSnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Takes snapshots of the local Redis, one at a time, on their own thread so the agent's loop keeps ticking
 * and beating (and reports the one in progress).
 * <ol>
 *   <li>A request while one runs is refused, naming the one running: never two BGSAVEs, never two uploads;</li>
 *   <li>BGSAVE ({@link BgSave}) and stream the RDB to the target, verified, with its manifest: copied while Redis
 *       writes it when its temp file shows up and turns out to be the finished dump ({@link PublishWhileSaving}),
 *       else the finished file after the save ({@link SnapshotPublisher});</li>
 *   <li>only then apply retention to this shard: the newest {@code keep} good snapshots stay.</li>
 * </ol>
 */
public final class SnapshotService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SnapshotService.class.getName());
    private static final int RECENT = 20;
    /** Redis's child creates its temp file right after the fork; one not seen by then is not followed. */
    private static final Duration TEMP_FILE_WAIT = Duration.ofSeconds(1);

    /** What a request got. */
    public sealed interface Outcome permits Started, Busy, Unavailable {
    }

    public record Started(SnapshotJob job) implements Outcome {
    }

    public record Busy(SnapshotJob running) implements Outcome {
    }

    public record Unavailable(String reason) implements Outcome {
    }

    private final SnapshotSettings settings;
    /**
     * Opened off the event loop: building an S3 client loads a few thousand classes (30–40 MiB of resident memory).
     * An S3 target is opened at start on the snapshot thread, so that cost shows in the idle agent's footprint — what
     * a pod's memory limit is sized from — and not as a jump during the first snapshot; a file target on first use.
     */
    private Optional<SnapshotStore> store;
    private final BgSave bgSave;
    private final Supplier<RedisObservation> latest;
    private final String pod;
    private final Clock clock;
    private final SnapshotMetrics metrics;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "warden-snapshot");
        t.setDaemon(true);
        return t;
    });
    private final Deque<SnapshotJob> recent = new ArrayDeque<>();
    private SnapshotJob running;
    private Instant lastStart;

    public SnapshotService(SnapshotSettings settings, Optional<Path> dataDir, RedisNode node, Supplier<RedisObservation> latest,
                           String pod, Clock clock, MeterRegistry registry) {
        this.settings = settings;
        this.bgSave = new BgSave(node, dataDir, clock);
        this.latest = latest;
        this.pod = pod;
        this.clock = clock;
        this.metrics = new SnapshotMetrics(registry, settings.interval());
        this.lastStart = clock.instant();
        if (settings.target().filter(SnapshotTarget::s3).isPresent()) {
            worker.execute(this::store);
        }
    }

    /**
     * Starts a snapshot unless one runs.
     *
     * @param shard the shard as the coordinator names it; empty: worked out from this node's cluster view
     */
    public synchronized Outcome request(Optional<String> shard, String trigger) {
        if (settings.target().isEmpty()) {
            return new Unavailable("snapshots are off: WARDEN_SNAPSHOT_TARGET is not set");
        }
        if (running != null) {
            return new Busy(running);
        }
        RedisObservation now = latest.get();
        Optional<ShardOf.Shard> derived = ShardOf.of(now);
        if (shard.isEmpty() && derived.isEmpty()) {
            return new Unavailable(now.up() ? "this node serves no slots and follows no master yet: it belongs to no shard"
                    : "redis is not answering: " + now.reachability().detail());
        }
        String shardId = shard.orElseGet(() -> derived.get().id());
        List<String> slots = derived.filter(d -> d.id().equals(shardId)).map(ShardOf.Shard::slots)
                .orElseGet(() -> derived.map(ShardOf.Shard::slots).orElse(List.of()));
        Instant start = clock.instant();
        SnapshotKey key = SnapshotKey.at(settings.deployment(), shardId, start);
        running = new SnapshotJob(key.id(), shardId, trigger, SnapshotJob.RUNNING, "", start.toString(), "", 0, "");
        lastStart = start;
        SnapshotJob job = running;
        worker.execute(() -> take(job, key, slots, now));
        return new Started(job);
    }

    /** The schedule's tick: starts a snapshot when one interval passed since the last began. */
    public void tick() {
        boolean due;
        synchronized (this) {
            due = running == null && Schedule.due(settings.interval(), lastStart, clock.instant());
        }
        if (due) {
            Outcome outcome = request(Optional.empty(), "schedule");
            if (outcome instanceof Unavailable unavailable) {
                LOG.warning("scheduled snapshot skipped: " + unavailable.reason());
                synchronized (this) {
                    lastStart = clock.instant();
                }
            }
        }
    }

    public synchronized Optional<SnapshotJob> running() {
        return Optional.ofNullable(running);
    }

    /** The latest jobs, newest first, the running one included. */
    public synchronized List<SnapshotJob> jobs() {
        List<SnapshotJob> all = new java.util.ArrayList<>();
        if (running != null) {
            all.add(running);
        }
        all.addAll(recent);
        return all;
    }

    public Optional<SnapshotJob> job(String id) {
        return jobs().stream().filter(j -> j.id().equals(id)).findFirst();
    }

    /** Every snapshot of this deployment in the target, all shards. Blocking I/O. */
    public List<StoredSnapshot> stored() throws IOException {
        Optional<SnapshotStore> opened = store();
        return opened.isEmpty() ? List.of() : opened.get().list(settings.deployment());
    }

    public Optional<String> target() {
        return settings.target().map(t -> t.uri().toString());
    }

    private synchronized Optional<SnapshotStore> store() {
        if (store == null) {
            store = settings.target().map(t -> t.open(settings.s3()));
        }
        return store;
    }

    private void take(SnapshotJob job, SnapshotKey key, List<String> slots, RedisObservation seen) {
        Instant start = Instant.parse(job.startedAt());
        try {
            // Opened before the save: building an S3 client the first time takes longer than a small save.
            SnapshotStore target = store().orElseThrow();
            BgSave.Running save = bgSave.start(settings.saveTimeout());
            Function<RdbDigest.RdbCheck, SnapshotManifest> manifestOf = check -> manifestOf(key, slots, save.info(), seen, check, start);
            Optional<SnapshotManifest> whileSaving = publishWhileSaving(target, key, save, manifestOf);
            SnapshotManifest manifest = whileSaving.isPresent() ? whileSaving.get()
                    : SnapshotPublisher.publish(target, key, save.saved().rdb(), manifestOf);
            Instant done = clock.instant();
            Duration took = Duration.between(start, done);
            metrics.succeeded(took, manifest.sizeBytes(), done.getEpochSecond());
            LOG.info("snapshot " + key.id() + " published to " + target.describe() + ": " + manifest.sizeBytes() + " bytes, "
                    + manifest.keys() + " keys, in " + took.toMillis() + " ms (BGSAVE " + Duration.between(start, save.savedAt()).toMillis()
                    + " ms, " + (whileSaving.isPresent() ? "copied while Redis wrote it, then" : "then") + " streaming and verifying "
                    + Duration.between(save.savedAt(), done).toMillis() + " ms)");
            applyRetention(key.shard());
            finish(job.finished(SnapshotJob.SUCCEEDED, "", clock.instant().toString(), manifest.sizeBytes(),
                    whileSaving.isPresent() ? SnapshotJob.WHILE_SAVING : SnapshotJob.AFTER_SAVE));
        } catch (SnapshotException e) {
            fail(job, e.reason().label(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(job, "interrupted", "the agent is stopping");
        } catch (RuntimeException e) {
            fail(job, "internal", String.valueOf(e));
        }
    }

    /**
     * Follows the save's temp file as Redis writes it; empty, with nothing published, when there is none to follow
     * or what was read turned out not to be the finished dump (then the finished file is published as before).
     */
    private Optional<SnapshotManifest> publishWhileSaving(SnapshotStore target, SnapshotKey key, BgSave.Running save,
                                                          Function<RdbDigest.RdbCheck, SnapshotManifest> manifestOf)
            throws SnapshotException, InterruptedException {
        Optional<Path> temp = save.tempFile(TEMP_FILE_WAIT);
        if (temp.isEmpty()) {
            return Optional.empty();
        }
        PublishWhileSaving.Outcome outcome = PublishWhileSaving.publish(target, key, temp.get(), save, save.rdb(),
                previousSize(save.rdb()), manifestOf);
        if (outcome instanceof PublishWhileSaving.NotTheFinishedFile not) {
            LOG.info("snapshot " + key.id() + ": not published from " + temp.get().getFileName() + " as Redis wrote it ("
                    + not.reason() + "); publishing the finished " + save.rdb().getFileName() + " instead");
            return Optional.empty();
        }
        return Optional.of(((PublishWhileSaving.Published) outcome).manifest());
    }

    /** The last dump's size: what this one will likely be near (S3 sizes its parts by it). */
    private static long previousSize(Path rdb) {
        try {
            return Files.size(rdb);
        } catch (IOException e) {
            return 0;
        }
    }

    private SnapshotManifest manifestOf(SnapshotKey key, List<String> slots, RedisInfo info, RedisObservation seen,
                                        RdbDigest.RdbCheck check, Instant start) {
        return new SnapshotManifest(key.id(), key.deployment(), key.shard(), key.name(), slots,
                seen.nodeId().orElse(""), pod, info.role().wireName(), info.version(), check.size(), check.sha256(), check.crc64(),
                info.replicationOffset(), info.keyCount(), start.toString(), clock.instant().toString());
    }

    private void applyRetention(String shard) {
        try {
            List<StoredSnapshot> ofShard = store().orElseThrow().list(settings.deployment()).stream()
                    .filter(s -> s.key().shard().equals(shard)).toList();
            for (SnapshotKey old : Retention.toDelete(ofShard, settings.keep())) {
                store().orElseThrow().delete(old);
                LOG.info("retention: deleted snapshot " + old.id() + " (keeping the newest " + settings.keep() + " good of " + shard + ")");
            }
        } catch (IOException e) {
            LOG.warning("retention of " + shard + " failed, will retry after the next snapshot: " + e.getMessage());
        }
    }

    private void fail(SnapshotJob job, String reason, String message) {
        metrics.failed(reason);
        LOG.warning("snapshot " + job.id() + " failed (" + reason + "): " + message);
        finish(job.finished(SnapshotJob.FAILED, message, clock.instant().toString(), 0, ""));
    }

    private synchronized void finish(SnapshotJob done) {
        running = null;
        recent.addFirst(done);
        while (recent.size() > RECENT) {
            recent.removeLast();
        }
    }

    /** Stops a snapshot in progress (its upload is aborted, nothing is published) and waits briefly for it to end. */
    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (store != null) {
                store.ifPresent(SnapshotStore::close);
            }
        }
    }
}
