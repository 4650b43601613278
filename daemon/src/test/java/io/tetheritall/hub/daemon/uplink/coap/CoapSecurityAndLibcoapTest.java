package io.tetheritall.hub.daemon.uplink.coap;

import io.tetheritall.hub.daemon.uplink.FakeHub;
import io.tetheritall.hub.radios.time.HubClock;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CoAPS with pre-shared keys and ACLs (Californium and libcoap clients), and plain CoAP with libcoap's coap-client. */
class CoapSecurityAndLibcoapTest {
    private static final byte[] ALICE_KEY = "alice-secret-0123".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BOB_KEY = "bob-secret-4567".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CAROL_KEY = "carol-secret-89ab".getBytes(StandardCharsets.UTF_8);

    private FakeHub hub;
    private CoapUplink uplink;
    private final List<CoapEndpoint> endpoints = new ArrayList<>();

    @BeforeEach
    void start() {
        hub = new FakeHub();
        CoapSettings s = CoapSettings.defaults().withPlain(true, "127.0.0.1", 0).withDtls("127.0.0.1", 0,
                Map.of("alice", ALICE_KEY, "bob", BOB_KEY, "carol", CAROL_KEY),
                Map.of("alice", CoapSettings.Acl.ALL,
                        "bob", new CoapSettings.Acl(Set.of("kitchen/temp"), Set.of("plug"))));
        uplink = new CoapUplink(s, hub, HubClock.system());
        uplink.start();
    }

    @AfterEach
    void stop() {
        endpoints.forEach(CoapEndpoint::destroy);
        uplink.stop();
    }

