package io.tetheritall.hub.bench.store;

import io.tetheritall.hub.store.Layer;
import io.tetheritall.hub.store.ManualStoreClock;
import io.tetheritall.hub.store.StoreClock;
import io.tetheritall.hub.store.StoreConfig;
import io.tetheritall.hub.store.StoreMetrics;
import io.tetheritall.hub.store.TieredCache;
import io.tetheritall.hub.store.WriteMode;
import io.tetheritall.hub.store.l1.EvictionPolicy;
import io.tetheritall.hub.store.outbox.MessageKind;
import io.tetheritall.hub.store.outbox.Outbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * Store scenarios that JMH does not fit: hit rate of a Zipf status-read workload, memory for 10,000 device
 * states, bytes written per hour by 200 chatty devices, single flight under 64 callers, start-up times.
 * Simulated time ({@link ManualStoreClock}) so an hour takes seconds.
 *
 * <p>Usage: {@code StoreScenarios hitrate|rss|disk|singleflight|startup|commit}
 */
public final class StoreScenarios {
    private StoreScenarios() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "all" : args[0];
        switch (what) {
            case "hitrate" -> hitRate();
            case "rss" -> rss();
            case "disk" -> disk();
            case "singleflight" -> singleFlight();
            case "startup" -> startup();
            case "commit" -> commitCost();
            case "all" -> {
                hitRate();
                disk();
                singleFlight();
                startup();
            }
            default -> throw new IllegalArgumentException("unknown scenario " + what);
        }
    }

    /** Zipf(s) sampler over n items by inverse CDF. */
    static final class Zipf {
        private final double[] cdf;
        private final Random rnd;

        Zipf(int n, double s, long seed) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1.0 / Math.pow(i + 1, s);
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
            rnd = new Random(seed);
        }

        int next() {
            int i = Arrays.binarySearch(cdf, rnd.nextDouble());
            return i >= 0 ? i : Math.min(cdf.length - 1, -i - 1);
        }
    }

    /**
     * 500 devices; status reads Zipf(1.0) at 50/s through getOrLoad (a miss asks the device); every device reports
     * a state change on average every 5 minutes (put, default TTL 1 h). 10 simulated minutes of warm-up, then one
     * simulated hour measured. Then a restart: the first 2,000 reads after it.
     */
    static void hitRate() throws Exception {
        System.out.println("## hit rate: Zipf(1.0) over 500 devices, 50 reads/s, a change per device per 5 min");
        System.out.println("| L1 maxEntries | policy | default TTL | devices reporting | hit rate after warm-up (either layer) | L1 hit rate | L1 evictions | hit rate, first 2,000 reads after restart | L1 hit rate after restart |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        run(10_000, EvictionPolicy.LRU, 3600, 500);
        for (EvictionPolicy p : EvictionPolicy.values()) {
            run(250, p, 3600, 500);
        }
        run(10_000, EvictionPolicy.LRU, 300, 100);
        run(250, EvictionPolicy.LFU, 300, 100);
    }

    private static void run(int maxEntries, EvictionPolicy policy, int ttlSeconds, int reporting) throws Exception {
        ManualStoreClock clock = new ManualStoreClock();
        Path dir = BenchStores.tempDir("hit");
        StoreConfig cfg = StoreConfig.builder().stateDir(dir).maxEntries(maxEntries).evictionPolicy(policy)
                .defaultTtl(Duration.ofSeconds(ttlSeconds)).backgroundThreads(false).build();
        Zipf zipf = new Zipf(500, 1.0, 42);
        Random rnd = new Random(7);
        AtomicInteger loads = new AtomicInteger();
        long reads = 0;
        long readLoadsAtStart = 0;
        long evictionsAtStart = 0;
        long l1HitsAtStart = 0;
        long l1MissesAtStart = 0;
        double l1Rate;
        double measured;
        long evictions;
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            int warmup = 600;
            int total = warmup + 3600;
            for (int sec = 0; sec < total; sec++) {
                if (sec == warmup) {
                    readLoadsAtStart = loads.get();
                    reads = 0;
                    StoreMetrics m = c.metrics();
                    evictionsAtStart = m.evictionsSize() + m.evictionsBytes() + m.evictionsExpired();
                    l1HitsAtStart = m.l1Hits();
                    l1MissesAtStart = m.l1Misses();
                }
                for (int r = 0; r < 50; r++) {
                    int d = zipf.next();
                    c.getOrLoad(BenchStores.key(d), k -> {
                        loads.incrementAndGet();
                        return BenchStores.deviceState(d, 0);
                    }, null);
                    reads++;
                }
                // the reporting devices change once per 5 min each on average
                double rate = reporting / 300.0;
                int changes = (int) rate + (rnd.nextDouble() < rate % 1 ? 1 : 0);
                for (int i = 0; i < changes; i++) {
                    int d = rnd.nextInt(reporting);
                    c.put(BenchStores.key(d), BenchStores.deviceState(d, sec));
                }
                clock.advance(Duration.ofSeconds(1));
                if (sec % 10 == 0) {
                    c.flushDue();
                }
                if (sec % 60 == 0) {
                    c.cleanExpired();
                }
            }
            measured = 1.0 - (double) (loads.get() - readLoadsAtStart) / reads;
            StoreMetrics m = c.metrics();
            evictions = m.evictionsSize() + m.evictionsBytes() + m.evictionsExpired() - evictionsAtStart;
            long h = m.l1Hits() - l1HitsAtStart;
            l1Rate = (double) h / (h + m.l1Misses() - l1MissesAtStart);
        }
        double l1AfterRestart;
        int before = loads.get();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            for (int r = 0; r < 2000; r++) {
                int d = zipf.next();
                c.getOrLoad(BenchStores.key(d), k -> {
                    loads.incrementAndGet();
                    return BenchStores.deviceState(d, 0);
                }, null);
            }
            StoreMetrics m = c.metrics();
            l1AfterRestart = (double) m.l1Hits() / (m.l1Hits() + m.l1Misses());
        }
        double afterRestart = 1.0 - (loads.get() - before) / 2000.0;
        System.out.printf("| %d | %s | %d s | %d of 500 | %.2f%% | %.2f%% | %d | %.2f%% | %.2f%% |%n", maxEntries, policy,
                ttlSeconds, reporting, measured * 100, l1Rate * 100, evictions, afterRestart * 100, l1AfterRestart * 100);
    }

    /** RSS and off-heap bytes for 10,000 cached device states; run in a fresh JVM. */
    static void rss() throws Exception {
        long rss0 = BenchStores.proc("status", "VmRSS");
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heap0 = rt.totalMemory() - rt.freeMemory();
        Path dir = BenchStores.tempDir("rss");
        try (TieredCache c = TieredCache.open(StoreConfig.builder().stateDir(dir).maxEntries(10_000)
                .backgroundThreads(false).build())) {
            long rssOpen = BenchStores.proc("status", "VmRSS");
            long payload = 0;
            for (int d = 0; d < 10_000; d++) {
                byte[] v = BenchStores.deviceState(d, d);
                payload += v.length;
                c.put(BenchStores.key(d), v);
            }
            c.flushAll();
            System.gc();
            long rss1 = BenchStores.proc("status", "VmRSS");
            long heap1 = rt.totalMemory() - rt.freeMemory();
            StoreMetrics m = c.metrics();
            System.out.println("## memory for 10,000 device states (" + payload / 10_000 + " B average payload)");
            System.out.printf("| RSS before store | RSS after open (empty) | RSS with 10,000 states | L1 off-heap (Chronicle) | L1 stored bytes | heap used delta | L2 file |%n");
            System.out.println("|---|---|---|---|---|---|---|");
            System.out.printf("| %.1f MiB | %.1f MiB | %.1f MiB | %.1f MiB | %.2f MiB | %.1f MiB | %.2f MiB |%n",
                    rss0 / 1024.0, rssOpen / 1024.0, rss1 / 1024.0, m.l1OffHeapBytes() / 1048576.0,
                    m.l1Bytes() / 1048576.0, (heap1 - heap0) / 1048576.0,
                    Files.size(dir.resolve(TieredCache.L2_FILE)) / 1048576.0);
        }
    }

    /**
     * 200 devices report every 10 s for one simulated hour (72,000 reports); the writer runs every simulated
     * second. Default write-behind (30 s debounce, 5 min max deferral) against a write-through baseline measured
     * on 1,000 reports and scaled to 72,000.
     */
    static void disk() throws Exception {
        System.out.println("## disk writes: 200 devices reporting every 10 s for one simulated hour (72,000 reports)");
        System.out.println("| mode | L2 commits | bytes passed to write() (wchar) | bytes to storage (write_bytes) | per report |");
        System.out.println("|---|---|---|---|---|");
        ManualStoreClock clock = new ManualStoreClock();
        StoreConfig cfg = StoreConfig.builder().stateDir(BenchStores.tempDir("disk")).backgroundThreads(false).build();
        try (TieredCache c = TieredCache.open(cfg, clock)) {
            long w0 = BenchStores.proc("io", "wchar");
            long b0 = BenchStores.proc("io", "write_bytes");
            long commits0 = c.metrics().l2Commits();
            int reports = 0;
            for (int sec = 0; sec < 3600; sec++) {
                for (int d = 0; d < 200; d++) {
                    if (d % 10 == sec % 10) {
                        c.put(BenchStores.key(d), BenchStores.deviceState(d, sec));
                        reports++;
                    }
                }
                clock.advance(Duration.ofSeconds(1));
                c.flushDue();
            }
            long commits = c.metrics().l2Commits() - commits0;
            long w = BenchStores.proc("io", "wchar") - w0;
            long b = BenchStores.proc("io", "write_bytes") - b0;
            System.out.printf("| write-behind (defaults) | %d | %.2f MiB | %.2f MiB | %.1f B |%n", commits,
                    w / 1048576.0, b / 1048576.0, (double) w / reports);
        }
        StoreConfig wt = StoreConfig.builder().stateDir(BenchStores.tempDir("diskwt")).backgroundThreads(false)
                .keyspace("state", Layer.BOTH, WriteMode.WRITE_THROUGH).build();
        try (TieredCache c = TieredCache.open(wt, clock)) {
            long w0 = BenchStores.proc("io", "wchar");
            long b0 = BenchStores.proc("io", "write_bytes");
            int n = 1000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                c.put(BenchStores.key(i % 200), BenchStores.deviceState(i % 200, i));
            }
            long dt = System.nanoTime() - t0;
            double scale = 72_000.0 / n;
            long w = BenchStores.proc("io", "wchar") - w0;
            long b = BenchStores.proc("io", "write_bytes") - b0;
            System.out.printf("| write-through (scaled from %d) | %d | %.2f MiB | %.2f MiB | %.1f B |%n", n,
                    72_000, w * scale / 1048576.0, b * scale / 1048576.0, (double) w / n);
            System.out.printf("(write-through: %.0f put+commit/s on this disk)%n", n / (dt / 1e9));
        }
    }

    /** 64 callers ask for one missing key at once; 20 rounds. */
    static void singleFlight() throws Exception {
        System.out.println("## getOrLoad: 64 concurrent callers, one key, loader takes 20 ms; 20 rounds");
        try (TieredCache c = TieredCache.open(StoreConfig.builder().stateDir(BenchStores.tempDir("sf"))
                .backgroundThreads(false).build())) {
            ExecutorService pool = Executors.newFixedThreadPool(64);
            List<Long> maxWaits = new ArrayList<>();
            int maxLoads = 0;
            for (int round = 0; round < 20; round++) {
                c.invalidate("state:lamp");
                long loadsBefore = c.metrics().loads();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Long>> fs = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    fs.add(pool.submit(() -> {
                        go.await();
                        long t0 = System.nanoTime();
                        c.getOrLoad("state:lamp", k -> {
                            Thread.sleep(20);
                            return BenchStores.deviceState(1, 1);
                        }, null);
                        return System.nanoTime() - t0;
                    }));
                }
                go.countDown();
                long max = 0;
                for (Future<Long> f : fs) {
                    max = Math.max(max, f.get(30, TimeUnit.SECONDS));
                }
                maxWaits.add(max);
                maxLoads = Math.max(maxLoads, (int) (c.metrics().loads() - loadsBefore));
            }
            pool.shutdown();
            maxWaits.sort(null);
            System.out.printf("loads per round: max %d (of 64 callers); slowest caller: median %.1f ms, worst %.1f ms; shared loads total %d%n",
                    maxLoads, maxWaits.get(10) / 1e6, maxWaits.get(19) / 1e6, c.metrics().sharedLoads());
        }
    }

    /** Start-up: Chronicle creation and L2 open + warm-up with 10,000 entries. */
    static void startup() throws Exception {
        Path dir = BenchStores.tempDir("startup");
        StoreConfig cfg = StoreConfig.builder().stateDir(dir).backgroundThreads(false).build();
        try (TieredCache c = TieredCache.open(cfg)) {
            for (int d = 0; d < 10_000; d++) {
                c.put(BenchStores.key(d), BenchStores.deviceState(d, d));
            }
            StoreMetrics m = c.metrics();
            System.out.printf("## start-up: first L1 creation %d ms, empty L2 open %d ms%n", m.l1CreateMillis(),
                    m.l2OpenMillis());
        }
        long t0 = System.nanoTime();
        try (TieredCache c = TieredCache.open(cfg)) {
            StoreMetrics m = c.metrics();
            System.out.printf("restart with 10,000 entries: L1 creation %d ms (same JVM), L2 open+read %d ms, warmed %d, total open %d ms%n",
                    m.l1CreateMillis(), m.l2OpenMillis(), m.warmedEntries(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /**
     * What crash safety costs per commit: the outbox's append (one journaled MapDB commit: journal forced, then the
     * file forced) against the same record put and committed into a plain MapDB tree map with transactions (what
     * the outbox did before the journal). Blocks of 200 alternate between the two, 5 blocks each, so that the
     * machine's noise hits both alike.
     */
    static void commitCost() throws Exception {
        Path dir = BenchStores.tempDir("commit");
        StoreConfig cfg = StoreConfig.builder().stateDir(dir).backgroundThreads(false).outboxMaxCount(1_000_000)
                .outboxMaxBytes(1L << 30).build();
        byte[] payload = new byte[120];
        Arrays.fill(payload, (byte) 'x');
        List<Long> ours = new ArrayList<>();
        List<Long> plain = new ArrayList<>();
        DB db = DBMaker.fileDB(dir.resolve("plain.db").toFile()).transactionEnable().fileChannelEnable().make();
        try (Outbox outbox = Outbox.open(cfg, StoreClock.system())) {
            BTreeMap<Long, byte[]> q = db.treeMap("queue", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
            long seq = 1;
            for (int block = 0; block < 6; block++) {
                boolean warm = block == 0;
                for (int i = 0; i < 200; i++) {
                    long t = System.nanoTime();
                    outbox.append(MessageKind.EVENT, null, payload);
                    if (!warm) {
                        ours.add(System.nanoTime() - t);
                    }
                }
                for (int i = 0; i < 200; i++) {
                    long t = System.nanoTime();
                    q.put(seq++, payload);
                    db.commit();
                    if (!warm) {
                        plain.add(System.nanoTime() - t);
                    }
                }
            }
        } finally {
            db.close();
        }
        double o = report("outbox append (journaled commit)", ours);
        double p = report("plain MapDB put+commit", plain);
        System.out.printf("journaled/plain, per commit (mean): %.2f%n", o / p);
    }

    private static double report(String what, List<Long> nanos) {
        long[] a = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        double mean = Arrays.stream(a).average().orElse(0);
        System.out.printf("%s: n=%d p50 %.2f ms, p99 %.2f ms, mean %.2f ms = %.0f commits/s%n", what, a.length,
                a[a.length / 2] / 1e6, a[(int) (a.length * 0.99)] / 1e6, mean / 1e6, 1e9 / mean);
        return mean;
    }
}
