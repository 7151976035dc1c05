package io.warden.agent.actions;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures of a script stop an instruction from sending more: only Redis refusing scripts themselves. */
class InsideRedisTest {

    @Test
    void aRefusedScriptTurnsScriptsOff() {
        InsideRedis scripts = new InsideRedis();
        scripts.failed(new CompletionException(new RedisCommandExecutionException("ERR unknown command 'EVAL', with args beginning with: ")));
        assertFalse(scripts.accepted());
    }

    @Test
    void aScriptRefusedByTheAclTurnsScriptsOff() {
        InsideRedis scripts = new InsideRedis();
        scripts.failed(new RedisCommandExecutionException("NOPERM this user has no permissions to run the 'eval' command"));
        assertFalse(scripts.accepted());
    }

    @Test
    void loadingBusyAndTimeoutsLeaveScriptsOn() {
        InsideRedis scripts = new InsideRedis();
        scripts.failed(new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory"));
        scripts.failed(new RedisCommandExecutionException("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."));
        scripts.failed(new CompletionException(new RedisCommandTimeoutException("Command timed out after 10 second(s)")));
        assertTrue(scripts.accepted());
    }
}
