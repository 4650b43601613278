package io.tetheritall.hub.bench.unpi;

import io.tetheritall.hub.radios.znp.unpi.UnpiCodec;
import io.tetheritall.hub.radios.znp.unpi.UnpiDecoder;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * UNPI decoding throughput and allocation per frame, for the traffic a busy coordinator sees:
 * AF_INCOMING_MSG callbacks ({@code 44 81}) carrying ZCL attribute reports, about 40 bytes on the
 * wire each (32..48). One operation is one decoded frame ({@link OperationsPerInvocation}), so
 * the score is frames/s and {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes per frame.
 *
 * <ul>
 *   <li>{@link #wholeFrames}: each frame arrives in its own read (a quiet line, one frame per poll);</li>
 *   <li>{@link #chunks64}: the stream arrives in 64-byte reads that split frames anywhere (a busy line,
 *       or a USB-serial adapter's 64-byte bulk packets).</li>
 * </ul>
 * Decoded frames are stored in a field, so they escape as they do in the hub (the MT layer keeps them).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class UnpiDecoderBench {
    static final int FRAMES = 64;

    private byte[][] frames;
    private byte[] stream;
    private UnpiDecoder decoder;
    private UnpiFrame last;
    private long decoded;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(42);
        frames = new byte[FRAMES][];
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < FRAMES; i++) {
            frames[i] = UnpiCodec.encode(afIncomingMsg(rnd, i));
            all.writeBytes(frames[i]);
        }
        stream = all.toByteArray();
        decoder = new UnpiDecoder(f -> {
            last = f;
            decoded++;
        });
    }

    /** AF_INCOMING_MSG per MT p.32: Group(2) Cluster(2) Src(2) SrcEP DstEP WasBcast LQI SecUse Ts(4) TSN Len Data MacSrc(2) Radius. */
    static UnpiFrame afIncomingMsg(Random rnd, int i) {
        int zclLen = 7 + rnd.nextInt(17); // 7..23: an OnOff report up to a multi-attribute report
        byte[] d = new byte[20 + zclLen];
        int cluster = new int[] {0x0006, 0x0008, 0x0402, 0x0405, 0x0300}[i % 5];
        int src = 0x1000 + rnd.nextInt(0x4000);
        int k = 0;
        d[k++] = 0; d[k++] = 0;                                  // group
        d[k++] = (byte) cluster; d[k++] = (byte) (cluster >> 8);
        d[k++] = (byte) src; d[k++] = (byte) (src >> 8);
        d[k++] = 1; d[k++] = 1; d[k++] = 0;                      // src ep, dst ep, was broadcast
        d[k++] = (byte) (60 + rnd.nextInt(150));                 // LQI
        d[k++] = 0;                                              // security use
        for (int t = 0; t < 4; t++) {
            d[k++] = (byte) rnd.nextInt();                       // timestamp
        }
        d[k++] = (byte) i;                                       // TSN
        d[k++] = (byte) zclLen;
        d[k++] = 0x18; d[k++] = (byte) i; d[k++] = 0x0A;         // ZCL: FC, TSN, Report attributes
        for (int z = 3; z < zclLen; z++) {
            d[k++] = (byte) rnd.nextInt();
        }
        d[k++] = (byte) src; d[k++] = (byte) (src >> 8);         // MAC source
        d[k] = 0;                                                // radius
        return UnpiFrame.of(0x44, 0x81, d);
    }

    /** A benchmark that decodes garbage measures nothing: every byte fed must have been a good frame. */
    @TearDown(Level.Trial)
    public void check() {
        if (decoded == 0 || decoder.badFcs() != 0 || decoder.badLength() != 0 || decoder.skippedBytes() != 0) {
            throw new IllegalStateException("decoded " + decoded + ", bad FCS " + decoder.badFcs() + ", bad length "
                    + decoder.badLength() + ", skipped " + decoder.skippedBytes());
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public UnpiFrame wholeFrames() {
        for (byte[] f : frames) {
            decoder.feed(f, 0, f.length);
        }
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public UnpiFrame chunks64() {
        byte[] s = stream;
        for (int off = 0; off < s.length; off += 64) {
            decoder.feed(s, off, Math.min(64, s.length - off));
        }
        return last;
    }
}
