package io.warden.agent.failover;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.warden.agent.redis.RedisNode;
import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.Role;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Whether the local Redis runs under its {@link StartGuard} now, and lifting it. Checked once per Redis process (a new
 * {@code run_id}): the guard is in the default user's rules from the moment Redis starts, and only this agent lifts it.
 * Lifted here, without asking anyone, once Redis is a replica: a replica is nobody's source of a resync but its
 * own replicas', and it serves the data of its master. A master's guard is lifted when the coordinator says so.
 */
public final class StartGuardState implements Consumer<RedisObservation> {

    private static final Logger LOG = Logger.getLogger(StartGuardState.class.getName());

    private final RedisNode node;
    private volatile boolean guarded;
    private String checkedRunId = "";
    private boolean lifting;

    public StartGuardState(RedisNode node) {
        this.node = node;
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
        }
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
