package io.warden.agent.redis;

import io.lettuce.core.RedisCommandExecutionException;

import java.util.concurrent.CompletionException;

/**
 * Whether a script call failed because Redis does not run scripts for the agent (EVAL renamed away, an ACL without
 * it): then the agent sends the same commands one at a time from there on. A lost connection or a timeout says
 * nothing about scripts (a command sent alone meets it as well), nor does an answer any command gets for a while:
 * LOADING (a restart reading its data) and BUSY (another script running long).
 */
public final class ScriptRefusal {

    private ScriptRefusal() {
    }

    public static boolean of(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (!(t instanceof RedisCommandExecutionException)) {
            return false;
        }
        String message = String.valueOf(t.getMessage());
        return !message.startsWith("LOADING") && !message.startsWith("BUSY");
    }
}
