package io.tetheritall.hub.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Shared set-up: a fresh state folder under target/tmp and a config with no background threads. */
public final class StoreTestSupport {
    private StoreTestSupport() {
    }

    public static Path freshDir(String name) {
        try {
            Path base = Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Small L1, 10 s debounce, 60 s max deferral, no threads (tests drive flushDue/cleanExpired). */
    public static StoreConfig.Builder config(Path dir) {
        return StoreConfig.builder()
                .stateDir(dir)
                .maxEntries(1000)
                .maxBytes(1024 * 1024)
                .defaultTtl(Duration.ofHours(1))
                .writeBehindDebounce(Duration.ofSeconds(10))
                .writeBehindMaxDeferral(Duration.ofSeconds(60))
                .backgroundThreads(false);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String str(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