    private CoapClient dtls(String identity, byte[] key, String path) {
        Configuration cc = Configuration.createStandardWithoutFile();
        cc.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
        cc.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 1);
        DtlsConnectorConfig dc = DtlsConnectorConfig.builder(cc).setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key)).build();
        CoapEndpoint ep = CoapEndpoint.builder().setConfiguration(cc).setConnector(new DTLSConnector(dc)).build();
        endpoints.add(ep);
        CoapClient c = new CoapClient("coaps://127.0.0.1:" + uplink.dtlsAddress().getPort() + path);
        c.setEndpoint(ep);
        c.setTimeout(4000L);
        return c;
    }

    @Test
    void pskIdentitiesGetTheirAclAndAWrongKeyIsRefused() throws Exception {
        CoapResponse r = dtls("alice", ALICE_KEY, "/devices/bulb").put("{\"state\":\"ON\"}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.CHANGED, r.getCode());
        assertEquals("coap:psk:alice", hub.lastClient);

        CoapClient bob = dtls("bob", BOB_KEY, "/devices/bulb");
        assertEquals(ResponseCode.FORBIDDEN, bob.get().getCode());
        bob.setURI("coaps://127.0.0.1:" + uplink.dtlsAddress().getPort() + "/devices/kitchen/temp");
        assertEquals(ResponseCode.CONTENT, bob.get().getCode());
        assertEquals(ResponseCode.FORBIDDEN, bob.put("{\"temperature\":1}", MediaTypeRegistry.APPLICATION_JSON).getCode());
        bob.setURI("coaps://127.0.0.1:" + uplink.dtlsAddress().getPort() + "/devices/plug");
        assertEquals(ResponseCode.CHANGED, bob.put("{\"state\":\"OFF\"}", MediaTypeRegistry.APPLICATION_JSON).getCode());
        bob.setURI("coaps://127.0.0.1:" + uplink.dtlsAddress().getPort() + "/devices");
        String list = bob.get().getResponseText();
        assertTrue(list.contains("plug") && list.contains("kitchen/temp") && !list.contains("\"bulb\""), list);

        CoapResponse wrong = null;
        try {
            CoapClient c = dtls("alice", "not-the-key".getBytes(StandardCharsets.UTF_8), "/devices/bulb");
            c.setTimeout(1500L);
            wrong = c.get();
        } catch (Exception e) {
            // handshake failure surfaces as an exception in some versions
        }
        assertTrue(wrong == null || wrong.getCode() != ResponseCode.CONTENT, "a wrong key must not be served");
        CoapResponse unknown = null;
        try {
            CoapClient c = dtls("mallory", ALICE_KEY, "/devices/bulb");
            c.setTimeout(1500L);
            unknown = c.get();
        } catch (Exception e) {
            // as above
        }
        assertTrue(unknown == null || unknown.getCode() != ResponseCode.CONTENT);
        // Everyone else is still served.
        assertEquals(ResponseCode.CONTENT, dtls("alice", ALICE_KEY, "/devices/bulb").get().getCode());
    }

    @Test
    void healthIsReadableByAnyoneWhoMayReadSomethingOverCoaps() throws Exception {
        // bob may read one device only: enough to read the hub's health.
        CoapResponse bob = dtls("bob", BOB_KEY, "/bridge/health").get();
        assertEquals(ResponseCode.CONTENT, bob.getCode());
        assertTrue(bob.getResponseText().contains("\"radios\""), bob.getResponseText());
        // carol has a key but no ACL entry: nothing, not even health.
        CoapResponse carol = dtls("carol", CAROL_KEY, "/bridge/health").get();
        assertEquals(ResponseCode.FORBIDDEN, carol.getCode());
    }

    @Test
    void plainCoapCanBeTurnedOffAndSettingsAreChecked() {
        CoapSettings dtlsOnly = CoapSettings.defaults()
                .withDtls("127.0.0.1", 0, Map.of("alice", ALICE_KEY), Map.of("alice", CoapSettings.Acl.ALL))
                .withPlain(false, "127.0.0.1", 0);
        CoapUplink only = new CoapUplink(dtlsOnly, new FakeHub(), HubClock.system());
        only.start();
        try {
            assertEquals(null, only.plainAddress());
            assertTrue(only.dtlsAddress().getPort() > 0);
        } finally {
            only.stop();
        }
        assertEquals("127.0.0.1", CoapSettings.defaults().plainAddress(), "plain CoAP is loopback-only by default");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CoapSettings.defaults().withPlain(false, "127.0.0.1", 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CoapSettings.defaults().withDtls("127.0.0.1", 0, Map.of(), Map.of()));
    }

    // ------------------------------------------------------------ libcoap

    private static final String NOTLS = "/usr/bin/coap-client-notls";
    private static final String GNUTLS = "/usr/bin/coap-client-gnutls";
    private static final String OPENSSL = "/usr/bin/coap-client-openssl";

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) throws IOException, InterruptedException {
        Path dir = Path.of("target", "tmp");
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "coap", ".out");
        Path err = Files.createTempFile(dir, "coap", ".err");
        Process p = new ProcessBuilder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("coap-client hung: " + String.join(" ", args));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1), Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    private String url(String path) {
        return "coap://127.0.0.1:" + uplink.plainAddress().getPort() + path;
    }

    @Test
    void libcoapClientPlain() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(NOTLS)), "libcoap3-bin is not installed");
        Run r = run(NOTLS, "-B", "3", "-m", "get", url("/.well-known/core"));
        assertTrue(r.out().contains("</devices/bulb>"), r.toString());
        r = run(NOTLS, "-B", "3", "-m", "get", url("/devices/bulb"));
        assertTrue(r.out().contains("\"state\":\"OFF\""), r.toString());
        r = run(NOTLS, "-B", "3", "-m", "get", url("/bridge/health"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("\"radios\":{\"zigbee\":\"up\"}"), r.toString());
        assertTrue(r.out().contains("\"coap\":{\"requests\":"), r.toString());
        r = run(NOTLS, "-B", "3", "-m", "get", "-A", "60", url("/bridge/health"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("radios") && !r.out().contains("\"radios\""), r.toString()); // CBOR text strings, no JSON quotes
        r = run(NOTLS, "-B", "3", "-m", "put", "-t", "50", "-e", "{\"brightness\":42}", url("/devices/bulb"));
        assertTrue(r.out().contains("\"brightness\":42"), r.toString());
        r = run(NOTLS, "-B", "3", "-m", "put", "-t", "0", "-e", "ON", url("/devices/plug/state"));
        assertTrue(r.out().contains("ON"), r.toString());
        r = run(NOTLS, "-B", "3", "-m", "put", "-t", "50", "-e", "{\"brightness\":999}", url("/devices/bulb"));
        assertTrue((r.out() + r.err()).contains("4.00"), r.toString());
        assertTrue((r.out() + r.err()).contains("out of range 0..254"), r.toString());
        r = run(NOTLS, "-B", "3", "-m", "get", url("/devices/ghost"));
        assertTrue((r.out() + r.err()).contains("4.04"), r.toString());
        r = run(NOTLS, "-B", "3", "-m", "put", "-t", "42", "-e", "xx", url("/devices/bulb"));
        assertTrue((r.out() + r.err()).contains("4.15"), r.toString());
        // An unknown critical option (odd number, RFC 7252 §5.4.1): Californium answers 4.02 Bad Option.
        r = run(NOTLS, "-B", "3", "-m", "get", "-O", "65001,x", url("/devices/bulb"));
        assertTrue((r.out() + r.err()).contains("4.02"), r.toString());
        assertTrue(!r.out().contains("\"state\""), r.toString());
        // Still serving.
        r = run(NOTLS, "-B", "3", "-m", "get", "-A", "60", url("/devices/bulb"));
        assertEquals(0, r.exit(), r.toString());
        assertNotEquals("", r.out());
    }

    @Test
    void libcoapClientDtlsPsk() throws Exception {
        String bin = Files.isExecutable(Path.of(GNUTLS)) ? GNUTLS : Files.isExecutable(Path.of(OPENSSL)) ? OPENSSL : null;
        Assumptions.assumeTrue(bin != null, "no DTLS-capable coap-client");
        String u = "coaps://127.0.0.1:" + uplink.dtlsAddress().getPort() + "/devices/bulb";
        Run r = run(bin, "-B", "5", "-u", "alice", "-k", new String(ALICE_KEY, StandardCharsets.UTF_8), "-m", "get", u);
        assertTrue(r.out().contains("\"state\""), r.toString());
        r = run(bin, "-B", "3", "-u", "alice", "-k", "wrong-key", "-m", "get", u);
        assertTrue(!r.out().contains("\"state\""), r.toString());
        r = run(bin, "-B", "5", "-u", "bob", "-k", new String(BOB_KEY, StandardCharsets.UTF_8), "-m", "get", u);
        assertTrue((r.out() + r.err()).contains("4.03"), r.toString());
    }
}
