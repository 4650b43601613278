package io.tetheritall.hub.bench.store;

import io.tetheritall.hub.store.Layer;
import io.tetheritall.hub.store.StoreConfig;
import io.tetheritall.hub.store.TieredCache;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * L1 and L2 latency and throughput. Run with {@code -bm sample} for p50/p99 and {@code -bm thrpt} for throughput,
 * {@code -t 1} and {@code -t 2} for one and two threads (see bench/RESULTS.md for the exact commands).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.disk.monitor.disable=true", "-Dtinylog.writer.level=warn", "-Xmx256m"})
public class StoreJmh {
    static final int DEVICES = 10_000;
    private TieredCache cache;
    private byte[][] values;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        cache = TieredCache.open(StoreConfig.builder().stateDir(BenchStores.tempDir("jmh")).maxEntries(20_000)
                .maxBytes(64L * 1024 * 1024).backgroundThreads(false).build());
        values = new byte[64][];
        for (int i = 0; i < values.length; i++) {
            values[i] = BenchStores.deviceState(i, i);
        }
        for (int d = 0; d < DEVICES; d++) {
            cache.put(BenchStores.key(d), values[d % values.length], Duration.ZERO);
        }
        cache.flushAll();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
    }

    private static String randomKey() {
        return BenchStores.key(ThreadLocalRandom.current().nextInt(DEVICES));
    }

    @Benchmark
    public Object l1Get() {
        return cache.get(randomKey(), Layer.L1);
    }

    @Benchmark
    public void l1Put() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        cache.put(BenchStores.key(r.nextInt(DEVICES)), values[r.nextInt(values.length)], Duration.ZERO, Layer.L1);
    }

    @Benchmark
    public Object l2Get() {
        return cache.get(randomKey(), Layer.L2);
    }

    /** One write-through: put into MapDB and commit (fsync). */
    @Benchmark
    public void l2PutCommit() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        cache.putDurable(BenchStores.key(r.nextInt(DEVICES)), values[r.nextInt(values.length)], Duration.ZERO);
    }
}
