package io.tetheritall.hub.store;

import static io.tetheritall.hub.store.StoreTestSupport.bytes;
import static io.tetheritall.hub.store.StoreTestSupport.config;
import static io.tetheritall.hub.store.StoreTestSupport.freshDir;
import static io.tetheritall.hub.store.StoreTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.store.outbox.MessageKind;
import io.tetheritall.hub.store.outbox.Outbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A store file that someone else holds open (a second hub on the same state directory) is refused: it is not
 * broken, so it is neither moved aside nor has its journal replayed, and the store that holds it keeps working.
 */
class FileInUseTest {
    private final ManualStoreClock clock = new ManualStoreClock();

    private static boolean anythingMovedAside(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().contains(".corrupt-"));
        }
    }

    @Test
    void aSecondCacheOnTheSameDirectoryIsRefusedAndTheFirstKeepsItsFile() throws IOException {
        Path dir = freshDir("inuse-l2");
        try (TieredCache first = TieredCache.open(config(dir).build(), clock)) {
            first.put("state:lamp", bytes("on"));
            first.flushAll();
            IOException e = assertThrows(IOException.class, () -> TieredCache.open(config(dir).build(), clock));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertFalse(anythingMovedAside(dir));
            assertEquals("on", str(first.get("state:lamp", Layer.L2).orElseThrow()));
        }
        try (TieredCache again = TieredCache.open(config(dir).build(), clock)) {
            assertEquals(0, again.metrics().l2Recoveries());
            assertEquals("on", str(again.get("state:lamp").orElseThrow()));
        }
    }

    @Test
    void aSecondOutboxOnTheSameDirectoryIsRefusedAndLosesNothing() throws IOException {
        Path dir = freshDir("inuse-outbox");
        StoreConfig cfg = config(dir).build();
        try (Outbox first = Outbox.open(cfg, clock)) {
            long seq = first.append(MessageKind.EVENT, null, bytes("owed"));
            IOException e = assertThrows(IOException.class, () -> Outbox.open(cfg, clock));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertFalse(anythingMovedAside(dir));
            assertEquals(seq, first.readBatch(10, Long.MAX_VALUE).get(0).seq());
        }
        try (Outbox again = Outbox.open(cfg, clock)) {
            assertEquals(0, again.metrics().recoveries());
            assertEquals("owed", str(again.readBatch(10, Long.MAX_VALUE).get(0).payload()));
        }
    }
}
