package io.warden.agent.failover;

import io.warden.agent.redis.RedisObservation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Keeps {@link StartRole}'s answer (cluster mode: {@link StartGuard}'s) in a file Redis includes at start ({@code include /data/warden-role*.conf}: a glob,
 * so a missing file is no error), rewritten atomically whenever it changes. Nothing is written while Redis is down:
 * the role decided while it ran is the one it must come back in.
 */
public final class StartRoleFile implements Consumer<RedisObservation> {

    private static final Logger LOG = Logger.getLogger(StartRoleFile.class.getName());
    public static final String NAME = "warden-role.conf";

    private final Path file;
    private final Optional<String> password;
    private String written;

    public StartRoleFile(Path dataDir, Optional<String> password) {
        this.file = dataDir.resolve(NAME);
        this.password = password;
        try {
            this.written = Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            this.written = null;
        }
    }

    @Override
    public void accept(RedisObservation observation) {
        if (!observation.up()) {
            return;
        }
        Optional<String> content = observation.info().flatMap(info -> info.clusterEnabled()
                ? StartGuard.of(observation.clusterNodes(), password) : StartRole.of(info));
        if (content.isEmpty() || content.get().equals(written)) {
            return;
        }
        try {
            Path temp = file.resolveSibling(NAME + ".tmp");
            Files.writeString(temp, content.get());
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written = content.get();
        } catch (IOException e) {
            LOG.warning("cannot write " + file + ": " + e.getMessage());
        }
    }
}
