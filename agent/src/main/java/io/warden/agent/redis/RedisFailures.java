package io.warden.agent.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.warden.agent.redis.RedisObservation.Reachability;
import io.warden.agent.redis.RedisObservation.Reachability.State;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** Turns what Lettuce throws into a verdict: reachability with a one-line reason a person can act on, or a script refused. */
public final class RedisFailures {

    private RedisFailures() {
    }

    static Reachability classify(Throwable failure) {
        Throwable root = unwrap(failure);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException && isAuthError(t.getMessage())) {
                return new Reachability(State.AUTH_FAILED, "redis rejected the credentials: " + firstLine(t.getMessage()));
            }
            if (t instanceof ConnectException) {
                return new Reachability(State.DOWN, Reachability.REFUSED);
            }
            if (t instanceof RedisCommandTimeoutException || t instanceof TimeoutException) {
                return new Reachability(State.DOWN, "redis did not answer in time");
            }
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : firstLine(root.getMessage());
        return new Reachability(State.DOWN, message);
    }

    /** LOADING and MASTERDOWN are answers from a live server: it is alive, just not serving everything. */
    static boolean isAliveAnswer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException && t.getMessage() != null
                    && (t.getMessage().startsWith("LOADING") || t.getMessage().startsWith("MASTERDOWN"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a script call failed because Redis does not run scripts for the agent (EVAL renamed away, an ACL without
     * it): then the agent sends the same commands one at a time from there on. A lost connection or a timeout says
     * nothing about scripts (a command sent alone meets it as well), nor does an answer any command gets for a while:
     * LOADING (a restart reading its data) and BUSY (another script running long).
     */
    public static boolean refusesScripts(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException) {
                String message = String.valueOf(t.getMessage());
                return !message.startsWith("LOADING") && !message.startsWith("BUSY");
            }
        }
        return false;
    }

    private static boolean isAuthError(String message) {
        if (message == null) {
            return false;
        }
        return message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")
                || message.startsWith("ERR invalid password") || message.startsWith("ERR AUTH");
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
