package io.tetheritall.hub.store;

import static io.tetheritall.hub.store.StoreTestSupport.bytes;
import static io.tetheritall.hub.store.StoreTestSupport.config;
import static io.tetheritall.hub.store.StoreTestSupport.freshDir;
import static io.tetheritall.hub.store.StoreTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Disk full through a seam (the write fails as MapDB reports ENOSPC), for machines where {@link DiskFullTest} cannot
 * mount a tmpfs. Also checks that the buffered writes go out once the disk has room again.
 */
class DiskFullSeamTest {

    @Test
    void writesFailWithAClearErrorReadsWorkAndBufferedWritesGoOutLater() throws IOException {
        ManualStoreClock clock = new ManualStoreClock();
        StoreConfig cfg = config(freshDir("seam")).keyspace("registry", Layer.BOTH, WriteMode.WRITE_THROUGH).build();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            c.put("registry:a", bytes("A"));
            c.put("state:b", bytes("B"));
            c.flushAll();
            c.l2ForTests().simulateDiskFull(true);

            StoreWriteException e = assertThrows(StoreWriteException.class, () -> c.put("registry:c", bytes("C")));
            assertTrue(e.getMessage().contains("disk full or I/O error"), e.getMessage());
            assertTrue(c.get("registry:c").isEmpty(), "a failed write-through leaves L1 unchanged");
            c.put("state:d", bytes("D"));
            assertEquals(0, c.flushAll());
            assertEquals(1, c.metrics().writeBehindBacklog());
            assertEquals(2, c.metrics().l2WriteFailures());

            assertEquals("A", str(c.get("registry:a", Layer.L2).orElseThrow()));
            assertEquals("B", str(c.get("state:b").orElseThrow()));
            assertEquals("D", str(c.get("state:d", Layer.L2).orElseThrow()), "buffered, readable");

            c.l2ForTests().simulateDiskFull(false);
            assertEquals(1, c.flushAll());
            c.put("registry:c", bytes("C"));
        }
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            assertEquals("D", str(c.get("state:d", Layer.L2).orElseThrow()));
            assertEquals("C", str(c.get("registry:c", Layer.L2).orElseThrow()));
        }
    }
}
