package io.warden.coordinator.switchover;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warden.common.wire.Action;
import io.warden.common.wire.AgentReport;
import io.warden.common.wire.SwitchoverRequest;
import io.warden.common.wire.SwitchoverResult;
import io.warden.coordinator.election.LeaderElection;
import io.warden.coordinator.election.Leadership;
import io.warden.coordinator.execute.Executor;
import io.warden.coordinator.execute.Executor.Outcome;
import io.warden.coordinator.execute.Reconciler;
import io.warden.coordinator.plan.Step;
import io.warden.coordinator.plan.SwitchoverSafety;
import io.warden.coordinator.plan.SwitchoverSafety.Decision;
import io.warden.coordinator.plan.SwitchoverSafety.Verdict;
import io.warden.coordinator.registry.AgentRegistry;
import io.warden.coordinator.topology.ClusterView;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries out planned switchovers ({@code POST /v1/shards/{id}/switchover}, preStop, the CLI), one at a time per shard:
 * <ol>
 *   <li>refuse when this coordinator does not lead yet, or a switchover of the shard is under way;</li>
 *   <li>pause the reconciler and wait (bounded) for its tick in flight, so the planner neither acts on reports taken
 *       halfway through the handover nor is still carrying out steps of its own;</li>
 *   <li>check {@link SwitchoverSafety} on a fresh view; refused: resume and answer why, nothing changed. A refusal
 *       that only waits for gossip to settle (a master that does not know its new replica yet, right after another
 *       switchover) is checked again for a few seconds first;</li>
 *   <li>push the handover to its agent, stamped with the epoch; the agent answers once Redis has changed roles.
 *       Replication mode: until the new master reports, topology reads wait for it ({@link PendingPromotions});</li>
 *   <li>confirm from the agents' reports: the new master reports master, the old one replica (bounded);</li>
 *   <li>replication mode: point the other replicas at the new master;</li>
 *   <li>resume the reconciler (it waits for the touched nodes' reports), record the sentence in the history, answer.</li>
 * </ol>
 * Must be called on the coordinator's context (the reconciler's).
 */
public final class Switchovers {

    private static final Duration PAUSE_LIMIT = Duration.ofSeconds(5);
    private static final Duration CONFIRM_LIMIT = Duration.ofSeconds(10);
    private static final long POLL_MS = 20;
    /**
     * Gossip tells a new master of its replica with the next packet between the two: usually within 1–3 s, at worst
     * after cluster-node-timeout / 2 (7.5 s at the default 15000; a CI run waited more than 6 s).
     */
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(10);
    private static final long SETTLE_POLL_MS = 100;
    /** The new master's watch outlasts the handover's own time limit by this much. */
    private static final long WATCH_GRACE_MS = 1000;

    /** How a request ended: done (200), refused with nothing changed (409), not possible now (503), or failed (500). */
    public record Answer(int status, Optional<SwitchoverResult> result, String error) {

        static Answer done(SwitchoverResult result) {
            return new Answer(200, Optional.of(result), "");
        }

        static Answer refused(String reason) {
            return new Answer(409, Optional.empty(), reason);
        }

        static Answer unavailable(String reason) {
            return new Answer(503, Optional.empty(), reason);
        }

        static Answer failed(String reason) {
            return new Answer(500, Optional.empty(), reason);
        }
    }

    private final Vertx vertx;
    private final LeaderElection election;
    private final AgentRegistry registry;
    private final Reconciler reconciler;
    private final Executor executor;
    private final Set<String> underway = ConcurrentHashMap.newKeySet();
    private final PendingPromotions promotions;

    public Switchovers(Vertx vertx, LeaderElection election, AgentRegistry registry, Reconciler reconciler, Executor executor) {
        this.promotions = new PendingPromotions(vertx);
        this.vertx = vertx;
        this.election = election;
        this.registry = registry;
        this.reconciler = reconciler;
        this.executor = executor;
    }

    /** The replication-mode handovers under way, for topology reads to wait on and agent reports to end. */
    public PendingPromotions promotions() {
        return promotions;
    }

    public Future<Answer> switchover(String shardId, SwitchoverRequest request) {
        Leadership leadership = election.current();
        if (!leadership.leading() || reconciler.warmingUp()) {
            return Future.succeededFuture(Answer.unavailable("the leader is still hearing from the agents; try again shortly"));
        }
        if (!underway.add(shardId)) {
            return Future.succeededFuture(Answer.refused("a switchover of " + shardId + " is already under way"));
        }
        String pause = "switchover of " + shardId + " under way";
        long start = System.nanoTime();
        Map<String, Long> touched = new HashMap<>();
        return within(reconciler.pause(pause), PAUSE_LIMIT)
                .compose(idle -> idle ? decideAndRun(shardId, request, leadership.epoch(), start, touched)
                        : Future.succeededFuture(Answer.refused("the coordinator is busy: " + reconciler.lastPlan().outcome() + "; try again shortly")))
                .recover(failure -> Future.succeededFuture(Answer.failed("switchover of " + shardId + " failed: " + failure.getMessage())))
                .andThen(done -> {
                    reconciler.resume(pause, touched);
                    underway.remove(shardId);
                });
    }

    private Future<Answer> decideAndRun(String shardId, SwitchoverRequest request, long epoch, long start, Map<String, Long> touched) {
        ClusterView view = reconciler.view();
        Verdict verdict = SwitchoverSafety.check(view, shardId, Optional.ofNullable(request.to()), Optional.ofNullable(request.from()));
        if (!verdict.allowed()) {
            if (verdict.settling() && System.nanoTime() - start < SETTLE_LIMIT.toNanos()) {
                return later(SETTLE_POLL_MS).compose(v -> decideAndRun(shardId, request, epoch, start, touched));
            }
            return Future.succeededFuture(Answer.refused(verdict.refusal()));
        }
        Decision decision = verdict.decision().orElseThrow();
        reconciler.note(decision.sentence());
        if (decision.handover().action() == Action.FAILOVER_TO) {
            promotions.begin(decision.to().name());
        }
        return handOver(decision, view, epoch, start, touched).andThen(done -> promotions.end(decision.to().name()));
    }

