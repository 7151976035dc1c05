package io.warden.common.snapshot;

/**
 * A snapshot or restore that did not happen, with the reason in words and a short label for the
 * {@code warden_snapshot_failures_total{reason}} metric.
 */
public final class SnapshotException extends Exception {

    /** Why, in one word: what the failures metric is labelled with. */
    public enum Reason {
        BGSAVE, READ, VERIFY, UPLOAD, MANIFEST, NOT_FOUND, CONFLICT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public SnapshotException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SnapshotException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
