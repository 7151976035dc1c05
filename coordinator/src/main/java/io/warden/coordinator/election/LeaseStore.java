package io.warden.coordinator.election;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.models.V1Lease;
import okhttp3.Call;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Lease's three REST calls, each bounded by a whole-call timeout: a renewal must not outlive the renew
 * deadline just because the API server stopped answering mid-request.
 */
final class LeaseStore {

    /** Someone else wrote first: a create of an existing name, or a replace with a stale resourceVersion. */
    static final class Conflict extends Exception {
        Conflict(ApiException cause) {
            super("409 Conflict", cause);
        }
    }

    private final ApiClient client;
    private final CoordinationV1Api api;
    private final String namespace;
    private final String name;

    LeaseStore(ApiClient client, String namespace, String name) {
        this.client = client;
        this.api = new CoordinationV1Api(client);
        this.namespace = namespace;
        this.name = name;
    }

    Optional<V1Lease> read(Duration timeout) throws ApiException {
        try {
            return Optional.of(run(api.readNamespacedLease(name, namespace).buildCall(null), timeout));
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    V1Lease create(V1Lease lease, Duration timeout) throws ApiException, Conflict {
        return orConflict(() -> run(api.createNamespacedLease(namespace, lease).buildCall(null), timeout));
    }

    /** Replaces with {@code lease}'s resourceVersion as the precondition. */
    V1Lease replace(V1Lease lease, Duration timeout) throws ApiException, Conflict {
        return orConflict(() -> run(api.replaceNamespacedLease(name, namespace, lease).buildCall(null), timeout));
    }

    private V1Lease run(Call call, Duration timeout) throws ApiException {
        call.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        return client.<V1Lease>execute(call, V1Lease.class).getData();
    }

    private interface Write {
        V1Lease run() throws ApiException;
    }

    private static V1Lease orConflict(Write write) throws ApiException, Conflict {
        try {
            return write.run();
        } catch (ApiException e) {
            if (e.getCode() == 409) {
                throw new Conflict(e);
            }
            throw e;
        }
    }
}
