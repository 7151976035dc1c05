package io.warden.coordinator.election;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Local mode: one coordinator, always the leader. Its epoch is kept in the state directory and raised on
 * every start (written to a temporary file, then renamed), so it still only grows across restarts and an
 * agent refuses whatever an earlier run of the coordinator might still send.
 */
public final class LocalElection implements LeaderElection {

    private final Path epochFile;
    private final String identity;
    private final String url;
    private final Clock clock;
    private final List<Consumer<Leadership>> listeners = new CopyOnWriteArrayList<>();
    private volatile Leadership current = Leadership.none();

    public LocalElection(Path stateDir, String identity, String url, Clock clock) {
        this.epochFile = stateDir.resolve("epoch");
        this.identity = identity;
        this.url = url;
        this.clock = clock;
    }

    @Override
    public void start() {
        long epoch = readEpoch() + 1;
        writeEpoch(epoch);
        current = new Leadership(true, epoch, identity, url, clock.instant());
        listeners.forEach(l -> l.accept(current));
    }

    @Override
    public Leadership current() {
        return current;
    }

    @Override
    public void onChange(Consumer<Leadership> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        current = new Leadership(false, current.epoch(), "", "", current.since());
        listeners.forEach(l -> l.accept(current));
    }

    private long readEpoch() {
        try {
            return Files.exists(epochFile) ? Long.parseLong(Files.readString(epochFile, StandardCharsets.UTF_8).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the epoch from " + epochFile + ": " + e.getMessage(), e);
        }
    }

    private void writeEpoch(long epoch) {
        try {
            Files.createDirectories(epochFile.getParent());
            Path temp = epochFile.resolveSibling("epoch.tmp");
            Files.writeString(temp, Long.toString(epoch), StandardCharsets.UTF_8);
            Files.move(temp, epochFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the epoch to " + epochFile, e);
        }
    }
}
