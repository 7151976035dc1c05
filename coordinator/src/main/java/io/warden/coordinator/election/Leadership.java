package io.warden.coordinator.election;

import java.time.Instant;

/**
 * Who leads, as this coordinator last saw it.
 *
 * @param leading    this coordinator holds the lease
 * @param epoch      the leadership term; only grows (the Lease's transitions in Kubernetes)
 * @param leaderName identity of the leader ("" when none)
 * @param leaderUrl  base URL of the leader's API, for forwarding ("" when unknown)
 * @param since      when this coordinator last became leader (meaningful when leading)
 */
public record Leadership(boolean leading, long epoch, String leaderName, String leaderUrl, Instant since) {

    public static Leadership none() {
        return new Leadership(false, 0, "", "", Instant.EPOCH);
    }
}
