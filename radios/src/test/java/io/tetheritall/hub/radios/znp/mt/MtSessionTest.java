package io.tetheritall.hub.radios.znp.mt;

import io.tetheritall.hub.radios.api.RadioError;
import io.tetheritall.hub.radios.api.RadioException;
import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.time.ManualClock;
import io.tetheritall.hub.radios.time.NamedThreadFactory;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.frame;
import static io.tetheritall.hub.radios.znp.mt.ScriptedPeer.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MtSessionTest {
    private static final Duration T = Duration.ofSeconds(2);

    private ManualClock clock;
    private ExecutorService events;
    private InMemoryLink[] ends;
    private ScriptedPeer peer;
    private MtSession mt;

    @BeforeEach
    void setUp() throws Exception {
        clock = new ManualClock();
        events = Executors.newSingleThreadExecutor(new NamedThreadFactory("test-events"));
        ends = InMemoryLink.pair("mt");
        peer = new ScriptedPeer(ends[1]).open();
        mt = new MtSession("t", ends[0], clock, events, Duration.ZERO); // no sweeper: the test expires
        mt.open();
    }

    @AfterEach
    void tearDown() {
        mt.close();
        events.shutdownNow();
    }

    private static RadioException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        RadioException re = RadioException.find(e);
        assertNotNull(re, "expected a RadioException but got " + e.getCause());
        return re;
    }

    @Test
    void pingGoldenBytesAndAnswer() throws Exception {
        CompletableFuture<UnpiFrame> f = mt.request(MtCommand.SYS_PING.frame(), T);
        byte[] raw = peer.next(2000);
        assertArrayEquals(hex("FE 00 21 01 20"), raw, "MT's own ping example");
        peer.write(hex("FE 02 61 01 11 00 73"));
        UnpiFrame rsp = f.get(5, TimeUnit.SECONDS);
        assertEquals(0x0011, rsp.u16(0));
        assertEquals(1, mt.metrics().framesIn());
        assertEquals(1, mt.metrics().framesOut());
    }

    @Test
    void atMostOneSreqInFlightUnderFiftyConcurrentRequests() throws Exception {
        int n = 50;
        java.util.Map<Integer, CompletableFuture<UnpiFrame>> futures = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(8, new NamedThreadFactory("callers"));
        for (int i = 0; i < n; i++) {
            int tag = i;
            callers.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                // NV_READ of item <tag>: the peer echoes the item id so each answer is recognisable
                CompletableFuture<UnpiFrame> f = mt.request(UnpiFrame.of(0x21, 0x08, (byte) tag, (byte) 0, (byte) 0), T);
                futures.put(tag, f);
            });
        }
        go.countDown();
        int overlaps = 0;
        for (int k = 0; k < n; k++) {
            byte[] raw = peer.next(5000);
            assertNotNull(raw, "request " + k + " never went out");
            // while this SREQ is unanswered nothing else may arrive (MT p.17)
            if (peer.next(10) != null) {
                overlaps++;
            }
            peer.write(frame(0x61, 0x08, 0x00, 0x01, ScriptedPeer.d(raw, 0)));
        }
        callers.shutdown();
        assertTrue(callers.awaitTermination(5, TimeUnit.SECONDS));
        assertEquals(0, overlaps, "a second SREQ went out before the first SRSP");
        assertEquals(n, futures.size());
        for (int tag = 0; tag < n; tag++) {
            UnpiFrame rsp = futures.get(tag).get(5, TimeUnit.SECONDS);
            // each caller got the answer to its own request, not its neighbour's
            assertEquals(tag, rsp.u8(2), "request " + tag + " got the SRSP of another request");
        }
        assertEquals(n, mt.metrics().requests());
        assertEquals(0, mt.metrics().inFlight());
    }

    @Test
    void srspTimeoutFailsWithTimeoutAndTheQueueMovesOn() throws Exception {
        CompletableFuture<UnpiFrame> a = mt.request(MtCommand.SYS_PING.frame(), Duration.ofSeconds(6));
        CompletableFuture<UnpiFrame> b = mt.request(MtCommand.SYS_VERSION.frame(), Duration.ofSeconds(6));
        assertArrayEquals(hex("FE 00 21 01 20"), peer.next(2000));
        assertNull(peer.next(50), "second SREQ must wait");
        clock.advance(Duration.ofMillis(5999));
        assertEquals(0, mt.expireDue());
        assertFalse(a.isDone());
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, mt.expireDue());
        RadioException e = failure(a);
        assertEquals(RadioError.TIMEOUT, e.error());
        byte[] second = peer.next(2000);
        assertNotNull(second, "the queued SREQ must go out after the timeout");
        assertEquals(0x02, ScriptedPeer.cmd1(second));
        // a late SRSP to the ping is not mistaken for the version answer
        peer.write(hex("FE 02 61 01 11 00 73"));
        peer.write(hex("FE 09 61 02 02 01 02 07 01 6B B1 34 01 82"));
        assertEquals(2, b.get(5, TimeUnit.SECONDS).u8(0));
        assertEquals(1, mt.metrics().timeouts());
        assertEquals(1, mt.metrics().unsolicited());
    }

    @Test
    void rpcErrorFailsTheMatchingRequestWithTypedException() throws Exception {
        CompletableFuture<UnpiFrame> f = mt.request(UnpiFrame.of(0x21, 0x99), T);
        peer.next(2000);
        peer.write(frame(0x60, 0x00, 0x02, 0x21, 0x99));
        RadioException e = failure(f);
        MtRpcException rpc = assertInstanceOf(MtRpcException.class, e);
        assertEquals(MtRpcException.Reason.INVALID_COMMAND_ID, rpc.reason());
        assertEquals(RadioError.REJECTED, rpc.error());
        assertEquals(0x21, rpc.requestCmd0());
        assertEquals(0x99, rpc.requestCmd1());
        assertEquals(1, mt.metrics().rpcErrors());
        // and the session goes on
        CompletableFuture<UnpiFrame> g = mt.request(MtCommand.SYS_PING.frame(), T);
        peer.next(2000);
        peer.write(hex("FE 02 61 01 11 00 73"));
        assertNotNull(g.get(5, TimeUnit.SECONDS));
    }

    @Test
    void rpcErrorForAnotherCommandDoesNotFailTheRequest() throws Exception {
        CompletableFuture<UnpiFrame> f = mt.request(MtCommand.SYS_PING.frame(), T);
        peer.next(2000);
        peer.write(frame(0x60, 0x00, 0x01, 0x2A, 0x01));
        peer.write(hex("FE 02 61 01 11 00 73"));
        assertEquals(0x11, f.get(5, TimeUnit.SECONDS).u8(0));
        assertEquals(1, mt.metrics().unsolicited());
    }

    @Test
    void unknownUnsolicitedAndCorruptFramesAreIgnored() throws Exception {
        List<UnpiFrame> heard = new CopyOnWriteArrayList<>();
        mt.addListener(heard::add);
        peer.write(frame(0x61, 0x01, 0x59, 0x01));                 // SRSP nobody asked for
        peer.write(hex("EF EF EF 00 13 37"));                        // line noise
        byte[] bad = frame(0x45, 0xC0, 0x09);
        bad[bad.length - 1] ^= 0x5A;                                 // bad FCS
        peer.write(bad);
        peer.write(frame(0x00, 0x42, 0x01));                          // POLL type: not for a host
        peer.write(frame(0x4F, 0x77, 0x01, 0x02));                    // unknown AREQ
        // let the reader thread take all of that in before a request could be matched to it
        long end = System.nanoTime() + 5_000_000_000L;
        while (mt.metrics().framesIn() < 3 && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        CompletableFuture<UnpiFrame> f = mt.request(MtCommand.SYS_PING.frame(), T);
        peer.next(2000);
        peer.write(hex("FE 02 61 01 11 00 73"));
        assertEquals(0x0011, f.get(5, TimeUnit.SECONDS).u16(0));
        events.submit(() -> { }).get(); // listeners run on the events thread, in order
        assertEquals(1, heard.size(), "the unknown AREQ reaches listeners, nothing else does");
        assertEquals(0x77, heard.get(0).command());
        MtMetrics m = mt.metrics();
        assertEquals(2, m.unsolicited());
        assertTrue(m.badFrames() >= 1, "bad FCS counted: " + m);
    }

    @Test
    void waitForRegisteredBeforeTheRequestCatchesAFastCallback() throws Exception {
        List<UnpiFrame> heard = new CopyOnWriteArrayList<>();
        mt.addListener(heard::add);
        CompletableFuture<UnpiFrame> confirm = mt.waitFor(f -> MtCommand.AF_DATA_CONFIRM.matches(f) && f.u8(2) == 5, T);
        peer.write(hex("FE 03 44 80 00 01 04 C2")); // another transaction: not ours
        peer.write(hex("FE 03 44 80 00 01 05 C3")); // golden DATA_CONFIRM ok, tid 5
        UnpiFrame c = confirm.get(5, TimeUnit.SECONDS);
        assertEquals(5, c.u8(2));
        events.submit(() -> { }).get();
        assertEquals(1, heard.size(), "the consumed confirm is not also given to listeners");
        assertEquals(4, heard.get(0).u8(2));
    }

    @Test
    void waitForTimesOutOnTheManualClock() throws Exception {
        CompletableFuture<UnpiFrame> w = mt.waitFor(MtCommand.SYS_RESET_IND::matches, Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(1, mt.expireDue());
        assertEquals(RadioError.TIMEOUT, failure(w).error());
        assertEquals(0, mt.metrics().waiters());
    }

    @Test
    void cancelledWaitIsRemoved() {
        CompletableFuture<UnpiFrame> w = mt.waitFor(f -> true, T);
        assertEquals(1, mt.metrics().waiters());
        w.cancel(false);
        assertEquals(0, mt.metrics().waiters());
    }

    @Test
    void linkDownFailsEverythingPendingWithRadioUnavailable() throws Exception {
        CompletableFuture<UnpiFrame> a = mt.request(MtCommand.SYS_PING.frame(), T);
        CompletableFuture<UnpiFrame> b = mt.request(MtCommand.SYS_VERSION.frame(), T);
        CompletableFuture<UnpiFrame> w = mt.waitFor(f -> true, T);
        peer.next(2000);
        ends[0].unplug();
        assertEquals(RadioError.RADIO_UNAVAILABLE, failure(a).error());
        assertEquals(RadioError.RADIO_UNAVAILABLE, failure(b).error());
        assertEquals(RadioError.RADIO_UNAVAILABLE, failure(w).error());
        assertEquals(RadioError.RADIO_UNAVAILABLE, failure(mt.request(MtCommand.SYS_PING.frame(), T)).error());
        assertThrows(RadioException.class, () -> mt.send(MtCommand.SYS_RESET_REQ.frame((byte) 1)));
        MtMetrics m = mt.metrics();
        assertEquals(0, m.inFlight() + m.queued() + m.waiters());
    }

    @Test
    void areqGoldenResetRequest() throws Exception {
        mt.send(MtCommand.SYS_RESET_REQ.frame((byte) 0x01));
        assertArrayEquals(hex("FE 01 41 00 01 41"), peer.next(2000));
        assertThrows(IllegalArgumentException.class, () -> mt.send(MtCommand.SYS_PING.frame()));
        assertThrows(IllegalArgumentException.class, () -> mt.request(MtCommand.SYS_RESET_REQ.frame((byte) 1), T));
    }

    @Test
    void emptySrspIsAnError() throws Exception {
        CompletableFuture<UnpiFrame> f = mt.request(MtCommand.SYS_PING.frame(), T);
        peer.next(2000);
        peer.write(frame(0x61, 0x01));
        assertEquals(RadioError.REJECTED, failure(f).error());
    }

    @Test
    void cancelledQueuedRequestIsSkipped() throws Exception {
        CompletableFuture<UnpiFrame> a = mt.request(MtCommand.SYS_PING.frame(), T);
        CompletableFuture<UnpiFrame> b = mt.request(MtCommand.SYS_VERSION.frame(), T);
        CompletableFuture<UnpiFrame> c = mt.request(UnpiFrame.of(0x27, 0x00), T);
        peer.next(2000);
        b.cancel(false);
        peer.write(hex("FE 02 61 01 11 00 73"));
        a.get(5, TimeUnit.SECONDS);
        byte[] next = peer.next(2000);
        assertEquals(0x27, ScriptedPeer.cmd0(next), "the cancelled VERSION is skipped");
        assertNull(peer.next(20));
        assertFalse(c.isDone());
    }

    @Test
    void aFalseStartByteClaimingALongFrameDoesNotHoldBackTheRealReply() throws Exception {
        CompletableFuture<UnpiFrame> f = mt.request(MtCommand.SYS_PING.frame(), Duration.ofSeconds(6));
        peer.next(2000);
        // Line noise: a 0xFE whose "LEN" is 0xF0 (240 bytes that will never come), then the real SRSP.
        peer.write(hex("FE F0 13 37"));
        peer.write(hex("FE 02 61 01 11 00 73"));
        Thread.sleep(200); // let the reader thread feed both chunks (real time only for the link thread)
        assertFalse(f.isDone(), "the SRSP is hidden inside the false frame's claimed length");
        clock.advance(Duration.ofMillis(150)); // quiet line, well under the 6 s SRSP deadline
        mt.expireDue();
        assertEquals(0x0011, f.get(5, TimeUnit.SECONDS).u16(0));
    }

    @Test
    void failPendingFailsInFlightQueuedAndWaitsAsUnavailableAndTheNextSreqGoesOutAtOnce() throws Exception {
        CompletableFuture<UnpiFrame> hung = mt.request(MtCommand.SYS_PING.frame(), T);
        CompletableFuture<UnpiFrame> queued = mt.request(MtCommand.SYS_VERSION.frame(), T);
        CompletableFuture<UnpiFrame> wait = mt.waitFor(f -> false, T);
        assertNotNull(peer.next(2000), "the first SREQ went out");
        assertEquals(3, mt.failPending("stick reset"));
        for (CompletableFuture<?> f : List.of(hung, queued, wait)) {
            assertEquals(RadioError.RADIO_UNAVAILABLE, failure(f).error());
        }
        assertEquals(null, peer.next(50), "the queued SREQ was failed, not written");
        // the slot is free: a new SREQ is written without waiting for the failed one's timeout
        CompletableFuture<UnpiFrame> next = mt.request(MtCommand.SYS_PING.frame(), T);
        assertNotNull(peer.next(2000));
        peer.write(hex("FE 02 61 01 11 00 73"));
        assertEquals(0x0011, next.get(5, TimeUnit.SECONDS).u16(0));
        assertTrue(mt.isUp(), "the link stays up");
    }

    @Test
    void afterAnSrspTimeoutTheNextSreqsGetAShortTimeoutUntilTheStickAnswersAgain() throws Exception {
        CompletableFuture<UnpiFrame> first = mt.request(MtCommand.SYS_PING.frame(), Duration.ofSeconds(6));
        CompletableFuture<UnpiFrame> second = mt.request(MtCommand.SYS_VERSION.frame(), Duration.ofSeconds(6));
        peer.next(2000);
        clock.advance(Duration.ofSeconds(6));
        mt.expireDue();
        assertEquals(RadioError.TIMEOUT, failure(first).error());
        peer.next(2000); // the second SREQ went out after the timeout
        clock.advance(Duration.ofMillis(999));
        mt.expireDue();
        assertFalse(second.isDone(), "1 s while suspicious, not yet");
        clock.advance(Duration.ofMillis(2));
        mt.expireDue();
        RadioException re = failure(second);
        assertEquals(RadioError.TIMEOUT, re.error());
        assertTrue(re.getMessage().contains("PT1S"), re.getMessage());

        // the stick answers again: back to the full timeout
        CompletableFuture<UnpiFrame> third = mt.request(MtCommand.SYS_PING.frame(), Duration.ofSeconds(6));
        peer.next(2000);
        peer.write(hex("FE 02 61 01 11 00 73"));
        third.get(5, TimeUnit.SECONDS);
        CompletableFuture<UnpiFrame> fourth = mt.request(MtCommand.SYS_PING.frame(), Duration.ofSeconds(6));
        peer.next(2000);
        clock.advance(Duration.ofSeconds(2));
        mt.expireDue();
        assertFalse(fourth.isDone(), "an answered SRSP restores the full 6 s");
    }
}
