package io.warden.coordinator.switchover;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warden.common.wire.AgentReport;
import io.warden.common.wire.WireJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingPromotionsTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final Vertx vertx = Vertx.vertx();
    private final PendingPromotions promotions = new PendingPromotions(vertx);

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReadWithNoHandoverUnderWayIsAnsweredAtOnce() {
        assertTrue(promotions.settled(LONG).isComplete());
    }

    @Test
    void aReadDuringAHandoverWaitsForTheNewMastersReportOfMaster() {
        promotions.begin("redis-2");
        Future<Void> read = promotions.settled(LONG);
        promotions.reported(report("redis-2", "replica", true));
        promotions.reported(report("redis-0", "master", true));
        assertFalse(read.isComplete(), "a replica's report, or the old master's, does not end the wait");
        promotions.reported(report("redis-2", "master", true));
        assertTrue(read.isComplete());
        assertTrue(promotions.settled(LONG).isComplete(), "later reads do not wait");
    }

    @Test
    void aHandoverThatEndsWithoutAPromotionEndsTheWait() {
        promotions.begin("redis-2");
        Future<Void> read = promotions.settled(LONG);
        promotions.end("redis-2");
        assertTrue(read.isComplete());
    }

    @Test
    void aReadWaitsNoLongerThanItsLimit() throws Exception {
        promotions.begin("redis-2");
        long start = System.nanoTime();
        promotions.settled(Duration.ofMillis(100)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(90));
    }

    private static AgentReport report(String name, String role, boolean redisUp) {
        return WireJson.decode("{\"name\":\"" + name + "\",\"redisAddress\":\"127.0.0.1:6379\",\"agentUrl\":\"http://127.0.0.1:9736\","
                + "\"role\":\"" + role + "\",\"redisUp\":" + redisUp + "}", AgentReport.class);
    }
}
