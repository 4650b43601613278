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

    @Test
    void aFileThatBreaksWhileOpenIsMovedAsideAndRebuiltFromL1() throws IOException {
        Path dir = freshDir("runtime");
        StoreConfig cfg = config(dir).build();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            for (int i = 0; i < 300; i++) {
                c.put("state:dev" + i, bytes("v" + i));
            }
            c.flushAll();
            Path f = dir.resolve(TieredCache.L2_FILE);
            byte[] junk = new byte[(int) Files.size(f)];
            new Random(9).nextBytes(junk);
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.seek(0);
                raf.write(junk);
            }
            // Reads of L2 meet the damage: no exception reaches the caller.
            for (int i = 0; i < 300; i++) {
                c.get("state:dev" + i, Layer.L2);
            }
            c.put("state:after", bytes("a"));
            c.flushAll();
            if (c.metrics().l2Recoveries() == 0) {
                return; // MapDB did not notice (it read nothing from the damaged pages); nothing to check
            }
        }
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            assertEquals(0, c.metrics().l2Recoveries(), "the rebuilt file opens cleanly");
            for (int i = 0; i < 300; i++) {
                assertEquals("v" + i, str(c.get("state:dev" + i, Layer.L2).orElseThrow()), "rebuilt from L1");
            }
            assertEquals("a", str(c.get("state:after", Layer.L2).orElseThrow()));
        }
    }

    @Test
    void mmapAccessWorksToo() throws IOException {
        Path dir = freshDir("mmap");
        StoreConfig cfg = config(dir).l2Mmap(true).build();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            c.putDurable("registry:1", bytes("one"), null);
        }
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            assertEquals("one", str(c.get("registry:1", Layer.L2).orElseThrow()));
        }
    }
}
