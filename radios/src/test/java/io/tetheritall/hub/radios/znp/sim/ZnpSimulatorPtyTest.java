package io.tetheritall.hub.radios.znp.sim;

import io.tetheritall.hub.radios.znp.unpi.UnpiCodec;
import io.tetheritall.hub.radios.znp.unpi.UnpiDecoder;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import io.tetheritall.hub.radios.link.ByteLink;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The standalone simulator on one end of a real socat pty pair, a jssc host on the other. */
class ZnpSimulatorPtyTest {

    @Test
    void answersOverARealPtyPair() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")) || Files.isExecutable(Path.of("/bin/socat")),
                "socat not installed");
        Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        Path a = dir.resolve("znp-pty-a-" + ProcessHandle.current().pid());
        Path b = dir.resolve("znp-pty-b-" + ProcessHandle.current().pid());
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!(Files.exists(a) && Files.exists(b)) && System.nanoTime() < end) {
                Thread.sleep(20); // socat creates the links asynchronously (real pty: waiting allowed)
            }
            assertTrue(Files.exists(a) && Files.exists(b), "socat made no ptys");
            ZnpSimulatorConfig cfg = ZnpSimulatorConfig.builder().seed(2).deviceCount(2).build();
            try (ZnpSimulator sim = ZnpSimulator.realTime(cfg, new JsscTestLink(a.toRealPath().toString()));
                 JsscTestLink host = new JsscTestLink(b.toRealPath().toString())) {
                sim.start();
                BlockingQueue<UnpiFrame> in = new LinkedBlockingQueue<>();
                UnpiDecoder dec = new UnpiDecoder(in::add);
                host.open(new ByteLink.Listener() {
                    @Override
                    public void onBytes(byte[] buf, int off, int len) {
                        dec.feed(buf, off, len);
                    }
                });
                byte[] skip = new byte[256];
                Arrays.fill(skip, (byte) 0xEF);
                host.write(skip);
                host.write(UnpiCodec.encode(UnpiFrame.of(0x21, 0x01)));
                UnpiFrame pong = in.poll(5, TimeUnit.SECONDS);
                assertEquals(UnpiFrame.of(0x61, 0x01, (byte) 0x79, (byte) 0x09), pong);
                host.write(UnpiCodec.encode(UnpiFrame.of(0x21, 0x02)));
                UnpiFrame version = in.poll(5, TimeUnit.SECONDS);
                assertArrayEquals(new byte[] {2, 1, 2, 7, 1, 0x6B, (byte) 0xB1, 0x34, 0x01}, version.data());
                host.write(UnpiCodec.encode(UnpiFrame.of(0x21, 0x7F)));
                assertEquals(UnpiFrame.of(0x60, 0x00, (byte) 0x02, (byte) 0x21, (byte) 0x7F), in.poll(5, TimeUnit.SECONDS));
                assertEquals(0, dec.badFcs());
            }
        } finally {
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
