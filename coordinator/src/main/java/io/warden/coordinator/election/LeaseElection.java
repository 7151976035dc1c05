package io.warden.coordinator.election;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Leader election over a coordination.k8s.io/v1 Lease, campaigning on its own daemon thread (the official
 * client blocks). Every retry period the elector thread:
 * <ol>
 * <li>reads the Lease; when there is none, creates it held by us with transitions 0 (or, should the Lease have
 *     been deleted, transitions that make the epoch one past the highest this process has seen). The epoch is
 *     transitions + 1: the first term is 1, and 0 means "none seen";</li>
 * <li>follows when another identity holds it and its claim stands, reporting that holder, its epoch
 *     (transitions) and its {@code warden.io/leader-url} annotation. A claim stands until
 *     renewTime + leaseDurationSeconds has passed on our clock and, against clock skew between pods, until we
 *     have seen the same resourceVersion unchanged for leaseDurationSeconds;</li>
 * <li>otherwise (vacant, lapsed, or ours) replaces it with us as holder under its resourceVersion, adding one to
 *     transitions when the holder changes. Success: we lead, in the epoch of the new transitions count. 409: someone
 *     else wrote first; we do not lead;</li>
 * <li>while leading, a renewal that finds another holder or gets 409 ends the leadership at once; one that fails
 *     otherwise is retried, and the leadership ends when none has succeeded for the renew deadline. Every call is
 *     bounded by the time left to that deadline. Then back to 1: unlike client-go's elector, it keeps campaigning;</li>
 * <li>on close, stops; if leading, releases the Lease (no holder, transitions kept) so that another candidate takes
 *     it without waiting for it to lapse, then reports leading=false.</li>
 * </ol>
 * Listeners run on the elector thread, once for every change of {@link Leadership}.
 */
