package io.warden.coordinator.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** What the webhook decided for one pod. Every outcome admits the pod; only {@link Patch} changes it. */
public sealed interface Injection {

    /** The JSON Patch (RFC 6902) operations that turn the pod into the injected form. */
    record Patch(ArrayNode operations) implements Injection {
    }

    /** The pod carries the status annotation already: nothing to do. */
    record AlreadyInjected() implements Injection {
    }

    /** The pod cannot be injected as it is; admitted unchanged, with this warning for whoever created it. */
    record Declined(String warning) implements Injection {
    }
}
