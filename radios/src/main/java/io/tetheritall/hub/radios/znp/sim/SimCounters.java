package io.tetheritall.hub.radios.znp.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulator saw and did, so tests can assert that a host never exceeded the stick's
 * limits (e.g. {@link #maxInFlight()} ≤ the limit, {@link #bufferFull()} = 0 for a well-behaved host).
 */
public final class SimCounters {
    final AtomicLong framesIn = new AtomicLong();
    final AtomicLong framesOut = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
    final AtomicLong sreqs = new AtomicLong();
    final AtomicLong rpcErrors = new AtomicLong();
    final AtomicLong badRequests = new AtomicLong();
    final AtomicLong afRequests = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong maxInFlight = new AtomicLong();
    final AtomicLong bufferFull = new AtomicLong();
    final AtomicLong broadcasts = new AtomicLong();
    final AtomicLong broadcastRefusals = new AtomicLong();
    final AtomicLong confirms = new AtomicLong();
    final AtomicLong confirmsDropped = new AtomicLong();
    final AtomicLong macNoAck = new AtomicLong();
    final AtomicLong transactionExpired = new AtomicLong();
    final AtomicLong transactionOverflow = new AtomicLong();
    final AtomicLong incomingMsgs = new AtomicLong();
    final AtomicLong reports = new AtomicLong();
    final AtomicLong joins = new AtomicLong();
    final AtomicLong leaves = new AtomicLong();
    final AtomicLong resets = new AtomicLong();
    final AtomicLong droppedWhileHung = new AtomicLong();
    final AtomicLong garbageBytes = new AtomicLong();
    final AtomicLong badFcsSent = new AtomicLong();
    final AtomicLong writeFailures = new AtomicLong();
    final AtomicLong ignoredFrames = new AtomicLong();

    public long framesIn() {
        return framesIn.get();
    }

    public long framesOut() {
        return framesOut.get();
    }

    public long bytesOut() {
        return bytesOut.get();
    }

    /** SREQs received (answered or not). */
    public long sreqs() {
        return sreqs.get();
    }

    /** RPC error SRSPs sent (unknown subsystem or command, bad length). */
    public long rpcErrors() {
        return rpcErrors.get();
    }

    /** Requests whose payload was too short for their command. */
    public long badRequests() {
        return badRequests.get();
    }

    public long afRequests() {
        return afRequests.get();
    }

    /** AF requests between SRSP and AF_DATA_CONFIRM right now. */
    public long inFlight() {
        return inFlight.get();
    }

    /** Highest {@link #inFlight()} ever observed. */
    public long maxInFlight() {
        return maxInFlight.get();
    }

    /** SRSPs sent with 0x11 BUFFER_FULL. */
    public long bufferFull() {
        return bufferFull.get();
    }

    /** Group and broadcast AF requests accepted into the broadcast table. */
    public long broadcasts() {
        return broadcasts.get();
    }

    /** Group and broadcast AF requests refused because the broadcast table was full. */
    public long broadcastRefusals() {
        return broadcastRefusals.get();
    }

    public long confirms() {
        return confirms.get();
    }

    /** AF_DATA_CONFIRMs swallowed by the drop-confirms fault. */
    public long confirmsDropped() {
        return confirmsDropped.get();
    }

    public long macNoAck() {
        return macNoAck.get();
    }

    public long transactionExpired() {
        return transactionExpired.get();
    }

    public long transactionOverflow() {
        return transactionOverflow.get();
    }

    /** AF_INCOMING_MSG frames sent (replies and reports). */
    public long incomingMsgs() {
        return incomingMsgs.get();
    }

    /** Attribute reports and IAS notifications among {@link #incomingMsgs()}. */
    public long reports() {
        return reports.get();
    }

    public long joins() {
        return joins.get();
    }

    public long leaves() {
        return leaves.get();
    }

    public long resets() {
        return resets.get();
    }

    /** Frames not answered or not sent because the stick was hung. */
    public long droppedWhileHung() {
        return droppedWhileHung.get();
    }

    public long garbageBytes() {
        return garbageBytes.get();
    }

    public long badFcsSent() {
        return badFcsSent.get();
    }

    /** Writes the link refused (e.g. unplugged). */
    public long writeFailures() {
        return writeFailures.get();
    }

    /** Non-SREQ frames from the host that the stick ignores (SRSPs, unknown AREQs). */
    public long ignoredFrames() {
        return ignoredFrames.get();
    }

    void inFlightUp() {
        long v = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(v, Math::max);
    }

    void inFlightDown() {
        inFlight.updateAndGet(v -> Math.max(0, v - 1));
    }

    /** All counters by name, for logs and the fault console. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("framesIn", framesIn());
        m.put("framesOut", framesOut());
        m.put("sreqs", sreqs());
        m.put("rpcErrors", rpcErrors());
        m.put("afRequests", afRequests());
        m.put("inFlight", inFlight());
        m.put("maxInFlight", maxInFlight());
        m.put("bufferFull", bufferFull());
        m.put("broadcasts", broadcasts());
        m.put("broadcastRefusals", broadcastRefusals());
        m.put("confirms", confirms());
        m.put("confirmsDropped", confirmsDropped());
        m.put("macNoAck", macNoAck());
        m.put("transactionExpired", transactionExpired());
        m.put("incomingMsgs", incomingMsgs());
        m.put("reports", reports());
        m.put("joins", joins());
        m.put("leaves", leaves());
        m.put("resets", resets());
        m.put("droppedWhileHung", droppedWhileHung());
        m.put("writeFailures", writeFailures());
        return m;
    }
}
