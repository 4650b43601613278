package io.tetheritall.hub.store;

import static io.tetheritall.hub.store.StoreTestSupport.bytes;
import static io.tetheritall.hub.store.StoreTestSupport.config;
import static io.tetheritall.hub.store.StoreTestSupport.freshDir;
import static io.tetheritall.hub.store.StoreTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tetheritall.hub.store.codec.ValueCodec;
import io.tetheritall.hub.store.l1.EvictionPolicy;
import io.tetheritall.hub.store.l2.MapDbFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mapdb.DB;
import org.mapdb.Serializer;

class TieredCacheTest {
    private final ManualStoreClock clock = new ManualStoreClock();

    @Test
    void putGetInvalidateAndTtl() throws IOException {
        try (TieredCache c = TieredCache.open(config(freshDir("basic")).build(), clock)) {
            c.put("state:lamp", bytes("ON"), Duration.ofSeconds(30));
            c.put("state:forever", bytes("X"), Duration.ZERO);
            c.put("state:default", bytes("D"));
            assertEquals("ON", str(c.get("state:lamp").orElseThrow()));
            assertEquals(1, c.metrics().l1Hits());

            clock.advance(Duration.ofSeconds(30));
            assertTrue(c.get("state:lamp").isEmpty(), "expired at its TTL");
            assertEquals("D", str(c.get("state:default").orElseThrow()), "default TTL is an hour");
            clock.advance(Duration.ofHours(2));
            assertTrue(c.get("state:default").isEmpty());
            assertEquals("X", str(c.get("state:forever").orElseThrow()), "ZERO never expires");

            assertTrue(c.invalidate("state:forever"));
            assertTrue(c.get("state:forever").isEmpty());
            assertFalse(c.invalidate("state:none"));
            assertTrue(c.metrics().evictionsExpired() >= 2);
            assertThrows(IllegalArgumentException.class, () -> c.put("k", new byte[1], Duration.ofSeconds(-1)));
        }
    }

    @Test
    void l2SurvivesRestartAndWarmsL1SoFirstReadsAreHits() throws IOException {
        Path dir = freshDir("warm");
        try (TieredCache c = TieredCache.open(config(dir).build(), clock)) {
            for (int i = 0; i < 100; i++) {
                c.put("state:dev" + i, bytes("v" + i));
            }
            c.put("state:short", bytes("s"), Duration.ofSeconds(5));
            assertEquals(101, c.metrics().writeBehindBacklog());
        } // close flushes the buffer
        clock.advance(Duration.ofSeconds(10));
        try (TieredCache c = TieredCache.open(config(dir).build(), clock)) {
            StoreMetrics m = c.metrics();
            assertEquals(100, m.warmedEntries(), "expired entry not warmed");
            for (int i = 0; i < 100; i++) {
                assertEquals("v" + i, str(c.get("state:dev" + i).orElseThrow()));
            }
            assertTrue(c.get("state:short").isEmpty());
            m = c.metrics();
            assertEquals(100, m.l1Hits());
            assertEquals(0, m.l2Hits());
        }
    }

