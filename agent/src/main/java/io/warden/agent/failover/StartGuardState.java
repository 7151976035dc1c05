package io.warden.agent.failover;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.warden.agent.redis.RedisNode;
import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.Role;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Whether the local Redis runs under its {@link StartGuard} now, and lifting it. Checked once per Redis process (a new
 * {@code run_id}): the guard is in the default user's rules from the moment Redis starts, and only this agent lifts it.
 * Lifted here, without asking anyone, once Redis is a replica: a replica is nobody's source of a resync but its
 * own replicas', and it serves the data of its master. A master's guard is lifted when the coordinator says so, or,
 * when no coordinator has answered for the whole {@code patience}, by this agent applying the coordinator's rule
 * itself ({@link LocalRestartDecision}): Redis keeps serving when Warden is down.
 */
public final class StartGuardState implements Consumer<RedisObservation> {

    private static final Logger LOG = Logger.getLogger(StartGuardState.class.getName());

    /** Deciding alone after {@code patience} of silence from the coordinator, and reporting what was done. */
    public record LocalFallback(Duration patience, Predicate<Duration> coordinatorSilentFor, Consumer<String> report) {
    }

    private final RedisNode node;
    private final Optional<LocalFallback> fallback;
    private volatile boolean guarded;
    private String checkedRunId = "";
    private boolean lifting;
    private boolean deciding;
    private volatile long guardedSince;

    /** Watches and lifts only when told (no local decision). */
    public StartGuardState(RedisNode node) {
        this(node, Optional.empty());
    }

    public StartGuardState(RedisNode node, Optional<LocalFallback> fallback) {
        this.node = node;
        this.fallback = fallback;
    }

    public boolean guarded() {
        return guarded;
    }

    @Override
    public synchronized void accept(RedisObservation observation) {
        if (!observation.up() || !observation.info().map(RedisInfo::clusterEnabled).orElse(false)) {
            return;
        }
        RedisInfo info = observation.info().orElseThrow();
        String runId = info.string("run_id").orElse("");
        if (!runId.equals(checkedRunId)) {
            checkedRunId = runId;
            node.commands().thenCompose(redis -> redis.aclGetuser("default"))
                    .thenAccept(user -> {
                        guarded = restricted(user);
                        guardedSince = System.nanoTime();
                        if (guarded) {
                            LOG.warning("redis started under its start guard (reads, writes and PSYNC refused): "
                                    + "it restarted as a master with replicas; Warden decides who holds the data");
                        }
                    })
                    .exceptionally(failure -> {
                        forgetCheck(runId);
                        return null;
                    });
            return;
        }
        if (guarded && info.role() == Role.REPLICA) {
            lift("it follows " + info.masterHost().orElse("?") + " now");
        } else if (guarded && info.role() == Role.MASTER && fallback.isPresent() && !deciding && alone(fallback.get())) {
            deciding = true;
            LocalFallback local = fallback.get();
            LocalRestartDecision.decide(node, observation, this, "no coordinator answered for " + local.patience().toMillis() + " ms")
                    .whenComplete((sentence, failure) -> {
                        synchronized (this) {
                            deciding = false;
                            guardedSince = System.nanoTime(); // a forced failover's election takes a moment: not again at once
                        }
                        if (failure == null) {
                            LOG.warning("restarted master decided alone: " + sentence);
                            local.report().accept(sentence);
                        } else {
                            LOG.warning("restarted master could not decide alone: " + failure.getMessage());
                        }
                    });
        }
    }

    private boolean alone(LocalFallback local) {
        return System.nanoTime() - guardedSince > local.patience().toNanos() && local.coordinatorSilentFor().test(local.patience());
    }

    /** Lifts the guard (idempotent): the default user gets back what the guard took away. */
    public CompletionStage<String> lift(String why) {
        synchronized (this) {
            if (!guarded || lifting) {
                return CompletableFuture.completedFuture("no start guard to lift");
            }
            lifting = true;
        }
        // Raw: Lettuce's AclSetuserArgs names no PSYNC.
        CommandArgs<String, String> back = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add("default")
                .add("+@read").add("+@write").add("+psync").add("+sync");
        return node.commands().thenCompose(redis -> redis.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), back))
                .thenApply(ok -> {
                    guarded = false;
                    LOG.info("start guard lifted: " + why);
                    return "start guard lifted: " + why;
                })
                .whenComplete((done, failure) -> {
                    synchronized (this) {
                        lifting = false;
                    }
                });
    }

    private synchronized void forgetCheck(String runId) {
        if (checkedRunId.equals(runId)) {
            checkedRunId = "";
        }
    }

    /** ACL GETUSER's "commands" entry holds the guard's restriction (Redis prints "-psync" among the rules). */
    static boolean restricted(List<Object> user) {
        for (int i = 0; i + 1 < user.size(); i += 2) {
            if ("commands".equals(String.valueOf(user.get(i)))) {
                return String.valueOf(user.get(i + 1)).contains("-psync");
            }
        }
        return false;
    }
}
