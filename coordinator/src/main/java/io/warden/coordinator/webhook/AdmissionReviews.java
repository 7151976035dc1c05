package io.warden.coordinator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Pure: an {@code admission.k8s.io/v1} AdmissionReview in, the AdmissionReview answer out. Every answer
 * admits the pod: a review that cannot be read, or a pod that cannot be injected, is allowed unchanged with a
 * warning, because refusing it would stop pods from being created over a webhook problem.
 */
public final class AdmissionReviews {

    static final String API_VERSION = "admission.k8s.io/v1";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PodInjector injector;

    public AdmissionReviews(PodInjector injector) {
        this.injector = injector;
    }

    /** The answer to {@code body}, whatever it holds. */
    public ObjectNode answer(byte[] body) {
        JsonNode review;
        try {
            review = MAPPER.readTree(body);
        } catch (Exception e) {
            return allowed("", List.of("warden: the admission review cannot be read (not JSON, or too large); admitted unchanged"), null);
        }
        if (review == null || !review.path("request").isObject()) {
            return allowed("", List.of("warden: the admission review has no request; admitted unchanged"), null);
        }
        JsonNode request = review.get("request");
        String uid = request.path("uid").asText("");
        if (!"CREATE".equals(request.path("operation").asText("CREATE"))) {
            return allowed(uid, List.of(), null);
        }
        if (!"Pod".equals(request.path("kind").path("kind").asText("Pod"))) {
            return allowed(uid, List.of("warden: only pods are injected, got " + request.path("kind").path("kind").asText()), null);
        }
        Injection injection = injector.inject(request.path("object"));
        if (injection instanceof Injection.Patch patch && !patch.operations().isEmpty()) {
            return allowed(uid, List.of(), patch);
        }
        if (injection instanceof Injection.Declined declined) {
            return allowed(uid, List.of(declined.warning()), null);
        }
        return allowed(uid, List.of(), null);
    }

    private static ObjectNode allowed(String uid, List<String> warnings, Injection.Patch patch) {
        ObjectNode response = MAPPER.createObjectNode().put("uid", uid).put("allowed", true);
        if (!warnings.isEmpty()) {
            warnings.forEach(response.putArray("warnings")::add);
        }
        if (patch != null) {
            byte[] json = patch.operations().toString().getBytes(StandardCharsets.UTF_8);
            response.put("patchType", "JSONPatch").put("patch", Base64.getEncoder().encodeToString(json));
        }
        ObjectNode answer = MAPPER.createObjectNode().put("apiVersion", API_VERSION).put("kind", "AdmissionReview");
        answer.set("response", response);
        return answer;
    }
}