    @Test
    void anL2HitIsPromotedAndLayersCanBeChosenPerCallAndPerKeyspace() throws IOException {
        StoreConfig cfg = config(freshDir("layers")).keyspace("mem", Layer.L1, WriteMode.WRITE_BEHIND).build();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            c.put("state:a", bytes("A"), null, Layer.L2);
            assertTrue(c.get("state:a", Layer.L1).isEmpty());
            assertEquals("A", str(c.get("state:a").orElseThrow()), "from the write-behind buffer (L2)");
            assertEquals(1, c.metrics().l2Hits());
            assertEquals("A", str(c.get("state:a", Layer.L1).orElseThrow()), "promoted");
            c.flushAll();
            c.put("state:a", bytes("B"), null, Layer.L2);
            assertEquals("B", str(c.get("state:a").orElseThrow()), "an L2-only write removed the stale L1 copy");

            c.flushAll();
            c.put("mem:x", bytes("M"));
            assertEquals(0, c.flushAll(), "an L1-only keyspace never writes to disk");
            assertTrue(c.get("mem:x", Layer.L2).isEmpty());
            assertEquals("M", str(c.get("mem:x").orElseThrow()));
        }
    }

    @Test
    void writeBehindDebouncesAChattySensorAndHonoursTheMaximumDeferral() throws IOException {
        try (TieredCache c = TieredCache.open(config(freshDir("wb")).build(), clock)) {
            // Reports every 5 s: the key is never quiet for the 10 s debounce, so only the 60 s deferral writes it.
            for (int i = 0; i < 12; i++) {
                c.put("state:sensor", bytes("t=" + i));
                assertEquals(0, c.flushDue(), "not due at report " + i);
                clock.advance(Duration.ofSeconds(5));
            }
            c.put("state:sensor", bytes("t=12"));
            assertEquals(1, c.flushDue(), "due at the 60 s maximum deferral");
            assertEquals(1, c.metrics().l2Commits());
            assertEquals(0, c.metrics().writeBehindBacklog());
            // A quiet key is written once the debounce has passed.
            c.put("state:quiet", bytes("q"));
            clock.advance(Duration.ofSeconds(9));
            assertEquals(0, c.flushDue());
            clock.advance(Duration.ofSeconds(1));
            assertEquals(1, c.flushDue());
            assertEquals("q", str(c.get("state:quiet", Layer.L2).orElseThrow()));
            assertEquals("t=12", str(c.get("state:sensor", Layer.L2).orElseThrow()));
        }
    }

    @Test
    void manyKeysShareOneCommit() throws IOException {
        try (TieredCache c = TieredCache.open(config(freshDir("batch")).build(), clock)) {
            for (int i = 0; i < 200; i++) {
                c.put("state:d" + i, bytes("x"));
            }
            clock.advance(Duration.ofSeconds(10));
            assertEquals(200, c.flushDue());
            assertEquals(1, c.metrics().l2Commits());
        }
    }

    @Test
    void writeThroughAndInvalidationOfADurableKeyspaceCommitAtOnce() throws IOException {
        Path dir = freshDir("wt");
        StoreConfig cfg = config(dir).keyspace("registry", Layer.BOTH, WriteMode.WRITE_THROUGH).build();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            c.put("registry:0x01", bytes("lamp"), Duration.ZERO);
            c.putDurable("state:x", bytes("durable"), null);
            assertEquals(2, c.metrics().l2Commits());
            assertEquals(0, c.metrics().writeBehindBacklog());
            c.put("registry:0x02", bytes("plug"), Duration.ZERO);
            c.invalidate("registry:0x02");
            assertEquals(4, c.metrics().l2Commits());
            assertTrue(c.get("registry:0x02", Layer.L2).isEmpty());
            // a write-through supersedes an older buffered value of the same key
            c.put("state:y", bytes("old"));
            c.putDurable("state:y", bytes("new"), null);
            assertEquals(0, c.flushAll());
            assertEquals("new", str(c.get("state:y", Layer.L2).orElseThrow()));
        }
    }

    @Test
    void lruEvictsTheLeastRecentlyUsed() throws IOException {
        StoreConfig cfg = config(freshDir("lru")).maxEntries(100).build();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            for (int i = 0; i < 100; i++) {
                c.put("k:" + i, bytes("v"), null, Layer.L1);
            }
            clock.advance(Duration.ofSeconds(1));
            for (int i = 0; i < 50; i++) {
                clock.advance(Duration.ofMillis(1));
                c.get("k:" + i, Layer.L1);
            }
            for (int i = 100; i < 150; i++) {
                clock.advance(Duration.ofMillis(1));
                c.put("k:" + i, bytes("v"), null, Layer.L1);
            }
            StoreMetrics m = c.metrics();
            assertEquals(100, m.l1Entries());
            assertEquals(50, m.evictionsSize());
            int recentSurvivors = 0;
            for (int i = 0; i < 50; i++) {
                if (c.get("k:" + i, Layer.L1).isPresent()) {
                    recentSurvivors++;
                }
            }
            // Sampled LRU is approximate; exact LRU would keep all 50. Random eviction would keep about 25.
            assertTrue(recentSurvivors >= 40, "recently used survivors: " + recentSurvivors);
        }
    }

    @Test
    void lfuKeepsTheFrequentlyUsed() throws IOException {
        StoreConfig cfg = config(freshDir("lfu")).maxEntries(100).evictionPolicy(EvictionPolicy.LFU).build();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            for (int i = 0; i < 100; i++) {
                c.put("k:" + i, bytes("v"), null, Layer.L1);
            }
            for (int round = 0; round < 200; round++) {
                for (int i = 0; i < 20; i++) {
                    c.get("k:" + i, Layer.L1);
                }
            }
            for (int i = 100; i < 180; i++) {
                c.put("k:" + i, bytes("v"), null, Layer.L1);
            }
            int hot = 0;
            for (int i = 0; i < 20; i++) {
                if (c.get("k:" + i, Layer.L1).isPresent()) {
                    hot++;
                }
            }
            assertTrue(hot >= 18, "hot survivors: " + hot);
        }
    }

    @Test
    void ttlPolicyEvictsTheSoonestToExpireAndExpiredEntriesFirst() throws IOException {
        StoreConfig cfg = config(freshDir("ttl")).maxEntries(100).evictionPolicy(EvictionPolicy.TTL).build();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            for (int i = 0; i < 100; i++) {
                Duration ttl = i < 50 ? Duration.ofMinutes(1) : Duration.ofHours(10);
                c.put("k:" + i, bytes("v"), ttl, Layer.L1);
            }
            for (int i = 100; i < 130; i++) {
                c.put("k:" + i, bytes("v"), Duration.ofHours(10), Layer.L1);
            }
            int longLived = 0;
            for (int i = 50; i < 100; i++) {
                if (c.get("k:" + i, Layer.L1).isPresent()) {
                    longLived++;
                }
            }
            assertTrue(longLived >= 45, "long-lived survivors: " + longLived);
            clock.advance(Duration.ofMinutes(2));
            long before = c.metrics().evictionsExpired();
            c.put("k:new", bytes("v"), null, Layer.L1);
            c.put("k:new2", bytes("v"), null, Layer.L1);
            assertTrue(c.metrics().evictionsExpired() > before, "expired entries were the victims");
        }
    }

    @Test
    void l1StaysWithinItsByteBound() throws IOException {
        StoreConfig cfg = config(freshDir("bytes")).maxEntries(1000).maxBytes(64 * 1024)
                .compressionEnabled(false).build();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            byte[] v = new byte[1000];
            for (int i = 0; i < 300; i++) {
                c.put("k:" + i, v, null, Layer.L1);
                assertTrue(c.metrics().l1Bytes() <= 64 * 1024);
            }
            StoreMetrics m = c.metrics();
            assertTrue(m.evictionsBytes() > 200, "byte evictions " + m.evictionsBytes());
            assertEquals(0, m.evictionsSize());
            assertTrue(c.get("k:299", Layer.L1).isPresent());
            c.put("k:huge", new byte[100 * 1024], null, Layer.L1);
            assertEquals(1, c.metrics().l1Rejected());
            assertTrue(c.get("k:huge", Layer.L1).isEmpty());
        }
    }

    @Test
    void bigValuesAreCompressed() throws IOException {
        try (TieredCache c = TieredCache.open(config(freshDir("lz4")).build(), clock)) {
            byte[] v = bytes("{\"linkquality\":120,\"battery\":97,\"occupancy\":false}".repeat(60));
            c.put("state:big", v);
            c.put("state:small", bytes("x"));
            assertArrayEquals(v, c.get("state:big").orElseThrow());
            c.flushAll();
            assertArrayEquals(v, c.get("state:big", Layer.L2).orElseThrow());
            StoreMetrics m = c.metrics();
            assertEquals(1, m.compressedValues());
            assertTrue(m.compressionRatio() > 5, "ratio " + m.compressionRatio());
            assertTrue(m.l1Bytes() < v.length / 4);
        }
    }

    @Test
    void getOrLoadSharesOneLoadAmong64Callers() throws Exception {
        try (TieredCache c = TieredCache.open(config(freshDir("flight")).build(), clock)) {
            AtomicInteger calls = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            CacheLoader slow = key -> {
                calls.incrementAndGet();
                release.await(10, TimeUnit.SECONDS);
                return bytes("loaded " + key);
            };
            ExecutorService pool = Executors.newFixedThreadPool(64);
            CountDownLatch started = new CountDownLatch(64);
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    started.countDown();
                    return c.getOrLoad("state:lamp", slow, Duration.ofMinutes(1));
                }));
            }
            started.await(10, TimeUnit.SECONDS);
            // let the stragglers reach the in-flight table before the load finishes
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (c.metrics().sharedLoads() < 63 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            release.countDown();
            for (Future<byte[]> f : results) {
                assertEquals("loaded state:lamp", str(f.get(10, TimeUnit.SECONDS)));
            }
            pool.shutdown();
            assertEquals(1, calls.get());
            assertEquals(1, c.metrics().loads());
            assertEquals(63, c.metrics().sharedLoads());
            assertEquals("loaded state:lamp", str(c.get("state:lamp").orElseThrow()));
            assertEquals("loaded state:lamp", str(c.getOrLoad("state:lamp", k -> {
                throw new AssertionError("must not load a cached key");
            }, null)));
        }
    }

    @Test
    void aFailedLoadIsReportedAndNotCached() throws IOException {
        try (TieredCache c = TieredCache.open(config(freshDir("loadfail")).build(), clock)) {
            CacheLoadException e = assertThrows(CacheLoadException.class,
                    () -> c.getOrLoad("state:x", k -> {
                        throw new IOException("device did not answer");
                    }, null));
            assertEquals("device did not answer", e.getCause().getMessage());
            assertThrows(IllegalStateException.class, () -> c.getOrLoad("state:x", k -> {
                throw new IllegalStateException("boom");
            }, null));
            assertNull(c.getOrLoad("state:x", k -> null, null));
            assertTrue(c.get("state:x").isEmpty());
            assertEquals(2, c.metrics().loadFailures());
            assertEquals(3, c.metrics().loads());
        }
    }

    @Test
    void valuesThatNoLongerDecodeAreMissesAndCounted() throws IOException {
        Path dir = freshDir("decode");
        try (TieredCache c = TieredCache.open(config(dir).build(), clock)) {
            c.put("state:good", bytes("ok"));
        }
        // Plant an old-version envelope and plain garbage straight into the L2 file.
        DB db = MapDbFiles.openTx(dir.resolve(TieredCache.L2_FILE), false);
        var map = db.hashMap("cache", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        byte[] old = new ValueCodec(false, 0).encode(bytes("v0"), 0);
        old[1] = 0;
        map.put("state:old", old);
        map.put("state:garbage", bytes("not an envelope"));
        db.commit();
        db.close();
        try (TieredCache c = TieredCache.open(config(dir).build(), clock)) {
            assertEquals(2, c.metrics().decodeFailures(), "seen at warm-up");
            assertTrue(c.get("state:old").isEmpty());
            assertTrue(c.get("state:garbage").isEmpty());
            assertEquals("ok", str(c.get("state:good").orElseThrow()));
            c.flushAll();
            assertEquals(1, c.metrics().l2Entries(), "undecodable entries deleted from L2");
        }
    }

    @Test
    void cleanerRemovesExpiredEntriesFromBothLayers() throws IOException {
        try (TieredCache c = TieredCache.open(config(freshDir("clean")).build(), clock)) {
            for (int i = 0; i < 20; i++) {
                c.put("state:" + i, bytes("v"), Duration.ofSeconds(i < 10 ? 30 : 3600));
            }
            c.flushAll();
            assertEquals(20, c.metrics().l2Entries());
            clock.advance(Duration.ofMinutes(1));
            assertEquals(20, c.cleanExpired(), "10 from L1 and 10 from L2");
            StoreMetrics m = c.metrics();
            assertEquals(10, m.l1Entries());
            assertEquals(10, m.l2Entries());
            assertEquals(10, m.l2Expired());
        }
    }

    @Test
    void closedStoreRefusesWrites() throws IOException {
        TieredCache c = TieredCache.open(config(freshDir("closed")).build(), clock);
        c.close();
        c.close();
        assertThrows(IllegalStateException.class, () -> c.put("a", new byte[1]));
    }

    @Test
    void backgroundThreadsFlushWithoutHelp() throws Exception {
        StoreConfig cfg = config(freshDir("threads")).backgroundThreads(true)
                .writeBehindDebounce(Duration.ofMillis(100)).writeBehindMaxDeferral(Duration.ofMillis(200)).build();
        try (TieredCache c = TieredCache.open(cfg)) {
            c.put("state:a", bytes("a"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (c.metrics().writeBehindBacklog() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, c.metrics().writeBehindBacklog());
            assertTrue(c.metrics().l2Commits() >= 1);
            assertSame(cfg, c.config());
            assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("store-writer")));
        }
    }
}
