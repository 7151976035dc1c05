package io.warden.agent.failover;

import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.RedisInfo;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reports at once, not at the next heartbeat, when something failover decides on changes: Redis stops or starts
 * answering, its role, the master it follows, or its replication link. Seconds saved here are seconds of
 * unavailability saved: the coordinator's clock for a dead master starts when it hears.
 */
public final class ChangeReporter implements Consumer<RedisObservation> {

    private final Runnable reportNow;
    private Facts last;

    public ChangeReporter(Runnable reportNow) {
        this.reportNow = reportNow;
    }

    record Facts(boolean up, String role, String master, boolean linkUp) {

        static Facts of(RedisObservation o) {
            if (!o.up()) {
                return new Facts(false, "", "", false);
            }
            RedisInfo info = o.info().orElseThrow();
            return new Facts(true, info.role().wireName(), info.masterHost().orElse("") + ":" + info.masterPort().orElse(0),
                    info.masterLinkUp());
        }
    }

    @Override
    public void accept(RedisObservation observation) {
        Facts now = Facts.of(observation);
        boolean changed = last != null && !Objects.equals(last, now);
        last = now;
        if (changed) {
            reportNow.run();
        }
    }
}
