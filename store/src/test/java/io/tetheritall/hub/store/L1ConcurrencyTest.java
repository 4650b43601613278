package io.tetheritall.hub.store;

import static io.tetheritall.hub.store.StoreTestSupport.bytes;
import static io.tetheritall.hub.store.StoreTestSupport.config;
import static io.tetheritall.hub.store.StoreTestSupport.freshDir;
import static io.tetheritall.hub.store.StoreTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.store.l1.EvictionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Concurrent puts, gets and invalidations under constant eviction keep L1's bookkeeping exact. */
class L1ConcurrencyTest {

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void bookkeepingStaysExactUnderConcurrentEviction(EvictionPolicy policy) throws Exception {
        ManualStoreClock clock = new ManualStoreClock();
        StoreConfig cfg = config(freshDir("l1conc")).maxEntries(200).maxBytes(16 * 1024).evictionPolicy(policy)
                .compressionEnabled(false).build();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                fs.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    int wrong = 0;
                    for (int i = 0; i < 20_000; i++) {
                        String key = "k:" + rnd.nextInt(1000);
                        int op = rnd.nextInt(10);
                        if (op < 5) {
                            Optional<byte[]> v = c.get(key, Layer.L1);
                            if (v.isPresent() && !str(v.get()).startsWith(key + "=")) {
                                wrong++;
                            }
                        } else if (op < 9) {
                            String pad = "x".repeat(rnd.nextInt(150));
                            c.put(key, bytes(key + "=" + pad), Duration.ofSeconds(1 + rnd.nextInt(100)), Layer.L1);
                        } else {
                            c.invalidate(key);
                        }
                        if (i % 1000 == 0) {
                            clock.advance(Duration.ofSeconds(1));
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> f : fs) {
                assertEquals(0, f.get(60, TimeUnit.SECONDS), "a read returned another key's value");
            }
            pool.shutdown();
            StoreMetrics m = c.metrics();
            assertTrue(m.l1Entries() <= 200, "entries " + m.l1Entries());
            assertTrue(m.l1Bytes() <= 16 * 1024, "bytes " + m.l1Bytes());
            assertTrue(m.evictionsSize() + m.evictionsBytes() + m.evictionsExpired() > 0);
            // Expired entries still count until read or swept: sweep, then compare.
            c.cleanExpired();
            long resident = 0;
            for (int k = 0; k < 1000; k++) {
                if (c.get("k:" + k, Layer.L1).isPresent()) {
                    resident++;
                }
            }
            assertEquals(resident, c.metrics().l1Entries());
            for (int k = 0; k < 1000; k++) {
                c.invalidate("k:" + k);
            }
            assertEquals(0, c.metrics().l1Entries());
            assertEquals(0, c.metrics().l1Bytes(), "byte accounting returns to zero");
        }
    }
}