public final class LeaseElection implements LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaseElection.class.getName());

    private final LeaseSettings settings;
    private final LeaseStore store;
    private final Clock clock;
    private final List<Consumer<Leadership>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile Leadership current = Leadership.none();
    private volatile boolean started;

    // Touched by the elector thread only.
    private V1Lease held;
    private Instant lastRenewal = Instant.EPOCH;
    private String observedVersion = "";
    private Instant observedSince = Instant.EPOCH;
    private long highestEpoch = -1;

    public LeaseElection(ApiClient client, LeaseSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = new LeaseStore(client, settings.namespace(), settings.leaseName());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.thread = new Thread(this::campaign, "lease-election-" + settings.identity());
        this.thread.setDaemon(true);
    }

    public LeaseElection(ApiClient client, LeaseSettings settings) {
        this(client, settings, Clock.systemUTC());
    }

    @Override
    public synchronized void start() {
        if (closing.getCount() == 0) {
            throw new IllegalStateException("election of " + settings.identity() + " is closed");
        }
        if (!started) {
            started = true;
            thread.start();
        }
    }

    @Override
    public Leadership current() {
        return current;
    }

    @Override
    public void onChange(Consumer<Leadership> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        closing.countDown();
        if (started && Thread.currentThread() != thread) {
            try {
                // The thread finishes its current call (bounded by the renew deadline) and releases the Lease.
                thread.join(settings.renewDeadline().plus(settings.retryPeriod()).toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void campaign() {
        try {
            while (closing.getCount() > 0) {
                Leadership before = current;
                String outcome = tick();
                LOG.log(before.equals(current) ? Level.FINE : Level.INFO, () -> settings.identity() + ": " + outcome);
                if (closing.await(settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, settings.identity() + ": the election loop failed; it stops", e);
        } finally {
            if (current.leading()) {
                LOG.info(() -> settings.identity() + ": " + release());
            }
        }
    }

    /** One attempt to acquire or renew; returns what happened, in words. */
    private String tick() {
        Instant start = clock.instant();
        if (current.leading() && budget(start).isZero()) {
            return stepDown("no renewal succeeded within " + settings.renewDeadline());
        }
        try {
            Optional<V1Lease> read = store.read(budget(start));
            if (read.isEmpty()) {
                // Transitions of a re-created Lease continue past the highest epoch seen, so the epoch still grows.
                long transitions = highestEpoch < 0 ? 0 : highestEpoch;
                return lead(store.create(LeaseRecords.created(settings, transitions, start), budget(start)), start, "created");
            }
            V1Lease lease = read.get();
            observe(lease, clock.instant());
            if (!claimable(lease, clock.instant())) {
                return follow(lease);
            }
            return lead(store.replace(LeaseRecords.claimed(lease, settings, start), budget(clock.instant())), start,
                    LeaseRecords.holder(lease).equals(settings.identity()) ? "renewed" : "took over");
        } catch (LeaseStore.Conflict e) {
            return current.leading()
                    ? stepDown("a renewal conflicted with another write")
                    : "another candidate wrote the lease first";
        } catch (ApiException e) {
            String failure = "the API server did not answer (" + describe(e) + ")";
            if (current.leading() && budget(clock.instant()).isZero()) {
                return stepDown(failure + " and no renewal succeeded within " + settings.renewDeadline());
            }
            return failure;
        }
    }

    private String lead(V1Lease written, Instant renewedAt, String how) {
        held = written;
        lastRenewal = renewedAt;
        observe(written, clock.instant());
        long epoch = LeaseRecords.epoch(written);
        highestEpoch = Math.max(highestEpoch, epoch);
        Instant since = current.leading() ? current.since() : renewedAt;
        publish(new Leadership(true, epoch, settings.identity(), settings.advertisedUrl(), since));
        return how + " the lease; leading in epoch " + epoch;
    }

    private String follow(V1Lease lease) {
        long epoch = LeaseRecords.epoch(lease);
        highestEpoch = Math.max(highestEpoch, epoch);
        String holder = LeaseRecords.holder(lease);
        String sentence = holder + " holds the lease in epoch " + epoch;
        if (current.leading()) {
            sentence = "stopped leading: " + sentence;
        }
        publish(new Leadership(false, epoch, holder, LeaseRecords.leaderUrl(lease), current.since()));
        return sentence;
    }

    private String stepDown(String why) {
        held = null;
        publish(new Leadership(false, current.epoch(), "", "", current.since()));
        return "stopped leading: " + why;
    }

    private String release() {
        Instant now = clock.instant();
        String outcome;
        try {
            store.replace(LeaseRecords.released(held, now), settings.renewDeadline());
            outcome = "released the lease";
        } catch (LeaseStore.Conflict e) {
            outcome = "did not release the lease: it changed since our last renewal";
        } catch (ApiException e) {
            outcome = "could not release the lease (" + describe(e) + "); it lapses by itself";
        }
        stepDown("closed");
        return outcome;
    }

    /** A claim stands until it lapsed by its renewTime and we saw it unchanged for its duration. */
    private boolean claimable(V1Lease lease, Instant now) {
        if (LeaseRecords.vacant(lease) || LeaseRecords.holder(lease).equals(settings.identity())) {
            return true;
        }
        Integer seconds = lease.getSpec().getLeaseDurationSeconds();
        Duration duration = Duration.ofSeconds(seconds == null ? 0 : seconds);
        return LeaseRecords.lapsed(lease, now) && !observedSince.plus(duration).isAfter(now);
    }

    private void observe(V1Lease lease, Instant now) {
        String version = LeaseRecords.resourceVersion(lease);
        if (!version.equals(observedVersion)) {
            observedVersion = version;
            observedSince = now;
        }
    }

    /** Time allowed for a call: what is left of the renew deadline while leading, else the deadline itself. */
    private Duration budget(Instant now) {
        if (!current.leading()) {
            return settings.renewDeadline();
        }
        Duration left = Duration.between(now, lastRenewal.plus(settings.renewDeadline()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void publish(Leadership next) {
        if (next.equals(current)) {
            return;
        }
        current = next;
        for (Consumer<Leadership> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, settings.identity() + ": a leadership listener failed", e);
            }
        }
    }

    private static String describe(ApiException e) {
        return e.getCode() != 0 ? "HTTP " + e.getCode() : String.valueOf(e.getCause() != null ? e.getCause() : e);
    }
}
