package io.warden.bench.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Notes the PID of every process the benchmark starts in the directory named by {@code -Dbench.pids}, so that
 * bench/failover.sh can stop exactly those (by PID) should this JVM itself be killed before it cleans up.
 */
final class OwnProcesses {

    private static final Optional<Path> DIR = Optional.ofNullable(System.getProperty("bench.pids")).map(Path::of);

    private OwnProcesses() {
    }

    static void started(long pid, String what) {
        DIR.ifPresent(dir -> {
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(Long.toString(pid)), what);
            } catch (IOException e) {
                // Only a safety net for a killed JVM: the normal path stops everything itself.
            }
        });
    }

    static void stopped(long pid) {
        DIR.ifPresent(dir -> {
            try {
                Files.deleteIfExists(dir.resolve(Long.toString(pid)));
            } catch (IOException e) {
                // As above.
            }
        });
    }
}
