package io.warden.testkit;

/** Counters a test reads from a running Redis to tell what was sent to it and what it wrote. */
public final class RedisStats {

    private RedisStats() {
    }

    /** How many times {@code server} ran {@code command} (INFO commandstats; a script's commands count too). */
    public static long calls(RedisServer server, String command) {
        return server.commands().info("commandstats").lines().filter(l -> l.startsWith("cmdstat_" + command + ":"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"))).sum();
    }

    /** Writes since the last save (INFO persistence's {@code rdb_changes_since_last_save}): unchanged when nothing was written. */
    public static long writesSinceSave(RedisServer server) {
        return server.commands().info("persistence").lines().filter(l -> l.startsWith("rdb_changes_since_last_save:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElseThrow();
    }
}
