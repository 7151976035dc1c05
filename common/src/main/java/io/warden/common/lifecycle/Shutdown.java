package io.warden.common.lifecycle;

import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Closes a process's Vert.x (undeploying its verticles, closing servers) when the JVM is told to stop. */
public final class Shutdown {

    private Shutdown() {
    }

    /** On SIGTERM, close {@code vertx} and wait at most {@code grace} for it. */
    public static void closeOnSigterm(Vertx vertx, String processName, Duration grace) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            CountDownLatch closed = new CountDownLatch(1);
            vertx.close().onComplete(done -> closed.countDown());
            try {
                closed.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, processName + "-shutdown"));
    }
}
