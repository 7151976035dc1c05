package io.warden.common.snapshot;

import org.gaul.s3proxy.junit.S3ProxyExtension;

import java.util.Map;
import java.util.Optional;

/**
 * An in-process S3 server (s3proxy, in-memory store) on a free loopback port for each test, and how Warden
 * reaches it: path-style, a fixed region, credentials through the SDK's default chain (system properties).
 */
public final class S3Proxies {

    public static final String ACCESS_KEY = "warden-test";
    public static final String SECRET_KEY = "warden-test-secret";

    private S3Proxies() {
    }

    public static S3ProxyExtension extension() {
        // The SDK's default chain reads these first; a test JVM has no other AWS credentials to find.
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        return S3ProxyExtension.builder().withCredentials(ACCESS_KEY, SECRET_KEY).withBlobStoreProvider("transient").build();
    }

    public static S3Settings settings(S3ProxyExtension proxy) {
        return new S3Settings(Optional.of(proxy.getUri()), "us-east-1", true);
    }

    /** What an agent or the CLI needs in its environment to reach {@code proxy} (credentials: see {@link #extension}). */
    public static Map<String, String> env(S3ProxyExtension proxy) {
        return Map.of("WARDEN_S3_ENDPOINT", proxy.getUri().toString(), "WARDEN_S3_PATH_STYLE", "true");
    }

    /** Creates {@code bucket} and answers the target {@code s3://bucket/prefix}. */
    public static SnapshotTarget bucket(S3ProxyExtension proxy, String bucket, String prefix) {
        SnapshotTarget target = SnapshotTarget.parse("test", "s3://" + bucket + "/" + prefix);
        try (S3Store store = (S3Store) target.open(settings(proxy))) {
            store.client().createBucket(b -> b.bucket(bucket));
        }
        return target;
    }
}
