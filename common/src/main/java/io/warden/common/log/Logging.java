package io.warden.common.log;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One-line log records on stderr (java.util.logging, no extra library): time, level, logger, message. The
 * network libraries are held at WARNING: their INFO chatter is not news to an operator.
 */
public final class Logging {

    private Logging() {
    }

    public static void configure() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$-7s %3$s - %5$s%6$s%n");
        for (String noisy : new String[] {"io.netty", "io.lettuce", "reactor", "io.vertx.core.impl"}) {
            Logger.getLogger(noisy).setLevel(Level.WARNING);
        }
    }
}
