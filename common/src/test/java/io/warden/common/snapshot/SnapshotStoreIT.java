package io.warden.common.snapshot;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both targets, the same behaviour: publish only what checks out, list with verdicts, fetch only what verifies. */
class SnapshotStoreIT {

    @RegisterExtension
    final S3ProxyExtension s3 = S3Proxies.extension();
    @TempDir
    Path tmp;
    private SnapshotStore store;

    private SnapshotStore open(String kind) throws Exception {
        SnapshotTarget target = kind.equals("file")
                ? SnapshotTarget.parse("test", tmp.resolve("pvc").toUri().toString())
                : S3Proxies.bucket(s3, "backups", "warden/prod");
        store = target.open(S3Proxies.settings(s3));
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private Path rdbFile(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(tmp, "dump", ".rdb");
        Files.write(file, bytes);
        return file;
    }

    private static SnapshotManifest manifest(SnapshotKey key, RdbDigest.RdbCheck check) {
        return new SnapshotManifest(key.id(), key.deployment(), key.shard(), key.name(), List.of("0-5460"), "", "redis-1",
                "replica", "7.0.15", check.size(), check.sha256(), check.crc64(), 42, 3, key.time().toString(), key.time().toString());
    }

    private SnapshotKey publish(SnapshotStore store, byte[] rdb, int second) throws Exception {
        SnapshotKey key = SnapshotKey.at("prod", "shard-0", Instant.parse("2026-11-22T10:00:00Z").plusSeconds(second));
        SnapshotPublisher.publish(store, key, rdbFile(rdb), check -> manifest(key, check));
        return key;
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "s3"})
    void publishedSnapshotsAreListedGoodAndFetchedByteForByte(String kind) throws Exception {
        SnapshotStore store = open(kind);
        // Larger than one 16 MiB part on S3, to cross a part boundary.
        byte[] rdb = Rdbs.valid((int) S3Store.MIN_PART + 123_457);
        SnapshotKey key = publish(store, rdb, 0);

        List<StoredSnapshot> listed = store.list("prod");
        assertEquals(1, listed.size());
        assertTrue(listed.get(0).good(), listed.get(0).problem().toString());
        assertEquals(rdb.length, listed.get(0).manifest().orElseThrow().sizeBytes());

        Path restored = tmp.resolve("restored.rdb");
        SnapshotManifest manifest = SnapshotFetcher.fetch(store, key, restored);
        assertEquals(key.id(), manifest.id());
        assertArrayEquals(rdb, Files.readAllBytes(restored));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "s3"})
    void aCorruptedRdbIsNotPublishedAndLeavesNothing(String kind) throws Exception {
        SnapshotStore store = open(kind);
        byte[] corrupted = Rdbs.flipped(Rdbs.valid(100_000), 50_000);
        SnapshotException refused = assertThrows(SnapshotException.class, () -> publish(store, corrupted, 0));
        assertEquals(SnapshotException.Reason.VERIFY, refused.reason());
        assertTrue(refused.getMessage().contains("CRC64 mismatch"), refused.getMessage());
        assertEquals(List.of(), store.list("prod"));
        if (store instanceof S3Store s3Store) {
            assertEquals(List.of(), s3Store.client().listMultipartUploads(b -> b.bucket("backups")).uploads());
            assertEquals(List.of(), s3Store.client().listObjectsV2(b -> b.bucket("backups")).contents());
        } else {
            try (Stream<Path> left = Files.walk(tmp.resolve("pvc"))) {
                assertEquals(List.of(), left.filter(Files::isRegularFile).toList());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "s3"})
    void aStoredRdbWithOneFlippedByteIsRefusedOnFetch(String kind) throws Exception {
        SnapshotStore store = open(kind);
        byte[] rdb = Rdbs.valid(100_000);
        SnapshotKey key = publish(store, rdb, 0);
        overwrite(store, key, Rdbs.flipped(rdb, 777));

        Path restored = tmp.resolve("restored.rdb");
        SnapshotException refused = assertThrows(SnapshotException.class, () -> SnapshotFetcher.fetch(store, key, restored));
        assertTrue(refused.getMessage().contains("SHA-256"), refused.getMessage());
        assertFalse(Files.exists(restored));
        assertEquals(List.of(), leftovers());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "s3"})
    void aTruncatedRdbIsListedBadAndRefusedOnFetch(String kind) throws Exception {
        SnapshotStore store = open(kind);
        byte[] rdb = Rdbs.valid(100_000);
        SnapshotKey key = publish(store, rdb, 0);
        overwrite(store, key, Arrays.copyOf(rdb, 60_000));

        StoredSnapshot listed = store.list("prod").get(0);
        assertTrue(listed.problem().orElseThrow().contains("60000 bytes, its manifest says " + rdb.length), listed.problem().get());
        SnapshotException refused = assertThrows(SnapshotException.class, () -> SnapshotFetcher.fetch(store, key, tmp.resolve("r.rdb")));
        assertTrue(refused.getMessage().contains("truncated"), refused.getMessage());
        assertFalse(Files.exists(tmp.resolve("r.rdb")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "s3"})
    void anRdbWithoutManifestIsListedBadAndRefusedOnFetch(String kind) throws Exception {
        SnapshotStore store = open(kind);
        SnapshotKey older = publish(store, Rdbs.valid(1000), 0);
        SnapshotKey newer = publish(store, Rdbs.valid(2000), 1);
        deleteManifest(store, newer);

        List<StoredSnapshot> listed = store.list("prod");
        assertEquals(List.of(newer, older), listed.stream().map(StoredSnapshot::key).toList());
        assertTrue(listed.get(0).problem().orElseThrow().startsWith("manifest missing"), listed.get(0).problem().get());
        assertEquals(older, SnapshotCatalog.newestGood(listed, "shard-0", java.util.Optional.empty()).orElseThrow().key());
        SnapshotException refused = assertThrows(SnapshotException.class, () -> SnapshotFetcher.fetch(store, newer, tmp.resolve("r.rdb")));
        assertEquals(SnapshotException.Reason.MANIFEST, refused.reason());
        assertTrue(refused.getMessage().startsWith("manifest missing"), refused.getMessage());
    }

    private void overwrite(SnapshotStore store, SnapshotKey key, byte[] bytes) throws Exception {
        if (store instanceof S3Store s3Store) {
            s3Store.client().putObject(b -> b.bucket("backups").key("warden/prod/" + key.rdbPath()),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
        } else {
            Files.write(tmp.resolve("pvc").resolve(key.rdbPath()), bytes);
        }
    }

    private void deleteManifest(SnapshotStore store, SnapshotKey key) throws Exception {
        if (store instanceof S3Store s3Store) {
            s3Store.client().deleteObject(b -> b.bucket("backups").key("warden/prod/" + key.manifestPath()));
        } else {
            Files.delete(tmp.resolve("pvc").resolve(key.manifestPath()));
        }
    }

    private List<Path> leftovers() throws Exception {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".")).toList();
        }
    }
}
