package io.tetheritall.hub.store;

import static io.tetheritall.hub.store.StoreTestSupport.bytes;
import static io.tetheritall.hub.store.StoreTestSupport.config;
import static io.tetheritall.hub.store.StoreTestSupport.freshDir;
import static io.tetheritall.hub.store.StoreTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A truncated or corrupted L2 file never stops the hub: it is moved aside and L2 starts empty. */
class L2RecoveryTest {
    private final ManualStoreClock clock = new ManualStoreClock();

    private Path filledStore(String name) throws IOException {
        Path dir = freshDir(name);
        try (TieredCache c = TieredCache.open(config(dir).build(), clock)) {
            for (int i = 0; i < 500; i++) {
                c.put("state:dev" + i, bytes("{\"state\":\"ON\",\"n\":" + i + "}"));
            }
        }
        return dir;
    }

    private void assertStartsEmptyAndWorks(Path dir) throws IOException {
        try (TieredCache c = TieredCache.open(config(dir).build(), clock)) {
            StoreMetrics m = c.metrics();
            assertEquals(1, m.l2Recoveries());
            assertEquals(0, m.l2Entries());
            assertTrue(c.get("state:dev1").isEmpty());
            c.put("state:new", bytes("fresh"));
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith(TieredCache.L2_FILE + ".corrupt-")),
                    "the broken file is kept aside");
        }
        try (TieredCache c = TieredCache.open(config(dir).build(), clock)) {
            assertEquals(0, c.metrics().l2Recoveries(), "the new file is healthy");
            assertEquals("fresh", str(c.get("state:new").orElseThrow()));
        }
    }

    @Test
    void aTruncatedFileIsMovedAside() throws IOException {
        Path dir = filledStore("trunc");
        Path f = dir.resolve(TieredCache.L2_FILE);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() / 3);
        }
        assertStartsEmptyAndWorks(dir);
    }

    @Test
    void aFileWithAGarbageHeaderIsMovedAside() throws IOException {
        Path dir = filledStore("header");
        Path f = dir.resolve(TieredCache.L2_FILE);
        byte[] junk = new byte[256];
        new Random(3).nextBytes(junk);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(junk);
        }
        assertStartsEmptyAndWorks(dir);
    }

    @Test
    void aFileOfGarbageIsMovedAside() throws IOException {
        Path dir = filledStore("garbage");
        Path f = dir.resolve(TieredCache.L2_FILE);
        byte[] junk = new byte[(int) Files.size(f)];
        new Random(5).nextBytes(junk);
        Files.write(f, junk);
        assertStartsEmptyAndWorks(dir);
    }

    @Test
    void damageInsideTheFileNeverPreventsAStart() throws IOException {
        Path dir = filledStore("inside");
        Path f = dir.resolve(TieredCache.L2_FILE);
        long len = Files.size(f);
        Random rnd = new Random(11);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            for (int i = 0; i < 40; i++) {
                raf.seek(64 + (long) (rnd.nextDouble() * (len - 128)));
                byte[] junk = new byte[32];
                rnd.nextBytes(junk);
                raf.write(junk);
            }
        }
        // Whether MapDB notices depends on what the junk hit; either way the store opens and answers.
        try (TieredCache c = TieredCache.open(config(dir).build(), clock)) {
            int found = 0;
            for (int i = 0; i < 500; i++) {
                if (c.get("state:dev" + i).isPresent()) {
                    found++;
                }
            }
            c.put("state:new", bytes("x"));
            c.flushAll();
            assertTrue(found <= 500);
            assertEquals("x", str(c.get("state:new", Layer.L2).orElseThrow()));
        }
    }
}
