package io.warden.agent.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When the next scheduled snapshot is due: one interval after the last one began (or after the agent started). Pure. */
final class Schedule {

    private Schedule() {
    }

    static boolean due(Optional<Duration> interval, Instant since, Instant now) {
        return interval.isPresent() && !now.isBefore(since.plus(interval.get()));
    }
}
