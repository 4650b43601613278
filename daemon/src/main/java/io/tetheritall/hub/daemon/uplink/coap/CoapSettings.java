package io.tetheritall.hub.daemon.uplink.coap;

import io.tetheritall.hub.daemon.uplink.ClientLimiter;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable settings of the CoAP uplink; the daemon maps its configuration onto these.
 *
 * @param plainEnabled       serve plain CoAP (UDP); off turns it off entirely
 * @param plainAddress       where plain CoAP binds; loopback by default, since it has no authentication
 * @param plainPort          5683 by default; 0 picks a free port (tests)
 * @param dtlsEnabled        serve CoAPS (DTLS 1.2 with pre-shared keys)
 * @param dtlsAddress        where CoAPS binds
 * @param dtlsPort           5684 by default; 0 picks a free port
 * @param pskByIdentity      the pre-shared key of each client identity
 * @param aclByIdentity      what each DTLS identity may do; an identity without an entry may do nothing
 * @param plainAcl           what plain-CoAP peers may do
 * @param limits             per-client token buckets (RATE_LIMIT_REQUESTS_PER_MINUTE, _PER_SECOND, _BURST_SIZE)
 * @param maxPayloadBytes    request payloads above this are answered 4.13
 * @param maxAge             Max-Age of cached GET answers
 * @param commandTimeout     a set not confirmed in this time is answered 5.04
 * @param exchangeLifetime   how long duplicates are remembered; shorter than the RFC's 247 s saves memory on a Pi
 * @param dedupMessagesPerPeer per-peer bound of the duplicate detector
 * @param maxPeers           peers tracked at once (Californium's default is 150,000)
 * @param threads            protocol-stage threads
 * @param observeNonConfirmable send notifications as NON (with a CON every few), else all CON
 */
public record CoapSettings(boolean plainEnabled, String plainAddress, int plainPort, boolean dtlsEnabled,
                           String dtlsAddress, int dtlsPort, Map<String, byte[]> pskByIdentity,
                           Map<String, Acl> aclByIdentity, Acl plainAcl, ClientLimiter.Limits limits,
                           int maxPayloadBytes, Duration maxAge, Duration commandTimeout, Duration exchangeLifetime,
                           int dedupMessagesPerPeer, int maxPeers, int threads, boolean observeNonConfirmable) {

    /**
     * Access of one client: which devices (names, or {@code *} for all) it may read and which it may
     * write. Groups and {@code /bridge} count as writes to {@code *}.
     */
    public record Acl(Set<String> read, Set<String> write) {
        public static final Acl ALL = new Acl(Set.of("*"), Set.of("*"));
        public static final Acl READ_ONLY = new Acl(Set.of("*"), Set.of());
        public static final Acl NONE = new Acl(Set.of(), Set.of());

        public Acl {
            read = Set.copyOf(read);
            write = Set.copyOf(write);
        }

        public boolean mayRead(String device) {
            return read.contains("*") || read.contains(device) || mayWrite(device);
        }

        public boolean mayWrite(String device) {
            return write.contains("*") || write.contains(device);
        }
    }

    public CoapSettings {
        Objects.requireNonNull(plainAddress, "plainAddress");
        Objects.requireNonNull(dtlsAddress, "dtlsAddress");
        pskByIdentity = Map.copyOf(pskByIdentity);
        aclByIdentity = Map.copyOf(aclByIdentity);
        Objects.requireNonNull(plainAcl, "plainAcl");
        Objects.requireNonNull(limits, "limits");
        if (!plainEnabled && !dtlsEnabled) {
            throw new IllegalArgumentException("enable plain CoAP, CoAPS or both");
        }
        if (dtlsEnabled && pskByIdentity.isEmpty()) {
            throw new IllegalArgumentException("CoAPS needs at least one pre-shared key");
        }
        if (maxPayloadBytes < 16) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 16, but was " + maxPayloadBytes);
        }
    }

    /** Plain CoAP on 127.0.0.1:5683, no DTLS, 600/min, 20/s, burst 40, 1 KiB payloads. */
    public static CoapSettings defaults() {
        return new CoapSettings(true, "127.0.0.1", 5683, false, "0.0.0.0", 5684, Map.of(), Map.of(), Acl.ALL,
                new ClientLimiter.Limits(600, 20, 40), 1024, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(60), 64, 1000, 2, true);
    }

    public CoapSettings withPlain(boolean enabled, String address, int port) {
        return new CoapSettings(enabled, address, port, dtlsEnabled, dtlsAddress, dtlsPort, pskByIdentity, aclByIdentity,
                plainAcl, limits, maxPayloadBytes, maxAge, commandTimeout, exchangeLifetime, dedupMessagesPerPeer, maxPeers,
                threads, observeNonConfirmable);
    }

    public CoapSettings withDtls(String address, int port, Map<String, byte[]> psk, Map<String, Acl> acl) {
        return new CoapSettings(plainEnabled, plainAddress, plainPort, true, address, port, psk, acl, plainAcl, limits,
                maxPayloadBytes, maxAge, commandTimeout, exchangeLifetime, dedupMessagesPerPeer, maxPeers, threads,
                observeNonConfirmable);
    }

    public CoapSettings withPlainAcl(Acl acl) {
        return new CoapSettings(plainEnabled, plainAddress, plainPort, dtlsEnabled, dtlsAddress, dtlsPort, pskByIdentity,
                aclByIdentity, acl, limits, maxPayloadBytes, maxAge, commandTimeout, exchangeLifetime,
                dedupMessagesPerPeer, maxPeers, threads, observeNonConfirmable);
    }

    public CoapSettings withLimits(ClientLimiter.Limits l) {
        return new CoapSettings(plainEnabled, plainAddress, plainPort, dtlsEnabled, dtlsAddress, dtlsPort, pskByIdentity,
                aclByIdentity, plainAcl, l, maxPayloadBytes, maxAge, commandTimeout, exchangeLifetime,
                dedupMessagesPerPeer, maxPeers, threads, observeNonConfirmable);
    }

    public CoapSettings withCommandTimeout(Duration t) {
        return new CoapSettings(plainEnabled, plainAddress, plainPort, dtlsEnabled, dtlsAddress, dtlsPort, pskByIdentity,
                aclByIdentity, plainAcl, limits, maxPayloadBytes, maxAge, t, exchangeLifetime,
                dedupMessagesPerPeer, maxPeers, threads, observeNonConfirmable);
    }

    public CoapSettings withThreads(int n) {
        return new CoapSettings(plainEnabled, plainAddress, plainPort, dtlsEnabled, dtlsAddress, dtlsPort, pskByIdentity,
                aclByIdentity, plainAcl, limits, maxPayloadBytes, maxAge, commandTimeout, exchangeLifetime,
                dedupMessagesPerPeer, maxPeers, n, observeNonConfirmable);
    }
}
