package io.warden.common.snapshot;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Snapshots in S3-compatible storage: {@code s3://bucket/prefix/<deployment>/<shard>/<name>.rdb} and {@code .json}.
 * <ol>
 *   <li>The RDB goes up as a multipart upload, each part read from the open file when the SDK asks for it (no part
 *       is buffered in memory); while Redis still writes the file, a part goes once its bytes exist;</li>
 *   <li>only when every byte was sent and the RDB checked is the upload completed; otherwise it is aborted, and an
 *       aborted multipart upload leaves no object;</li>
 *   <li>the completed object's size is read back, then the manifest is put: it is the commit point.</li>
 * </ol>
 */
public final class S3Store implements SnapshotStore {

    static final long MIN_PART = 16L * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /**
     * @param prefix key prefix without leading or trailing slash, "" for the bucket's root
     */
    public S3Store(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() ? "" : prefix + "/";
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    /** Parts of at least 16 MiB, larger when needed to stay within S3's 10,000 parts. */
    static long partSize(long size) {
        return Math.max(MIN_PART, (size + MAX_PARTS - 1) / MAX_PARTS);
    }

    @Override
    public void publish(SnapshotKey key, RdbSource source, Completion complete) throws SnapshotException {
        String rdbKey = prefix + key.rdbPath();
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(rdbKey).contentType("application/octet-stream")).uploadId();
        } catch (SdkException e) {
            throw new SnapshotException(SnapshotException.Reason.UPLOAD, "cannot start an upload to " + describe() + key.rdbPath() + ": " + e.getMessage(), e);
        }
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long partSize = partSize(source.sizeHint());
            long sent = 0;
            // A part's length is known once its bytes exist (or Redis finished writing): the last one is shorter.
            for (long length; (length = source.length(sent, partSize)) > 0; sent += length) {
                long from = sent;
                long partLength = length;
                int number = parts.size() + 1;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(rdbKey).uploadId(uploadId).partNumber(number).contentLength(partLength),
                        RequestBody.fromContentProvider(() -> source.region(from, partLength), partLength, "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            String manifest = complete.manifest();
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(rdbKey).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            completed = true;
            long stored = s3.headObject(b -> b.bucket(bucket).key(rdbKey)).contentLength();
            if (stored != sent) {
                deleteQuietly(rdbKey);
                throw new SnapshotException(SnapshotException.Reason.UPLOAD, "the stored RDB has " + stored + " bytes, " + sent
                        + " were sent (truncated upload)");
            }
            try {
                s3.putObject(b -> b.bucket(bucket).key(prefix + key.manifestPath()).contentType("application/json"), RequestBody.fromString(manifest));
            } catch (SdkException e) {
                deleteQuietly(rdbKey);
                throw new SnapshotException(SnapshotException.Reason.MANIFEST, "cannot put the manifest " + key.manifestPath() + ": " + e.getMessage(), e);
            }
        } catch (SdkException | IOException e) {
            throw new SnapshotException(SnapshotException.Reason.UPLOAD, "upload to " + describe() + key.rdbPath() + " failed: " + e.getMessage(), e);
        } finally {
            if (!completed) {
                abortQuietly(rdbKey, uploadId);
            }
        }
    }

    @Override
    public List<StoredSnapshot> list(String deployment) throws IOException {
        String base = prefix + deployment + "/";
        Map<String, Long> rdbs = new HashMap<>();
        java.util.Set<String> manifests = new java.util.HashSet<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(base)).contents()) {
                String rest = object.key().substring(base.length());
                if (rest.chars().filter(c -> c == '/').count() != 1) {
                    continue;
                }
                if (rest.endsWith(".rdb")) {
                    rdbs.put(rest.substring(0, rest.length() - 4), object.size());
                } else if (rest.endsWith(".json")) {
                    manifests.add(rest.substring(0, rest.length() - 5));
                }
            }
        } catch (SdkException e) {
            throw new IOException("cannot list " + describe() + deployment + "/: " + e.getMessage(), e);
        }
        List<StoredSnapshot> found = new ArrayList<>();
        for (Map.Entry<String, Long> rdb : rdbs.entrySet()) {
            String[] shardAndName = rdb.getKey().split("/", 2);
            SnapshotKey key = new SnapshotKey(deployment, shardAndName[0], shardAndName[1]);
            found.add(StoredSnapshot.judge(key, rdb.getValue(), manifests.contains(rdb.getKey()) ? readManifest(key) : Optional.empty()));
        }
        found.sort(Comparator.comparing((StoredSnapshot s) -> s.key().shard()).thenComparing(s -> s.key().name(), Comparator.reverseOrder()));
        return found;
    }

    @Override
    public Optional<StoredSnapshot> find(SnapshotKey key) throws IOException {
        try {
            long size = s3.headObject(b -> b.bucket(bucket).key(prefix + key.rdbPath())).contentLength();
            return Optional.of(StoredSnapshot.judge(key, size, readManifest(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("cannot read " + describe() + key.rdbPath() + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("cannot read " + describe() + key.rdbPath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> readManifest(SnapshotKey key) throws IOException {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key.manifestPath())).asUtf8String());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("cannot read " + describe() + key.manifestPath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream openRdb(SnapshotKey key) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(prefix + key.rdbPath()));
        } catch (SdkException e) {
            throw new IOException("cannot read " + describe() + key.rdbPath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(SnapshotKey key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(prefix + key.manifestPath()));
            s3.deleteObject(b -> b.bucket(bucket).key(prefix + key.rdbPath()));
        } catch (SdkException e) {
            throw new IOException("cannot delete " + describe() + key.rdbPath() + ": " + e.getMessage(), e);
        }
    }

    /** The SDK client, for tests and tools that look behind the store (e.g. at unfinished uploads). */
    public S3Client client() {
        return s3;
    }

    @Override
    public void close() {
        s3.close();
    }

    /** Best effort while already failing: an upload left open is invisible and expires by the bucket's lifecycle rules. */
    private void abortQuietly(String rdbKey, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(rdbKey).uploadId(uploadId));
        } catch (SdkException e) {
            // see above
        }
    }

    private void deleteQuietly(String objectKey) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey));
        } catch (SdkException e) {
            // the manifest is missing, so the object does not count as a snapshot either way
        }
    }
}
