package io.warden.agent.actions;

import io.warden.agent.actions.ForcedFailover.Election;
import io.warden.agent.actions.ForcedFailover.Move;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ForcedFailoverTest {

    private static final Duration NODE_TIMEOUT = Duration.ofMillis(15_000);
    private static final long WINDOW = ForcedFailover.ELECTION_WINDOW.toNanos();
    private static final Optional<Election> STARTED_AT_ZERO = Optional.of(new Election("a", 0));

    @Test
    void theFirstElectionIsForced() {
        assertEquals(Move.FORCE, ForcedFailover.next(Optional.empty(), "a", 0, NODE_TIMEOUT, false));
    }

    @Test
    void anElectionUnderWayIsLeftAlone() {
        assertEquals(Move.WAIT, ForcedFailover.next(STARTED_AT_ZERO, "a", WINDOW - 1, NODE_TIMEOUT, false));
    }

    @Test
    void anElectionOverWithoutAPromotionIsFollowedByATakeover() {
        assertEquals(Move.TAKEOVER, ForcedFailover.next(STARTED_AT_ZERO, "a", WINDOW, NODE_TIMEOUT, false));
    }

    @Test
    void anotherMastersReplacementIsForced() {
        assertEquals(Move.FORCE, ForcedFailover.next(STARTED_AT_ZERO, "b", 1, NODE_TIMEOUT, false));
    }

    @Test
    void afterRedisRetryTimeRedisHoldsANewElection() {
        assertEquals(Duration.ofSeconds(60), ForcedFailover.authRetryTime(NODE_TIMEOUT));
        assertEquals(Move.TAKEOVER, ForcedFailover.next(STARTED_AT_ZERO, "a", TimeUnit.SECONDS.toNanos(60), NODE_TIMEOUT, false));
        assertEquals(Move.FORCE, ForcedFailover.next(STARTED_AT_ZERO, "a", TimeUnit.SECONDS.toNanos(60) + 1, NODE_TIMEOUT, false));
    }

    @Test
    void aVoteTheCoordinatorSawWouldBeRefusedIsNotAskedFor() {
        assertEquals(Move.TAKEOVER, ForcedFailover.next(Optional.empty(), "a", 0, NODE_TIMEOUT, true));
        assertEquals(Move.WAIT, ForcedFailover.next(STARTED_AT_ZERO, "a", WINDOW - 1, NODE_TIMEOUT, true), "an election under way");
        assertEquals(Move.TAKEOVER, ForcedFailover.next(STARTED_AT_ZERO, "a", TimeUnit.SECONDS.toNanos(61), NODE_TIMEOUT, true));
    }

    @Test
    void anElectionsTimeoutIsAtLeastTwoSeconds() {
        assertEquals(Duration.ofSeconds(4), ForcedFailover.authRetryTime(Duration.ofMillis(500)));
    }
}
