package io.warden.common.snapshot;

import io.warden.common.config.ConfigException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;
import java.nio.file.Path;

/**
 * {@code WARDEN_SNAPSHOT_TARGET}: {@code file:///path} (a mounted volume) or {@code s3://bucket/prefix}.
 *
 * @param uri    the target as given
 * @param bucket the bucket (s3) or "" (file)
 * @param path   the directory (file) or the key prefix without slashes at either end (s3, "" for the root)
 */
public record SnapshotTarget(URI uri, String bucket, String path) {

    public static SnapshotTarget parse(String variable, String value) {
        URI uri;
        try {
            uri = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(variable, "expected file:///path or s3://bucket/prefix, got \"" + value + "\"");
        }
        if ("file".equals(uri.getScheme()) && uri.getPath() != null && uri.getPath().startsWith("/")
                && (uri.getAuthority() == null || uri.getAuthority().isEmpty())) {
            return new SnapshotTarget(uri, "", uri.getPath());
        }
        if ("s3".equals(uri.getScheme()) && uri.getHost() != null && !uri.getHost().isEmpty()) {
            String prefix = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
            return new SnapshotTarget(uri, uri.getHost(), prefix);
        }
        throw new ConfigException(variable, "expected file:///path (a mounted volume) or s3://bucket/prefix, got \"" + value + "\"");
    }

    public boolean s3() {
        return !bucket.isEmpty();
    }

    /** Opens the store; for s3 this builds an SDK client (credentials from the SDK's default chain). */
    public SnapshotStore open(S3Settings settings) {
        if (!s3()) {
            return new FileStore(Path.of(path));
        }
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(S3Settings.CONNECT_TIMEOUT)
                        .socketTimeout(S3Settings.SOCKET_TIMEOUT))
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                // SDK 2.30+ adds CRC32 checksums to every request and checks them on every answer; many
                // S3-compatible servers refuse or lack them. The RDB's own SHA-256 and CRC64 guard the data instead.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(builder::endpointOverride);
        return new S3Store(builder.build(), bucket, path);
    }

    /**
     * One snapshot named by its RDB ({@code --snapshot}): a path, {@code file:///…/<name>.rdb} or
     * {@code s3://bucket/…/<name>.rdb}. Its manifest is expected beside it.
     */
    public static Located locate(String variable, String value) {
        String uri = value.startsWith("/") ? Path.of(value).toUri().toString() : value;
        if (!uri.endsWith(".rdb")) {
            throw new ConfigException(variable, "expected the path or URI of a snapshot's .rdb file, got \"" + value + "\"");
        }
        int slash = uri.lastIndexOf('/');
        SnapshotTarget parent = parse(variable, uri.substring(0, slash));
        String file = uri.substring(slash + 1);
        return new Located(parent, new SnapshotKey("", "", file.substring(0, file.length() - 4)));
    }

    /** A single snapshot's store (its directory or prefix) and key within it. */
    public record Located(SnapshotTarget target, SnapshotKey key) {
    }
}
