package io.warden.agent;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.warden.agent.snapshot.RestoreCommand;
import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;
import io.warden.common.lifecycle.Shutdown;
import io.warden.common.log.Logging;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@code java -jar warden-agent.jar [agent]}: reads the environment once, deploys the agent, runs until
 * SIGTERM. A configuration problem is one line on stderr naming the variable, and exit status 2.
 * {@code restore ...} is the init step that fills an empty data directory from a snapshot ({@link RestoreCommand}).
 */
public final class AgentMain {

    static final int EXIT_CONFIG = 2;

    private AgentMain() {
    }

    public static void main(String[] args) {
        Logging.configure();
        // "agent restore" is what images and bin/warden pass; "restore" alone what the jar's own usage says.
        int restoreAt = args.length >= 1 && args[0].equals("restore") ? 0
                : args.length >= 2 && args[0].equals("agent") && args[1].equals("restore") ? 1 : -1;
        if (restoreAt >= 0) {
            // The init step before Redis starts: its own exit status, nothing kept running.
            System.exit(new RestoreCommand(Env.system(), System.out, System.err).run(Arrays.asList(args).subList(restoreAt + 1, args.length)));
        }
        if (args.length > 1 || (args.length == 1 && !args[0].equals("agent"))) {
            System.err.println("warden agent: unknown command " + String.join(" ", args) + "; usage: warden-agent.jar [agent | agent restore ...]");
            System.exit(EXIT_CONFIG);
        }
        AgentConfig config;
        try {
            config = AgentConfig.fromEnv(Env.system());
        } catch (ConfigException e) {
            exitWith(e);
            return;
        }
        // One event loop is plenty for one Redis and a handful of probes; fewer threads, less memory.
        // No class-path file resolving: nothing is served from the jar, and its cache directory (vertx-cache-*) would
        // stay in /tmp whenever the JVM is killed.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2).setInternalBlockingPoolSize(2)
                .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false)));
        vertx.deployVerticle(new AgentVerticle(config, Clock.systemUTC(), AgentMain::exitWith))
                .onFailure(AgentMain::exitWith);
        Shutdown.closeOnSigterm(vertx, "warden-agent", Duration.ofSeconds(5));
    }

    private static void exitWith(Throwable failure) {
        if (failure instanceof ConfigException) {
            System.err.println("warden agent: " + failure.getMessage());
        } else {
            System.err.println("warden agent: cannot start: " + failure);
        }
        // halt, not exit: no shutdown hooks to wait for, and nothing was serving yet that needs a clean stop.
        Runtime.getRuntime().halt(EXIT_CONFIG);
    }
}
