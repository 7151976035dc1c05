package io.warden.coordinator.scale;

import io.warden.coordinator.plan.Planner;
import io.warden.coordinator.plan.Retirement;
import io.warden.coordinator.plan.ShapeProgress;
import io.warden.coordinator.registry.AgentRegistry;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.TopologyDocument;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Holds the desired shape and changes it on request; after each tick of the leader, has the pool hold that many
 * nodes and stop retired ones.
 * <ol>
 *   <li>At start the stored shape, if any, replaces the configured one (the same mode only).</li>
 *   <li>A request is checked ({@link ShapeCheck}), stored, then takes effect: stored first, so a crash never acts
 *       on a shape that would be forgotten.</li>
 *   <li>After a tick: the pool starts missing nodes and stops {@link Retirement#releasable} ones; the registry
 *       forgets what was stopped (a stopped node is not "unreachable", it is gone). Runs on a thread of its own:
 *       starting processes and calling the Kubernetes API block.</li>
 *   <li>A restore plan ({@code bin/warden restore}) is dropped from the shape, stored first, once the tick's view
 *       shows it complete ({@link Planner#restoreComplete}): from then on restored nodes are ordinary members.</li>
 * </ol>
 */
public final class Scaler implements Consumer<ClusterView>, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Scaler.class.getName());

    private final ShapeStore store;
    private final NodePool pool;
    private final AgentRegistry registry;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "warden-node-pool");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean poolBusy = new AtomicBoolean();
    private volatile DesiredShape desired;
    /** The most slots seen still to move since the last request: the progress bar's whole. */
    private volatile int slotsAtStart;

    public Scaler(DesiredShape configured, ShapeStore store, NodePool pool, AgentRegistry registry) {
        this.desired = configured;
        this.store = store;
        this.pool = pool;
        this.registry = registry;
    }

    /** Replaces the configured shape by the stored one, if any (blocking). */
    public void loadStored() throws Exception {
        Optional<DesiredShape> stored = store.load();
        if (stored.isPresent() && stored.get().mode() == desired.mode()) {
            desired = stored.get();
            LOG.info("desired shape from the store: " + describe(desired));
        } else if (stored.isPresent()) {
            LOG.warning("ignoring the stored " + describe(stored.get()) + ": this coordinator runs " + desired.mode().wireName() + " mode");
        }
    }

    public DesiredShape desired() {
        return desired;
    }

    public NodePool.Limits limits() {
        return pool.limits();
    }

    /** Records a checked shape (blocking: it is stored first) and makes it the desired one. */
    public synchronized DesiredShape request(int shards, int replicas) throws Exception {
        DesiredShape next = new DesiredShape(desired.mode(), shards, replicas, true);
        store.save(next);
        desired = next;
        slotsAtStart = 0;
        LOG.info("desired shape is now " + describe(next));
        return next;
    }

    /**
     * After a tick of the leader, with its view: a spent restore plan is dropped and the pool catches up, off the
     * event loop, one run at a time.
     */
    @Override
    public void accept(ClusterView view) {
        DesiredShape shape = desired;
        boolean restored = Planner.restoreComplete(view, shape);
        if (!(shape.enforced() || restored) || !poolBusy.compareAndSet(false, true)) {
            return;
        }
        thread.execute(() -> {
            try {
                if (restored) {
                    finishRestore(shape);
                }
                if (shape.enforced()) {
                    List<String> stopped = pool.reconcile(shape, Retirement.retiring(view, shape), Retirement.releasable(view, shape));
                    stopped.forEach(registry::forget);
                    if (!stopped.isEmpty()) {
                        LOG.info("stopped retired " + String.join(", ", stopped));
                    }
                }
            } catch (Exception e) {
                LOG.warning("after tick (restore plan, node pool): " + e.getMessage());
            } finally {
                poolBusy.set(false);
            }
        });
    }

    private synchronized void finishRestore(DesiredShape shape) throws Exception {
        if (desired != shape) {
            return; // a request replaced it meanwhile
        }
        DesiredShape done = shape.withoutRestore();
        store.save(done);
        desired = done;
        LOG.info("restore complete: every restored master joined and all slots are served; restore plan cleared");
    }

    /** The document's scale section: where a requested shape stands. Null while no shape was requested. */
    public TopologyDocument.Scale status(ClusterView view) {
        DesiredShape shape = desired;
        if (!shape.enforced()) {
            return null;
        }
        ShapeProgress progress = ShapeProgress.of(view, shape);
        int whole = Math.max(slotsAtStart, progress.slotsToMove());
        slotsAtStart = whole;
        return new TopologyDocument.Scale(shape.shards(), shape.replicas(), progress.reached(), whole, whole - progress.slotsToMove(),
                progress.retiring(), progress.missing());
    }

    static String describe(DesiredShape shape) {
        return shape.mode().wireName() + " " + shape.shards() + " shards × " + shape.replicas() + " replicas";
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
