package io.warden.coordinator.election;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Lease;
import io.warden.coordinator.kube.KubeApiMock;
import io.warden.testkit.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Coordinators campaigning for one Lease on an API server in CRUD mode, through the official client. */
class LeaseElectionIT {

    private static final String NS = "warden";
    private static final String LEASE = "warden-coordinator";
    private static final Duration LEASE_DURATION = Duration.ofSeconds(2);
    private static final Duration RENEW_DEADLINE = Duration.ofMillis(1500);
    private static final Duration RETRY = Duration.ofMillis(200);
    /** Thread scheduling and loopback round trips on a busy 2-core machine. */
    private static final Duration SLACK = Duration.ofMillis(400);
    private static final Duration ELECTED = Duration.ofSeconds(10);

    @RegisterExtension
    final KubeApiMock kube = new KubeApiMock();

    private final List<Candidate> candidates = new ArrayList<>();

    @AfterEach
    void closeCandidates() {
        candidates.forEach(Candidate::close);
    }

    @Test
    void twoCoordinatorsExactlyOneLeads() {
        Candidate a = start("coordinator-a");
        Candidate b = start("coordinator-b");

        Eventually.await(ELECTED, "one leader that the other follows", () -> agreed(a, b), () -> describe(a, b));
        Candidate leader = a.leading() ? a : b;
        Candidate follower = leader == a ? b : a;
        assertEquals(1, leader.now().epoch(), "the first holder of a new Lease leads in epoch 1");
        assertEquals(leader.url(), follower.now().leaderUrl());

        long until = System.nanoTime() + LEASE_DURATION.toNanos();
        while (System.nanoTime() < until) {
            assertFalse(a.leading() && b.leading(), () -> "two leaders: " + describe(a, b));
            assertTrue(leader.leading(), () -> "leadership moved without cause: " + describe(a, b));
            sleep(Duration.ofMillis(20));
        }
    }

    @Test
    void whenTheLeaderStopsTheOtherLeadsWithAHigherEpoch() {
        Candidate a = start("coordinator-a");
        Candidate b = start("coordinator-b");
        Eventually.await(ELECTED, "one leader", () -> agreed(a, b), () -> describe(a, b));
        Candidate leader = a.leading() ? a : b;
        Candidate other = leader == a ? b : a;
        long epoch = leader.now().epoch();

        leader.close();
        assertFalse(leader.now().leading());
        assertFalse(leader.history().get(leader.history().size() - 1).leading(), "listeners hear leading=false");

        // Released, not left to lapse: the other takes over within a few retries, not a lease duration.
        Eventually.await(RETRY.multipliedBy(3).plus(SLACK), "the other to lead", other::leading, () -> describe(a, b));
        assertTrue(other.now().epoch() > epoch, () -> "epoch " + other.now().epoch() + " after " + epoch);
    }

    @Test
    void aLeaderThatCannotRenewStopsLeading() {
        Candidate a = start("coordinator-a");
        Eventually.await(ELECTED, "a to lead", a::leading);

        long stopped = System.nanoTime();
        kube.stop();

        Eventually.await(RENEW_DEADLINE.plus(RETRY).plus(SLACK), "a to stop leading", () -> !a.leading(),
                () -> describe(a));
        Duration took = Duration.ofNanos(System.nanoTime() - stopped);
        assertTrue(took.compareTo(RENEW_DEADLINE.plus(RETRY).plus(SLACK)) <= 0, "stopped leading after " + took);
        assertFalse(a.history().get(a.history().size() - 1).leading());
    }

    @Test
    void aLeaderWhoseLeaseIsTakenStopsLeadingAtOnceAndTakesItBackWhenItLapses() throws Exception {
        Candidate a = start("coordinator-a");
        Eventually.await(ELECTED, "a to lead", a::leading);
        long epoch = a.now().epoch();

        CoordinationV1Api api = new CoordinationV1Api(kube.client());
        V1Lease lease = api.readNamespacedLease(LEASE, NS).execute();
        lease.getSpec().holderIdentity("intruder").renewTime(OffsetDateTime.now())
                .leaseTransitions(lease.getSpec().getLeaseTransitions() + 1);
        lease.getMetadata().putAnnotationsItem(LeaseRecords.LEADER_URL_ANNOTATION, "http://intruder:9737");
        api.replaceNamespacedLease(LEASE, NS, lease).execute();

        Eventually.await(RETRY.multipliedBy(2).plus(SLACK), "a to stop leading", () -> !a.leading(), () -> describe(a));
        Eventually.await(RETRY.multipliedBy(2).plus(SLACK), "a to follow the intruder",
                () -> a.now().leaderName().equals("intruder"), () -> describe(a));
        assertEquals("http://intruder:9737", a.now().leaderUrl());
        assertEquals(epoch + 1, a.now().epoch());

        // The intruder never renews: once its claim lapses, a campaigns again and wins a newer term.
        Eventually.await(LEASE_DURATION.multipliedBy(3), "a to lead again", a::leading, () -> describe(a));
        assertEquals(epoch + 2, a.now().epoch());
    }

