package io.warden.common.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrowingFileTest {

    @TempDir
    Path tmp;

    @Test
    void aReaderGetsEveryByteAppendedAcrossTheRenameAndStopsOnlyWhenTheWriterFinished() throws Exception {
        byte[] rdb = Rdbs.valid(3 * 1024 * 1024 + 17);
        Path temp = tmp.resolve("temp-4242.rdb");
        try (AppendingWriter writer = new AppendingWriter(rdb, temp, tmp.resolve("dump.rdb"), 64 * 1024, AppendingWriter.Ending.RENAME)
                .awaitStarted(); FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ)) {
            GrowingFile file = GrowingFile.growing(channel, writer, Duration.ofMillis(5));
            RdbSource source = new RdbSource(file, 0);
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            try (InputStream in = source.whole()) {
                in.transferTo(copy);
            }
            assertTrue(file.finished());
            assertArrayEquals(rdb, copy.toByteArray());
            assertTrue(source.finish().good());
            assertTrue(Files.notExists(temp), "read while it was renamed to dump.rdb");
            assertTrue(writer.asked() < 200, "asked the writer " + writer.asked() + " times, at most once per poll");
        }
    }

    @Test
    void partLengthsWaitForTheirBytesAndOnlyTheLastIsShort() throws Exception {
        byte[] rdb = Rdbs.valid(1_000_000);
        Path temp = tmp.resolve("temp-1.rdb");
        try (AppendingWriter writer = new AppendingWriter(rdb, temp, tmp.resolve("dump.rdb"), 10_000, AppendingWriter.Ending.RENAME)
                .awaitStarted(); FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ)) {
            GrowingFile file = GrowingFile.growing(channel, writer, Duration.ofMillis(5));
            assertEquals(400_000, file.await(0, 400_000));
            assertEquals(400_000, file.await(400_000, 400_000));
            assertEquals(rdb.length - 800_000, file.await(800_000, 400_000));
            assertEquals(0, file.await(rdb.length, 400_000));
            assertEquals(-1, file.read(ByteBuffer.allocate(10), rdb.length));
        }
    }

    @Test
    void aFailedWriterEndsTheWaitAndItsReasonIsKept() throws Exception {
        byte[] rdb = Rdbs.valid(500_000);
        Path temp = tmp.resolve("temp-7.rdb");
        try (AppendingWriter writer = new AppendingWriter(rdb, temp, tmp.resolve("dump.rdb"), 10_000, AppendingWriter.Ending.FAIL)
                .awaitStarted(); FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ)) {
            GrowingFile file = GrowingFile.growing(channel, writer, Duration.ofMillis(5));
            RdbSource source = new RdbSource(file, 0);
            IOException failed = assertThrows(IOException.class, () -> source.whole().transferTo(OutputStream.nullOutputStream()));
            assertTrue(failed.getMessage().contains("rdb_last_bgsave_status:err"), failed.getMessage());
            assertEquals(SnapshotException.Reason.BGSAVE, file.failure().orElseThrow().reason());
            assertFalse(file.finished());
            assertThrows(SnapshotException.class, source::finish);
        }
    }

    @Test
    void aCompleteFileEndsAtItsSizeWithoutAskingAnyone() throws Exception {
        Path done = Files.write(tmp.resolve("dump.rdb"), Rdbs.valid(1000));
        try (FileChannel channel = FileChannel.open(done, StandardOpenOption.READ)) {
            RdbSource source = new RdbSource(channel);
            assertEquals(Files.size(done), source.whole().transferTo(OutputStream.nullOutputStream()));
            assertEquals(0, source.length(Files.size(done), 10));
            assertTrue(source.finish().good());
        }
    }
}
