package io.warden.coordinator.election;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Pure reading and writing of the Lease's fields; no I/O. */
final class LeaseRecords {

    static final String KIND = "Lease";
    static final String API_VERSION = "coordination.k8s.io/v1";
    /** Where the holder publishes its API's base URL, for followers to forward writes to. */
    static final String LEADER_URL_ANNOTATION = "warden.io/leader-url";

    private LeaseRecords() {
    }

    static String holder(V1Lease lease) {
        String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        return holder == null ? "" : holder;
    }

    static long transitions(V1Lease lease) {
        Integer transitions = lease.getSpec() == null ? null : lease.getSpec().getLeaseTransitions();
        return transitions == null ? 0 : transitions;
    }

    /**
     * The leadership term a Lease stands for: its transitions plus one, so that the first term is epoch 1 and
     * 0 keeps meaning "no coordinator seen yet" to an agent.
     */
    static long epoch(V1Lease lease) {
        return transitions(lease) + 1;
    }

    static String leaderUrl(V1Lease lease) {
        Map<String, String> annotations = lease.getMetadata() == null ? null : lease.getMetadata().getAnnotations();
        String url = annotations == null ? null : annotations.get(LEADER_URL_ANNOTATION);
        return url == null ? "" : url;
    }

    static String resourceVersion(V1Lease lease) {
        return lease.getMetadata() == null ? "" : String.valueOf(lease.getMetadata().getResourceVersion());
    }

    /** Nobody holds it: released, or never renewed. */
    static boolean vacant(V1Lease lease) {
        return holder(lease).isEmpty();
    }

    /** The holder's claim has lapsed by its own terms: renewTime + leaseDurationSeconds is before {@code now}. */
    static boolean lapsed(V1Lease lease, Instant now) {
        V1LeaseSpec spec = lease.getSpec();
        if (spec == null || spec.getRenewTime() == null || spec.getLeaseDurationSeconds() == null) {
            return true;
        }
        Instant until = spec.getRenewTime().toInstant().plusSeconds(spec.getLeaseDurationSeconds());
        return until.isBefore(now);
    }

    /** A new Lease held by us. kind and apiVersion are set because API servers in tests refuse bodies without them. */
    static V1Lease created(LeaseSettings settings, long transitions, Instant now) {
        V1Lease lease = new V1Lease()
                .kind(KIND)
                .apiVersion(API_VERSION)
                .metadata(new V1ObjectMeta().name(settings.leaseName()).namespace(settings.namespace()))
                .spec(new V1LeaseSpec());
        return claimed(lease, settings, now, transitions);
    }

    /**
     * {@code current} taken over or renewed by us, keeping its resourceVersion so that the replace fails with 409
     * if anyone wrote in between. The transitions count grows by one exactly when the holder changes.
     */
    static V1Lease claimed(V1Lease current, LeaseSettings settings, Instant now) {
        boolean ours = holder(current).equals(settings.identity());
        V1Lease next = claimed(copy(current), settings, now, ours ? transitions(current) : transitions(current) + 1);
        if (ours && current.getSpec() != null && current.getSpec().getAcquireTime() != null) {
            next.getSpec().setAcquireTime(current.getSpec().getAcquireTime());
        }
        return next;
    }

    /**
     * {@code current} given up: no holder, a one-second lease renewed now, and no leader URL, so any candidate
     * may take it at once. The transitions count stays: the next holder adds one.
     */
    static V1Lease released(V1Lease current, Instant now) {
        V1Lease next = copy(current);
        next.getSpec().holderIdentity("").leaseDurationSeconds(1).renewTime(time(now)).acquireTime(null);
        Map<String, String> annotations = next.getMetadata().getAnnotations();
        if (annotations != null) {
            annotations.remove(LEADER_URL_ANNOTATION);
        }
        return next;
    }

    private static V1Lease claimed(V1Lease lease, LeaseSettings settings, Instant now, long transitions) {
        lease.kind(KIND).apiVersion(API_VERSION);
        Map<String, String> annotations = lease.getMetadata().getAnnotations() == null
                ? new HashMap<>() : new HashMap<>(lease.getMetadata().getAnnotations());
        annotations.put(LEADER_URL_ANNOTATION, settings.advertisedUrl());
        lease.getMetadata().setAnnotations(annotations);
        lease.getSpec()
                .holderIdentity(settings.identity())
                .leaseDurationSeconds((int) settings.leaseDuration().toSeconds())
                .leaseTransitions(Math.toIntExact(transitions))
                .acquireTime(time(now))
                .renewTime(time(now));
        return lease;
    }

    /** A deep copy, so the lease we last observed is never changed under us. */
    private static V1Lease copy(V1Lease lease) {
        V1Lease copy = JSON.deserialize(JSON.serialize(lease), V1Lease.class);
        if (copy.getMetadata() == null) {
            copy.setMetadata(new V1ObjectMeta());
        }
        if (copy.getSpec() == null) {
            copy.setSpec(new V1LeaseSpec());
        }
        return copy.kind(KIND).apiVersion(API_VERSION);
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
