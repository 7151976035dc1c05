package io.warden.common.snapshot;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publishing an RDB while it is written, to both targets: only ever the finished file's exact bytes. */
class PublishWhileSavingIT {

    @RegisterExtension
    final S3ProxyExtension s3 = S3Proxies.extension();
    @TempDir
    Path tmp;
    private SnapshotStore store;
    private final SnapshotKey key = SnapshotKey.at("prod", "shard-0", Instant.parse("2026-11-22T10:00:00Z"));

    private SnapshotStore open(String kind) {
        SnapshotTarget target = kind.equals("file")
                ? SnapshotTarget.parse("test", tmp.resolve("pvc").toUri().toString())
                : S3Proxies.bucket(s3, "backups", "warden");
        store = target.open(S3Proxies.settings(s3));
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private PublishWhileSaving.Outcome publish(Path temp, AppendingWriter writer, Path dump) throws Exception {
        return PublishWhileSaving.publish(store, key, temp, writer, dump, 0, check -> new SnapshotManifest(key.id(), key.deployment(),
                key.shard(), key.name(), List.of(), "", "redis-1", "master", "7.0.15", check.size(), check.sha256(), check.crc64(), 0, 0,
                key.time().toString(), key.time().toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "s3"})
    void theTempFileIsPublishedAsItGrowsAndIsTheFinishedDump(String kind) throws Exception {
        open(kind);
        // Past one 16 MiB S3 part: the first part goes up while the rest is still being written.
        byte[] rdb = Rdbs.valid((int) S3Store.MIN_PART + 300_001);
        Path temp = tmp.resolve("temp-100.rdb");
        Path dump = tmp.resolve("dump.rdb");
        try (AppendingWriter writer = new AppendingWriter(rdb, temp, dump, 512 * 1024, AppendingWriter.Ending.RENAME).awaitStarted()) {
            PublishWhileSaving.Published published = assertInstanceOf(PublishWhileSaving.Published.class, publish(temp, writer, dump));
            assertEquals(rdb.length, published.manifest().sizeBytes());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rdb)), published.manifest().sha256());
        }
        assertTrue(store.find(key).orElseThrow().good());
        Path fetched = tmp.resolve("fetched.rdb");
        SnapshotFetcher.fetch(store, key, fetched);
        assertArrayEquals(rdb, Files.readAllBytes(fetched));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "s3"})
    void whenTheFinishedDumpIsAnotherFileNothingIsPublished(String kind) throws Exception {
        open(kind);
        byte[] rdb = Rdbs.valid(2_000_000);
        Path temp = tmp.resolve("temp-200.rdb");
        Path renamedAside = tmp.resolve("elsewhere.rdb");
        Path dump = tmp.resolve("dump.rdb");
        // The same bytes, but not the file read: e.g. another save renamed over dump.rdb in the meantime.
        Files.write(dump, rdb);
        try (AppendingWriter writer = new AppendingWriter(rdb, temp, renamedAside, 100_000, AppendingWriter.Ending.RENAME).awaitStarted()) {
            PublishWhileSaving.NotTheFinishedFile not = assertInstanceOf(PublishWhileSaving.NotTheFinishedFile.class, publish(temp, writer, dump));
            assertTrue(not.reason().contains("is another file than the one read"), not.reason());
        }
        assertNothingStored();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "s3"})
    void aFailedSaveFailsWithItsOwnReasonAndLeavesNothing(String kind) throws Exception {
        open(kind);
        byte[] rdb = Rdbs.valid(2_000_000);
        Path temp = tmp.resolve("temp-300.rdb");
        try (AppendingWriter writer = new AppendingWriter(rdb, temp, tmp.resolve("dump.rdb"), 100_000, AppendingWriter.Ending.FAIL)
                .awaitStarted()) {
            SnapshotException failed = assertThrows(SnapshotException.class, () -> publish(temp, writer, tmp.resolve("dump.rdb")));
            assertEquals(SnapshotException.Reason.BGSAVE, failed.reason(), failed.getMessage());
        }
        assertNothingStored();
    }

    @Test
    void aTempFileAlreadyGoneIsNotTheFinishedFile() throws Exception {
        open("file");
        PublishWhileSaving.Outcome outcome = PublishWhileSaving.publish(store, key, tmp.resolve("temp-404.rdb"), () -> true,
                tmp.resolve("dump.rdb"), 0, check -> {
                    throw new AssertionError("nothing to publish");
                });
        assertInstanceOf(PublishWhileSaving.NotTheFinishedFile.class, outcome);
        assertNothingStored();
    }

    private void assertNothingStored() throws Exception {
        assertEquals(List.of(), store.list("prod"));
        if (store instanceof S3Store s3Store) {
            assertEquals(List.of(), s3Store.client().listMultipartUploads(b -> b.bucket("backups")).uploads(), "an upload left open");
            assertEquals(0, s3Store.client().listObjectsV2(b -> b.bucket("backups")).keyCount());
        } else if (Files.exists(tmp.resolve("pvc"))) {
            try (Stream<Path> left = Files.walk(tmp.resolve("pvc"))) {
                assertEquals(List.of(), left.filter(Files::isRegularFile).toList());
            }
        }
    }
}
