package io.warden.coordinator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;
import io.warden.coordinator.election.LeaderElection;
import io.warden.coordinator.election.LocalElection;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code warden coordinator}: reads the environment once, deploys the coordinator, runs until SIGTERM. */
final class CoordinatorMain {

    private CoordinatorMain() {
    }

    static void run() {
        CoordinatorConfig config = CoordinatorConfig.fromEnv(Env.system());
        LeaderElection election = election(config);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
        vertx.deployVerticle(new CoordinatorVerticle(config, election, Clock.systemUTC(), view -> { }))
                .onFailure(WardenMain::die);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            vertx.close().onComplete(done -> closed.countDown());
            try {
                closed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "warden-coordinator-shutdown"));
    }

    static LeaderElection election(CoordinatorConfig config) {
        if ("local".equals(config.election().kind())) {
            return new LocalElection(config.election().stateDir(), config.identity(), config.advertisedUrl(), Clock.systemUTC());
        }
        throw new ConfigException("WARDEN_ELECTION", "kubernetes election is not available in this build");
    }
}
