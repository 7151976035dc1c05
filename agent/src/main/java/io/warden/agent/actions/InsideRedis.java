package io.warden.agent.actions;

import io.warden.agent.redis.RedisFailures;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The steps of a slot migration that run inside Redis as Lua scripts, and whether this Redis runs them.
 * <p>
 * A move sends thousands of small commands per source (six SETSLOTs per slot across the nodes) and passes every key
 * through the mover twice (GETKEYSINSLOT's reply, then MIGRATE's arguments). On a node whose cores Redis needs for the
 * move itself, the mover's own work is what slows it: a script per node per group of slots, and a script per slot
 * for its keys, leave the agent a few hundred commands per move. Both are sent with EVAL, not EVALSHA: Redis hashes
 * a few hundred bytes per call, and nothing depends on its script cache (a restart or SCRIPT FLUSH empties it).
 * <p>
 * A Redis that refuses scripts (EVAL renamed away, an ACL without it) gets the same steps one command at a time, from
 * the first refusal to the end of the instruction.
 */
final class InsideRedis {

    private static final Logger LOG = Logger.getLogger(InsideRedis.class.getName());

    /**
     * {@code CLUSTER SETSLOT slot ARGV[1] ARGV[2]} for each slot in ARGV[3..]; answers each slot's reply, "OK" or "ERR "
     * and Redis's error, as {@link SlotOpening} reads them. A refusal of one slot does not stop the others.
     */
    static final String SET_SLOTS = """
            local replies = {}
            for i = 3, #ARGV do
              local reply = redis.pcall('CLUSTER', 'SETSLOT', ARGV[i], ARGV[1], ARGV[2])
              replies[#replies + 1] = type(reply) == 'table' and reply.err and ('ERR ' .. reply.err) or 'OK'
            end
            return replies
            """;

    /**
     * One step of a slot's keys: up to ARGV[2] keys of slot ARGV[1] to ARGV[3]:ARGV[4] (MIGRATE timeout ARGV[5] ms);
     * answers how many. It holds the source as long as its MIGRATE does, which a MIGRATE sent by a client does as well.
     */
    static final String MOVE_KEYS = """
            local keys = redis.call('CLUSTER', 'GETKEYSINSLOT', ARGV[1], ARGV[2])
            if #keys == 0 then return 0 end
            redis.call('MIGRATE', ARGV[3], ARGV[4], '', 0, ARGV[5], 'REPLACE', 'KEYS', unpack(keys))
            return #keys
            """;

    private final AtomicBoolean accepted = new AtomicBoolean(true);

    /** Whether scripts are still sent: no EVAL was refused yet. */
    boolean accepted() {
        return accepted.get();
    }

    /**
     * Takes note of a script that failed: if Redis refused it ({@link RedisFailures#refusesScripts}), no further script is sent. The
     * first refusal is logged.
     */
    void failed(Throwable failure) {
        if (RedisFailures.refusesScripts(failure) && accepted.getAndSet(false)) {
            LOG.warning("migrating one command at a time: Redis refused a script: " + firstLine(ActionExecutor.cause(failure).getMessage()));
        }
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int cut = text.indexOf(", with args beginning with");
        return cut < 0 ? text : text.substring(0, cut);
    }
}
