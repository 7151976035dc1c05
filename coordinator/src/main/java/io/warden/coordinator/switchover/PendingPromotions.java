package io.warden.coordinator.switchover;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warden.common.wire.AgentReport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replication-mode handovers under way, as a reader of the topology sees them. From the moment the old master's agent
 * is told to hand over until the new master reports master, the topology can only name the old master, whose writes
 * are paused and then refused (READONLY): a master-following client that looks the master up in that window (it
 * just had a write refused) is sent back to the old master, fails again and asks again — a whole extra connection
 * in its gap. So a topology read waits for the new master's report instead, bounded:
 * <ol>
 *   <li>{@link #begin}: the handover to {@code name} is about to be sent;</li>
 *   <li>{@link #reported}: an accepted report of {@code name} saying master (Redis up) ends the wait;</li>
 *   <li>{@link #end}: the switchover finished either way (done, refused by the agent, failed) ends it too;</li>
 *   <li>{@link #settled}: completes once no handover is awaited, or after the limit (the document then names
 *       whatever the reports say, as without a wait).</li>
 * </ol>
 */
public final class PendingPromotions {

    private final Vertx vertx;
    /** New master's name → completed once it reports master or its switchover ends. */
    private final Map<String, Promise<Void>> awaited = new ConcurrentHashMap<>();

    public PendingPromotions(Vertx vertx) {
        this.vertx = vertx;
    }

    void begin(String newMaster) {
        Promise<Void> earlier = awaited.put(newMaster, Promise.promise());
        if (earlier != null) {
            earlier.tryComplete();
        }
    }

    void end(String newMaster) {
        Promise<Void> promise = awaited.remove(newMaster);
        if (promise != null) {
            promise.tryComplete();
        }
    }

    /** An accepted agent report: the new master saying master ends the wait for it. */
    public void reported(AgentReport report) {
        if (report.redisUp() && "master".equals(report.role())) {
            end(report.name());
        }
    }

    /** Completes (never fails) once no handover's new master is awaited, or after {@code limit}. */
    public Future<Void> settled(Duration limit) {
        if (awaited.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Future<Void>> waits = awaited.values().stream().map(Promise::future).toList();
        Promise<Void> settled = Promise.promise();
        long timer = vertx.setTimer(limit.toMillis(), id -> settled.tryComplete());
        Future.join(waits).onComplete(done -> {
            vertx.cancelTimer(timer);
            settled.tryComplete();
        });
        return settled.future();
    }
}