    private Future<Answer> handOver(Decision decision, ClusterView view, long epoch, long start, Map<String, Long> touched) {
        Future<Void> watched = watchPromotion(decision, view, epoch, touched);
        return executor.execute(List.of(decision.handover()), view, epoch).compose(outcomes -> {
            Outcome handover = outcomes.get(0);
            remember(touched, handover);
            if (!handover.ok()) {
                return failed(decision, handover.step().node() + " did not hand over: " + handover.message());
            }
            return watched.recover(notSeen -> lookNow(decision, view, epoch))
                    .compose(looked -> confirmed(decision, System.nanoTime() + CONFIRM_LIMIT.toNanos())).compose(confirmed -> {
                if (!confirmed) {
                    return failed(decision, "the reports did not show " + decision.to().name() + " as master within "
                            + CONFIRM_LIMIT.toMillis() + " ms");
                }
                long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
                return executor.execute(decision.repoint(), view, epoch).map(repointed -> {
                    repointed.forEach(o -> remember(touched, o));
                    String sentence = "switched " + decision.shard().id() + " over from " + decision.from().name() + " to "
                            + decision.to().name() + " in " + tookMs + " ms (" + decision.handover().action() + ")"
                            + (repointed.isEmpty() ? "" : "; " + repointed.stream().filter(Outcome::ok).count() + " of "
                            + repointed.size() + " other replicas repointed");
                    reconciler.note(sentence);
                    return Answer.done(new SwitchoverResult(decision.shard().id(), decision.from().name(), decision.to().name(), tookMs, sentence));
                });
            });
        });
    }

    /**
     * Replication mode: the old master's agent promotes the new one, whose own agent would notice only at its next
     * observation (up to a second), and clients that follow the published master would wait for that. So the new
     * master's agent watches its role closely while the handover runs, and reports the moment it is master — while
     * the old master's writes are still paused, so a client refused there finds the new master already published.
     * Fails when the watch did not see the promotion (an agent that predates the action, or no promotion).
     */
    private Future<Void> watchPromotion(Decision decision, ClusterView view, long epoch, Map<String, Long> touched) {
        if (decision.handover().action() != Action.FAILOVER_TO) {
            return Future.succeededFuture(); // CLUSTER FAILOVER runs on the new master's own agent: it looks already
        }
        long timeoutMs = Long.parseLong(decision.handover().args().get("timeoutMs")) + WATCH_GRACE_MS;
        Step watch = Step.awaitPromotion(decision.to().name(), timeoutMs, decision.to().name() + " reports as soon as "
                + decision.from().name() + " has handed over to it");
        return executor.execute(List.of(watch), view, epoch).compose(outcomes -> {
            remember(touched, outcomes.get(0));
            return outcomes.get(0).ok() ? Future.succeededFuture() : Future.failedFuture(outcomes.get(0).message());
        });
    }

    /** The fallback when the watch saw nothing: an idempotent REPLICAOF NO ONE makes the agent look and report now. */
    private Future<Void> lookNow(Decision decision, ClusterView view, long epoch) {
        Step look = Step.promote(decision.to().name(), decision.to().name() + " confirms it took over from " + decision.from().name());
        return executor.execute(List.of(look), view, epoch).mapEmpty();
    }

    private Future<Answer> failed(Decision decision, String why) {
        String sentence = "switchover of " + decision.shard().id() + " from " + decision.from().name() + " to " + decision.to().name()
                + " did not complete: " + why;
        reconciler.note(sentence);
        return Future.succeededFuture(Answer.failed(sentence));
    }

    /** Polls the reports until the new master says master and the old one no longer does, or the deadline passes. */
    private Future<Boolean> confirmed(Decision decision, long deadlineNanos) {
        Optional<AgentReport> to = registry.get(decision.to().name()).map(AgentRegistry.Registered::report);
        boolean newMaster = to.map(r -> r.redisUp() && "master".equals(r.role())).orElse(false);
        boolean oldDemoted = registry.get(decision.from().name()).map(r -> demoted(r.report())).orElse(true);
        if (newMaster && oldDemoted) {
            return Future.succeededFuture(true);
        }
        if (System.nanoTime() > deadlineNanos) {
            return Future.succeededFuture(false);
        }
        return later(POLL_MS).compose(v -> confirmed(decision, deadlineNanos));
    }

    private Future<Void> later(long ms) {
        Promise<Void> later = Promise.promise();
        vertx.setTimer(ms, id -> later.complete());
        return later.future();
    }

    /** The old master's Redis reports replica, or stopped answering (its pod is stopping). */
    private static boolean demoted(AgentReport report) {
        return !report.redisUp() || "replica".equals(report.role());
    }

    private static void remember(Map<String, Long> touched, Outcome outcome) {
        if (outcome.sequence() > 0) {
            touched.merge(outcome.step().node(), outcome.sequence(), Math::max);
        }
    }

    /** Whether {@code future} completed within {@code limit}. */
    private Future<Boolean> within(Future<Void> future, Duration limit) {
        Promise<Boolean> result = Promise.promise();
        long timer = vertx.setTimer(limit.toMillis(), id -> result.tryComplete(false));
        future.onComplete(done -> {
            vertx.cancelTimer(timer);
            result.tryComplete(true);
        });
        return result.future();
    }
}