    @Test
    void leaseCreatedWithKindAndApiVersion() throws Exception {
        Candidate a = start("coordinator-a");
        Eventually.await(ELECTED, "a to lead", a::leading);

        JsonNode lease = new ObjectMapper().readTree(
                kube.getRaw("/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/" + LEASE));
        assertEquals("Lease", lease.path("kind").asText());
        assertEquals("coordination.k8s.io/v1", lease.path("apiVersion").asText());
        assertEquals("coordinator-a", lease.path("spec").path("holderIdentity").asText());
        assertEquals(0, lease.path("spec").path("leaseTransitions").asInt(-1));
        assertEquals(2, lease.path("spec").path("leaseDurationSeconds").asInt());
        assertFalse(lease.path("spec").path("renewTime").asText().isEmpty());
        assertEquals(a.url(), lease.path("metadata").path("annotations").path("warden.io/leader-url").asText());
    }

    @Test
    void epochNeverDecreasesAcrossManyHandovers() {
        List<Candidate> live = new ArrayList<>(List.of(start("coordinator-0"), start("coordinator-1")));
        List<Long> epochs = new ArrayList<>();
        for (int handover = 0; handover < 4; handover++) {
            Eventually.await(ELECTED, "a leader in round " + handover,
                    () -> live.stream().filter(Candidate::leading).count() == 1, () -> describe(live));
            Candidate leader = live.stream().filter(Candidate::leading).findFirst().orElseThrow();
            epochs.add(leader.now().epoch());
            leader.close();
            live.remove(leader);
            live.add(start("coordinator-" + (handover + 2)));
        }
        for (int i = 1; i < epochs.size(); i++) {
            assertTrue(epochs.get(i) > epochs.get(i - 1), "epochs by term: " + epochs);
        }
        for (Candidate candidate : candidates) {
            List<Long> seen = candidate.history().stream().map(Leadership::epoch).collect(Collectors.toList());
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i) >= seen.get(i - 1), candidate.name + " saw epochs " + seen);
            }
        }
    }

    private Candidate start(String name) {
        LeaseSettings settings = new LeaseSettings(NS, LEASE, name, "http://" + name + ":9737",
                LEASE_DURATION, RENEW_DEADLINE, RETRY);
        Candidate candidate = new Candidate(name, new LeaseElection(kube.client(), settings));
        candidates.add(candidate);
        candidate.election.start();
        return candidate;
    }

    /** Exactly one leads, and the other names it, its URL and its epoch. */
    private static boolean agreed(Candidate a, Candidate b) {
        if (a.leading() == b.leading()) {
            return false;
        }
        Leadership leader = a.leading() ? a.now() : b.now();
        Leadership follower = a.leading() ? b.now() : a.now();
        return follower.leaderName().equals(leader.leaderName()) && follower.epoch() == leader.epoch()
                && follower.leaderUrl().equals(leader.leaderUrl());
    }

    private static String describe(Candidate... candidates) {
        return describe(List.of(candidates));
    }

    private static String describe(List<Candidate> candidates) {
        return candidates.stream().map(c -> c.name + "=" + c.now()).collect(Collectors.joining(", "));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static final class Candidate {
        final String name;
        final LeaseElection election;
        private final List<Leadership> history = new ArrayList<>();

        Candidate(String name, LeaseElection election) {
            this.name = name;
            this.election = election;
            election.onChange(next -> {
                synchronized (history) {
                    history.add(next);
                }
            });
        }

        Leadership now() {
            return election.current();
        }

        boolean leading() {
            return election.current().leading();
        }

        String url() {
            return "http://" + name + ":9737";
        }

        List<Leadership> history() {
            synchronized (history) {
                return List.copyOf(history);
            }
        }

        void close() {
            election.close();
        }
    }
}
