package io.warden.coordinator.execute;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warden.common.wire.Action;
import io.warden.coordinator.election.LeaderElection;
import io.warden.coordinator.election.Leadership;
import io.warden.coordinator.plan.FailoverPolicy;
import io.warden.coordinator.plan.Plan;
import io.warden.coordinator.plan.Planner;
import io.warden.coordinator.plan.Step;
import io.warden.coordinator.registry.AgentRegistry;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.NodeView;
import io.warden.coordinator.topology.TopologyDocument.Event;
import io.warden.coordinator.topology.ViewBuilder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The coordinator's loop. Each tick:
 * <ol>
 *   <li>not leading: nothing (followers only serve);</li>
 *   <li>leading for less than the warm-up (one heartbeat plus grace): nothing yet, so a new leader has heard
 *       from the agents before it changes anything (DESIGN.md rule 4);</li>
 *   <li>paused (a switchover is moving a master, see {@link #pause}): nothing, so the planner never acts on reports
 *       taken halfway through a handover;</li>
 *   <li>until every node the last plan acted on has reported an observation made after the action (its
 *       {@code appliedThrough} reached the action's sequence), nothing: planning on reports older than our own
 *       actions would hand the same slots to two nodes; once slot moves ended, every node is told to report at once
 *       ({@code REPORT_NOW}) and waited for the same way. Bounded by {@link #SETTLE_LIMIT} (a node may die);</li>
 *   <li>build one immutable view from the agents' latest reports, plan, and run the plan's steps; with none to run,
 *       warm the instruction path to any agent not instructed yet ({@link Executor#warm});</li>
 *   <li>log the outcome once when it changes, keep it in a short history for the topology document.</li>
 * </ol>
 * Ticks never overlap: a long step holds the next tick back, never runs twice.
 */
public final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
    private static final int HISTORY = 20;
    /** How long to wait for nodes to report an action before planning anyway. */
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(15);
    /** Actions of a slot migration: after them, the next step follows at once. */
    private static final java.util.Set<Action> SLOT_ACTIONS = java.util.EnumSet.of(Action.CLUSTER_MIGRATE_SLOTS,
            Action.CLUSTER_FINISH_MIGRATION, Action.CLUSTER_SETSLOT_STABLE, Action.CLUSTER_SETSLOT_NODE);
    /** Actions that move keys into a target node. */
    private static final java.util.Set<Action> MOVES = java.util.EnumSet.of(Action.CLUSTER_MIGRATE_SLOTS, Action.CLUSTER_FINISH_MIGRATION);
    /** How soon to look again after a batch of slots moved (the wait for the agents' reports still applies). */
    static final Duration FOLLOW_UP = Duration.ofMillis(20);

    private final Vertx vertx;
    private final AgentRegistry registry;
    private final LeaderElection election;
    private final Executor executor;
    private final Supplier<DesiredShape> desired;
    private final Duration interval;
    private final Duration freshness;
    private final Duration warmup;
    private final Clock clock;
    private final Consumer<ClusterView> afterTick;
    private final FailoverPolicy failover;
    private final Timer planning;
    private final Deque<Event> history = new ArrayDeque<>();
    private final ViewBuilder views = new ViewBuilder();
    private volatile Plan lastPlan = Plan.nothing("not planned yet", List.of());
    private volatile Instant lastTick;
    private String lastOutcome = "";
    /** Node name → the sequence of the last action on it that its reports must reach (event loop only). */
    private Map<String, Long> awaiting = Map.of();
    private Instant awaitingSince = Instant.EPOCH;
    /** Why planning is paused (switchovers under way); empty when it is not. */
    private final Set<String> pauses = ConcurrentHashMap.newKeySet();
    /** The tick in flight, or the last one (event loop only). */
    private Future<Void> current = Future.succeededFuture();
    private boolean stopped;
    private boolean ticking;
    /** The last plan moved or closed slots and every step took effect: the next one follows at once. */
    private boolean movingSlots;
    private long timer = -1;

    /** Timing of the loop: tick interval, how recent a report must be, how long a new leader waits. */
    public record Timing(Duration interval, Duration freshness, Duration warmup) {
    }


    /**
     * @param desired   the desired shape, read afresh each tick (a scale request changes it)
     * @param metrics   where the time to build a view and plan it is recorded, with p50/p99
     * @param afterTick called with each planned view (replication mode labels pods from it)
     */
    public Reconciler(Vertx vertx, AgentRegistry registry, LeaderElection election, Executor executor, Supplier<DesiredShape> desired,
                      Timing timing, Clock clock, MeterRegistry metrics, Consumer<ClusterView> afterTick) {
        this(vertx, registry, election, executor, desired, timing, clock, metrics, afterTick, FailoverPolicy.DEFAULTS);
    }

    /** @param failover how readily a dead master is replaced */
    public Reconciler(Vertx vertx, AgentRegistry registry, LeaderElection election, Executor executor, Supplier<DesiredShape> desired,
                      Timing timing, Clock clock, MeterRegistry metrics, Consumer<ClusterView> afterTick, FailoverPolicy failover) {
        this.failover = failover;
        this.planning = Timer.builder("warden.reconcile.duration")
                .description("Time to build one view from the agents' reports and plan it")
                .publishPercentiles(0.5, 0.99)
                .register(metrics);
        this.vertx = vertx;
        this.registry = registry;
        this.election = election;
        this.executor = executor;
        this.desired = desired;
        this.interval = timing.interval();
        this.freshness = timing.freshness();
        this.warmup = timing.warmup();
        this.clock = clock;
        this.afterTick = afterTick;
        this.lastTick = clock.instant();
    }

    public void start() {
        tick();
    }

    public void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The view as of now, from the agents' latest reports. */
    public ClusterView view() {
        return views.build(desired.get().mode(), registry.snapshot(), clock.instant(), freshness);
    }

    /**
     * Replication mode: whether the agent {@code name} holds the master lease now. Only the leader grants it, only to
     * the master the plan works toward ({@link Planner#leaseHolder}), and during a new leader's warm-up only when a
     * replica already follows that master with its link up (before hearing from everyone, it may not yet know that
     * another node has taken over).
     */
    public boolean grantsMasterLease(String name) {
        Leadership leadership = election.current();
        if (!leadership.leading() || desired.get().mode() != Mode.REPLICATION) {
            return false;
        }
        ClusterView view = view();
        Optional<NodeView> holder = Planner.leaseHolder(view).filter(m -> m.name().equals(name));
        if (holder.isEmpty()) {
            return false;
        }
        boolean warm = Duration.between(leadership.since(), clock.instant()).compareTo(warmup) >= 0;
        return warm || view.reachable().stream().anyMatch(n -> n.isReplica() && n.linkUp()
                && n.masterAddress().equals(holder.get().redisAddress()));
    }

    /** Leading for less than the warm-up: a new leader has not heard from every agent yet (DESIGN.md rule 4). */
    public boolean warmingUp() {
        Leadership leadership = election.current();
        return !leadership.leading() || Duration.between(leadership.since(), clock.instant()).compareTo(warmup) < 0;
    }

    public Plan lastPlan() {
        return lastPlan;
    }

    public synchronized List<Event> history() {
        return List.copyOf(history);
    }

    /** The loop is alive when a tick ended within a few intervals (a migration step may take longer). */
    public boolean ticking() {
        return Duration.between(lastTick, clock.instant()).compareTo(interval.multipliedBy(3).plusSeconds(30)) <= 0;
    }

    /**
     * Pauses planning for {@code why} until {@link #resume}; completes once the tick in flight (if any) has finished,
     * so nothing the planner decided earlier is still being carried out. Call on the coordinator's context.
     */
    public Future<Void> pause(String why) {
        pauses.add(why);
        return current.transform(done -> Future.succeededFuture());
    }

    /**
     * Ends the pause for {@code why}; planning waits until each node in {@code touched} has reported an observation
     * made after the action numbered with its value (as after the planner's own steps).
     */
    public void resume(String why, Map<String, Long> touched) {
        if (!touched.isEmpty()) {
            Map<String, Long> merged = new HashMap<>(awaiting);
            touched.forEach((node, sequence) -> merged.merge(node, sequence, Math::max));
            awaiting = merged;
            awaitingSince = clock.instant();
        }
        pauses.remove(why);
    }

    /** Records an event that happened outside the loop (a switchover, a local handover an agent reports) in the history. */
    public synchronized void note(String event) {
        LOG.info(event);
        history.addLast(new Event(clock.instant().toString(), event));
        while (history.size() > HISTORY) {
            history.removeFirst();
        }
    }

    private void tick() {
        timer = -1;
        ticking = true;
        current = reconcileOnce();
        current.onComplete(done -> {
            ticking = false;
            lastTick = clock.instant();
            if (done.failed()) {
                LOG.warning("reconcile failed: " + done.cause());
            }
            if (!stopped) {
                // Slots moved in bounded batches: plan the next batch as soon as the agents report the last one.
                Duration next = movingSlots ? FOLLOW_UP : interval;
                timer = vertx.setTimer(next.toMillis(), id -> tick());
            }
        });
    }

    /** Plans now rather than at the next interval (a new desired shape); a tick under way is not doubled. Event loop only. */
    public void nudge() {
        if (!stopped && !ticking && timer >= 0 && vertx.cancelTimer(timer)) {
            tick();
        }
    }

    Future<Void> reconcileOnce() {
        Leadership leadership = election.current();
        if (!leadership.leading()) {
            return Future.succeededFuture();
        }
        Duration led = Duration.between(leadership.since(), clock.instant());
        if (led.compareTo(warmup) < 0) {
            record("new leader (epoch " + leadership.epoch() + ") waiting " + warmup.minus(led).toMillis() + " ms to hear from the agents");
            return Future.succeededFuture();
        }
        if (!pauses.isEmpty()) {
            record("planning paused: " + String.join(", ", pauses.stream().sorted().toList()));
            return Future.succeededFuture();
        }
        List<String> unsettled = unsettled();
        if (!unsettled.isEmpty()) {
            record("waiting for " + String.join(", ", unsettled) + " to report the last changes");
            return Future.succeededFuture();
        }
        // Building the view and planning are pure but grow with the cluster: off the event loop, so heartbeats
        // keep being answered while a large cluster is planned.
        return vertx.executeBlocking(() -> planning.recordCallable(() -> {
            ClusterView view = view();
            return new Planned(view, Planner.plan(view, desired.get(), failover));
        })).compose(planned -> {
            afterTick.accept(planned.view());
            lastPlan = planned.plan();
            record(planned.plan().outcome());
            movingSlots = false;
            if (planned.plan().idle()) {
                executor.warm(planned.view(), leadership.epoch());
                return Future.succeededFuture();
            }
            return run(planned, leadership.epoch());
        });
    }

    private record Planned(ClusterView view, Plan plan) {
    }

    private Future<Void> run(Planned planned, long epoch) {
        return executor.execute(planned.plan().steps(), planned.view(), epoch).compose(outcomes -> {
            outcomes.stream().filter(o -> !o.ok())
                    .forEach(o -> LOG.warning("step " + o.step() + " did not take effect: " + o.message()));
            List<Step> reports = reportsAfterMoves(planned.view(), outcomes);
            Future<List<Executor.Outcome>> reported = reports.isEmpty() ? Future.succeededFuture(List.of())
                    : executor.execute(reports, planned.view(), epoch);
            return reported.map(after -> {
                Map<String, Long> touched = new HashMap<>();
                Stream.concat(outcomes.stream(), after.stream()).filter(o -> o.sequence() > 0)
                        .forEach(o -> touched.merge(o.step().node(), o.sequence(), Math::max));
                awaiting = touched;
                awaitingSince = clock.instant();
                movingSlots = outcomes.stream().allMatch(Executor.Outcome::ok)
                        && outcomes.stream().allMatch(o -> SLOT_ACTIONS.contains(o.step().action()));
                return null;
            });
        });
    }

    /**
     * Once slot moves ended, every node reports at once: a target's last regular report may predate the move and show
     * the moved slots still importing (which would be "closed" once more for nothing), and any node's, including a
     * source that finished before another, may show an older owner (a disagreement that keeps the topology unhealthy
     * until its next regular report).
     */
    private static List<Step> reportsAfterMoves(ClusterView view, List<Executor.Outcome> outcomes) {
        if (outcomes.stream().noneMatch(o -> o.ok() && MOVES.contains(o.step().action()))) {
            return List.of();
        }
        return view.reachable().stream().map(n -> Step.reportNow(n.name(), "slots moved")).toList();
    }

    /** Nodes the last plan acted on whose reports do not show it yet, while the wait is within its limit. */
    private List<String> unsettled() {
        if (awaiting.isEmpty() || Duration.between(awaitingSince, clock.instant()).compareTo(SETTLE_LIMIT) > 0) {
            awaiting = Map.of();
            return List.of();
        }
        List<String> waiting = awaiting.entrySet().stream()
                .filter(e -> registry.get(e.getKey()).map(r -> r.report().appliedThrough() < e.getValue()).orElse(false))
                .map(Map.Entry::getKey).sorted().toList();
        if (waiting.isEmpty()) {
            awaiting = Map.of();
        }
        return waiting;
    }

    private synchronized void record(String outcome) {
        if (outcome.equals(lastOutcome)) {
            return;
        }
        lastOutcome = outcome;
        LOG.info(outcome);
        history.addLast(new Event(clock.instant().toString(), outcome));
        while (history.size() > HISTORY) {
            history.removeFirst();
        }
    }
}
