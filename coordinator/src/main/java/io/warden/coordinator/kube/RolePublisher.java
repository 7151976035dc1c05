package io.warden.coordinator.kube;

import io.kubernetes.client.openapi.ApiException;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.NodeView;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * Replication mode: keeps each pod's {@code warden.io/role} label equal to the role its Redis reports, so a
 * Service selecting {@code warden.io/role=master} always reaches the master. Called with every tick's view on
 * the event loop; the (blocking) API calls run on a thread of their own, and only for roles that changed.
 */
public final class RolePublisher implements java.util.function.Consumer<ClusterView>, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RolePublisher.class.getName());

    private final RoleLabeler labeler;
    private final String namespace;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "warden-role-labels");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> published = new HashMap<>();

    public RolePublisher(RoleLabeler labeler, String namespace) {
        this.labeler = labeler;
        this.namespace = namespace;
    }

    @Override
    public synchronized void accept(ClusterView view) {
        for (NodeView node : view.reachable()) {
            if (node.role() == null) {
                continue;
            }
            String role = node.role().wireName();
            if (role.equals(published.get(node.name()))) {
                continue;
            }
            published.put(node.name(), role);
            thread.execute(() -> label(node.name(), role));
        }
    }

    private void label(String pod, String role) {
        try {
            if (labeler.label(namespace, pod, role)) {
                LOG.info("labelled pod " + pod + " " + RoleLabeler.ROLE_LABEL + "=" + role);
            }
        } catch (ApiException e) {
            LOG.warning("cannot label pod " + pod + " as " + role + ": " + e.getCode() + " " + e.getMessage());
            synchronized (this) {
                published.remove(pod);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
