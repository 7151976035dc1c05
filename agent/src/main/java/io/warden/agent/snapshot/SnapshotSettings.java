package io.warden.agent.snapshot;

import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;
import io.warden.common.snapshot.S3Settings;
import io.warden.common.snapshot.SnapshotTarget;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's snapshot configuration.
 *
 * @param target     {@code WARDEN_SNAPSHOT_TARGET}; absent: snapshots are off (the API answers 503 saying so)
 * @param interval   {@code WARDEN_SNAPSHOT_INTERVAL} ({@code 1h}, {@code 30m}, {@code 1h30m}…); absent: no schedule
 * @param keep       {@code WARDEN_SNAPSHOT_KEEP}, good snapshots kept per shard (default 7)
 * @param deployment {@code WARDEN_DEPLOYMENT}, the first level under the target (default {@code warden})
 * @param s3         {@code WARDEN_S3_*}
 * @param saveTimeout how long a BGSAVE may take before the snapshot fails ({@code WARDEN_SNAPSHOT_SAVE_TIMEOUT}, default 1h)
 */
public record SnapshotSettings(Optional<SnapshotTarget> target, Optional<Duration> interval, int keep, String deployment,
                               S3Settings s3, Duration saveTimeout) {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public static SnapshotSettings fromEnv(Env env) {
        Optional<SnapshotTarget> target = env.optional("WARDEN_SNAPSHOT_TARGET").map(v -> SnapshotTarget.parse("WARDEN_SNAPSHOT_TARGET", v));
        Optional<Duration> interval = env.optional("WARDEN_SNAPSHOT_INTERVAL").map(v -> duration("WARDEN_SNAPSHOT_INTERVAL", v));
        if (interval.isPresent() && target.isEmpty()) {
            throw new ConfigException("WARDEN_SNAPSHOT_INTERVAL", "is set but WARDEN_SNAPSHOT_TARGET is not: set where snapshots go "
                    + "(file:///path or s3://bucket/prefix)");
        }
        String deployment = env.string("WARDEN_DEPLOYMENT", "warden");
        if (!deployment.matches("[a-z0-9]([a-z0-9._-]*[a-z0-9])?")) {
            throw new ConfigException("WARDEN_DEPLOYMENT", "expected a name of lower-case letters, digits, '.', '_' and '-', got \"" + deployment + "\"");
        }
        return new SnapshotSettings(target, interval,
                (int) env.longInRange("WARDEN_SNAPSHOT_KEEP", 7, 1, 10_000, "a whole number from 1 to 10000"),
                deployment, S3Settings.fromEnv(env),
                env.optional("WARDEN_SNAPSHOT_SAVE_TIMEOUT").map(v -> duration("WARDEN_SNAPSHOT_SAVE_TIMEOUT", v)).orElse(Duration.ofHours(1)));
    }

    /** {@code 90s}, {@code 15m}, {@code 1h30m}, {@code 1d}, {@code 500ms}: one or more numbers with units, above zero. */
    static Duration duration(String variable, String value) {
        Matcher m = DURATION.matcher(value);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            at = m.end();
        }
        if (at != value.length() || at == 0 || total.isZero()) {
            throw new ConfigException(variable, "expected a duration such as 30m, 1h or 1h30m, got \"" + value + "\"");
        }
        return total;
    }
}
