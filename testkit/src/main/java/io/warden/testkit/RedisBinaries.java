package io.warden.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds Redis's programs. A missing one is a test failure with the package to install, never a skip:
 * a test that did not run proves nothing.
 */
public final class RedisBinaries {

    private RedisBinaries() {
    }

    public static Path redisServer() {
        return find("redis-server", "redis-server");
    }

    public static Path redisCli() {
        return find("redis-cli", "redis-tools");
    }

    /** Finds {@code program} on PATH (then /usr/bin, /usr/sbin) or fails naming the Debian package. */
    public static Path find(String program, String debianPackage) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
        for (String dir : dirs) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(program + " is not installed: install the Debian package " + debianPackage
                + " (bin/test installs what the tests need when run as root)");
    }
}
