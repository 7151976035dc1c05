package io.warden.agent.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.warden.agent.redis.RedisObservation.Reachability;
import io.warden.agent.redis.RedisObservation.Reachability.State;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** Turns what Lettuce throws into a reachability verdict with a one-line reason a person can act on. */
final class RedisFailures {

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
