package io.tetheritall.hub.store;

import static io.tetheritall.hub.store.StoreTestSupport.bytes;
import static io.tetheritall.hub.store.StoreTestSupport.config;
import static io.tetheritall.hub.store.StoreTestSupport.freshDir;
import static io.tetheritall.hub.store.StoreTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tetheritall.hub.store.outbox.MessageKind;
import io.tetheritall.hub.store.outbox.Outbox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real full disk: a 2 MiB tmpfs mounted for the test (needs root / CAP_SYS_ADMIN; skipped otherwise). Writes must
 * fail with a clear error and a metric; reads keep working.
 */
class DiskFullTest {
    private final ManualStoreClock clock = new ManualStoreClock();
    private Path mount;
    private boolean mounted;

    private static int run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @BeforeEach
    void mountTinyDisk() {
        mount = freshDir("diskfull");
        mounted = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()) == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (not root?): skipping the real disk-full test");
    }

    @AfterEach
    void unmount() {
        if (mounted) {
            // A file the store still maps or holds open makes a plain umount fail with "target is busy";
            // detach lazily then, so no mount outlives the test (and a later rm -rf of the checkout works).
            if (run("umount", mount.toString()) != 0) {
                run("umount", "-l", mount.toString());
            }
        }
    }

    @Test
    void writesFailClearlyAndReadsKeepWorking() throws IOException {
        StoreConfig cfg = config(mount).compressionEnabled(false).maxEntries(5000).maxBytes(64L * 1024 * 1024)
                .keyspace("registry", Layer.BOTH, WriteMode.WRITE_THROUGH).build();
        Random rnd = new Random(1);
        try (Outbox outbox = Outbox.open(cfg, clock); TieredCache c = TieredCache.open(cfg, clock)) {
            outbox.append(MessageKind.EVENT, null, bytes("before"));
            StoreWriteException failure = null;
            int written = 0;
            for (int i = 0; i < 2000 && failure == null; i++) {
                byte[] v = new byte[8192];
                rnd.nextBytes(v);
                try {
                    c.put("registry:dev" + i, v);
                    written++;
                } catch (StoreWriteException e) {
                    failure = e;
                }
            }
            assertNotNull(failure, "a 2 MiB disk must fill up");
            assertTrue(failure.getMessage().contains("disk full or I/O error"), failure.getMessage());
            assertTrue(written > 10, "some writes fit first: " + written);
            assertTrue(c.metrics().l2WriteFailures() >= 1);

            // Write-behind: the batch fails, stays buffered, and is counted.
            c.put("state:lamp", new byte[300_000]);
            assertEquals(0, c.flushAll());
            assertEquals(1, c.metrics().writeBehindBacklog());
            assertTrue(c.metrics().l2WriteFailures() >= 2);

            // Reads keep working from both layers.
            assertTrue(c.get("registry:dev0").isPresent());
            assertTrue(c.get("registry:dev0", Layer.L2).isPresent());
            assertTrue(c.get("state:lamp").isPresent());

            // The outbox on the same disk fails clearly too, and what it held is still readable.
            StoreWriteException ob = null;
            for (int i = 0; i < 1000 && ob == null; i++) {
                try {
                    byte[] v = new byte[8192];
                    rnd.nextBytes(v);
                    outbox.append(MessageKind.TELEMETRY, null, v);
                } catch (StoreWriteException e) {
                    ob = e;
                }
            }
            assertNotNull(ob);
            assertTrue(outbox.metrics().writeFailures() >= 1);
            assertEquals("before", str(outbox.readBatch(1, Long.MAX_VALUE).get(0).payload()));
        }
    }
}
