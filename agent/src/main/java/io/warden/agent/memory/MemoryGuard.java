package io.warden.agent.memory;

import io.warden.agent.AgentConfig.MemoryGuardSettings;
import io.warden.agent.redis.RedisNode;
import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.RedisInfo;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Keeps a Redis with no {@code maxmemory} from being OOM-killed: when Redis reports {@code maxmemory:0} and a
 * container memory limit is known, sets {@code maxmemory} to a fraction of it (leaving room for the fork of a
 * BGSAVE, client buffers and fragmentation). Never touches a maxmemory someone set. Checked once per Redis
 * process (its {@code run_id}), so a restarted Redis is guarded again.
 */
public final class MemoryGuard implements Consumer<RedisObservation> {

    private static final Logger LOG = Logger.getLogger(MemoryGuard.class.getName());

    private final MemoryGuardSettings settings;
    private final RedisNode node;
    private final OptionalLong limit;
    private String checkedRunId = "";

    public MemoryGuard(MemoryGuardSettings settings, RedisNode node) {
        this.settings = settings;
        this.node = node;
        this.limit = settings.limitBytes().isPresent()
                ? settings.limitBytes()
                : ContainerMemoryLimit.read(settings.cgroupRoot(), Path.of("/proc/self/cgroup"));
    }

    /** The maxmemory to set, if any: only when none is set and a limit is known. Pure. */
    public static OptionalLong target(RedisInfo info, OptionalLong limit, double ratio) {
        if (ratio <= 0 || limit.isEmpty() || info.maxmemory() != 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((long) (limit.getAsLong() * ratio));
    }

    @Override
    public void accept(RedisObservation observation) {
        if (!settings.enabled() || observation.info().isEmpty()) {
            return;
        }
        RedisInfo info = observation.info().get();
        String runId = info.string("run_id").orElse("");
        if (runId.equals(checkedRunId)) {
            return;
        }
        checkedRunId = runId;
        OptionalLong target = target(info, limit, settings.ratio());
        if (target.isEmpty()) {
            return;
        }
        long bytes = target.getAsLong();
        node.configSet("maxmemory", Long.toString(bytes)).whenComplete((ok, failure) -> {
            if (failure == null) {
                LOG.info("redis had no maxmemory; set it to " + bytes + " bytes (" + settings.ratio()
                        + " of the container limit of " + limit.getAsLong() + " bytes)");
            } else {
                LOG.warning("could not set maxmemory to " + bytes + ": " + failure.getMessage());
                checkedRunId = "";
            }
        });
    }
}
