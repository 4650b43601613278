package io.tetheritall.hub.daemon.uplink.coap;

import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.uplink.ClientLimiter;
import io.tetheritall.hub.daemon.uplink.FakeHub;
import io.tetheritall.hub.daemon.uplink.Values;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.ManualClock;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CoAP uplink with Californium's client, against the fake hub. */
class CoapUplinkTest {
    private FakeHub hub;
    private CoapUplink uplink;
    private final List<CoapEndpoint> endpoints = new ArrayList<>();

    @AfterEach
    void tearDown() {
        endpoints.forEach(CoapEndpoint::destroy);
        if (uplink != null) {
            uplink.stop();
        }
    }

    private void start(CoapSettings s, HubClock clock) {
        hub = new FakeHub();
        uplink = new CoapUplink(s.withPlain(true, "127.0.0.1", 0), hub, clock);
        uplink.start();
    }

    private void start() {
        start(CoapSettings.defaults(), HubClock.system());
    }

    /** A client on its own endpoint bound to {@code from} (any 127/8 address is loopback on Linux). */
    CoapClient client(String path, String from) {
        CoapEndpoint ep = CoapEndpoint.builder().setConfiguration(Configuration.getStandard())
                .setInetSocketAddress(new InetSocketAddress(from, 0)).build();
        endpoints.add(ep);
        CoapClient c = new CoapClient("coap://127.0.0.1:" + uplink.plainAddress().getPort() + path);
        c.setEndpoint(ep);
        c.setTimeout(5000L);
        return c;
    }

    CoapClient client(String path) {
        return client(path, "127.0.0.1");
    }

    static Map<String, Object> json(CoapResponse r) throws Exception {
        return Values.parseJsonObject(r.getPayload());
    }

    static CoapResponse put(CoapClient c, String payload, int format) throws Exception {
        return c.put(payload, format);
    }

    @Test
    void wellKnownCoreListsResourcesInLinkFormat() throws Exception {
        start();
        CoapResponse r = client("/.well-known/core").get();
        assertEquals(ResponseCode.CONTENT, r.getCode());
        String links = r.getResponseText();
        assertTrue(links.contains("</devices/bulb>"), links);
        assertTrue(links.matches("(?s).*</devices/bulb>;[^,]*obs.*"), links);
        assertTrue(links.matches("(?s).*</devices/bulb>;[^,]*rt=\"tetheritall.device\".*"), links);
        assertTrue(links.matches("(?s).*</devices/bulb>;[^,]*if=\"core.a\".*"), links);
        assertTrue(links.matches("(?s).*</devices/bulb>;[^,]*ct=\"50 60\".*"), links);
        assertTrue(links.contains("</bridge/permit-join>"), links);
        assertTrue(links.matches("(?s).*</bridge/health>;[^,]*rt=\"tetheritall.health\".*"), links);
        assertTrue(links.matches("(?s).*</bridge/health>;[^,]*ct=\"50 60\".*"), links);
        assertTrue(links.contains("</groups/living>"), links);
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthIsReadableAsJsonAndCborFromTheHub() throws Exception {
        start();
        CoapClient c = client("/bridge/health");
        CoapResponse j = c.get(MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.CONTENT, j.getCode());
        assertEquals(MediaTypeRegistry.APPLICATION_JSON, j.getOptions().getContentFormat());
        assertEquals(0L, j.getOptions().getMaxAge());
        Map<String, Object> h = json(j);
        assertEquals(Map.of("zigbee", "up"), h.get("radios"));
        assertEquals(((Number) hub.health().get("devices")).longValue(), ((Number) h.get("devices")).longValue());
        Map<String, Object> coap = (Map<String, Object>) h.get("coap");
        assertTrue(((Number) coap.get("requests")).longValue() >= 1, h.toString());

        CoapResponse cb = c.get(MediaTypeRegistry.APPLICATION_CBOR);
        assertEquals(ResponseCode.CONTENT, cb.getCode());
        assertEquals(MediaTypeRegistry.APPLICATION_CBOR, cb.getOptions().getContentFormat());
        Map<String, Object> hc = Values.parseCborObject(cb.getPayload());
        assertEquals(Map.of("zigbee", "up"), hc.get("radios"));
        // Built per request: the second answer counts the first request.
        assertTrue(((Number) ((Map<String, Object>) hc.get("coap")).get("requests")).longValue()
                > ((Number) coap.get("requests")).longValue(), hc.toString());

        assertEquals(ResponseCode.NOT_ACCEPTABLE, c.get(MediaTypeRegistry.TEXT_PLAIN).getCode());
        assertEquals(ResponseCode.METHOD_NOT_ALLOWED, c.put("{}", MediaTypeRegistry.APPLICATION_JSON).getCode());
    }

    @Test
    void getAnswersFromTheCacheWithEtagMaxAgeJsonAndCbor() throws Exception {
        start();
        CoapClient c = client("/devices/bulb");
        CoapResponse r = c.get();
        assertEquals(ResponseCode.CONTENT, r.getCode());
        assertEquals(MediaTypeRegistry.APPLICATION_JSON, r.getOptions().getContentFormat());
        assertEquals("OFF", json(r).get("state"));
        assertEquals(5L, r.getOptions().getMaxAge());
        byte[] etag = r.getOptions().getETags().get(0);
        CoapResponse cbor = c.get(MediaTypeRegistry.APPLICATION_CBOR);
        assertEquals(MediaTypeRegistry.APPLICATION_CBOR, cbor.getOptions().getContentFormat());
        assertEquals("OFF", Values.parseCborObject(cbor.getPayload()).get("state"));
        // Revalidation: same ETag, 2.03 Valid without payload.
        Request v = Request.newGet();
        v.getOptions().addETag(etag);
        CoapResponse valid = c.advanced(v);
        assertEquals(ResponseCode.VALID, valid.getCode());
        assertEquals(0, valid.getPayload().length);
        // After a change the ETag differs.
        hub.report("bulb", "brightness", 99);
        CoapResponse changed = c.get();
        assertEquals(99, json(changed).get("brightness"));
        assertTrue(!java.util.Arrays.equals(etag, changed.getOptions().getETags().get(0)));
        // A name with '/' in two segments or percent-encoded.
        assertEquals(21.5, json(client("/devices/kitchen/temp").get()).get("temperature"));
        assertEquals(21.5, json(client("/devices/kitchen%2Ftemp").get()).get("temperature"));
        assertEquals("21.5", client("/devices/kitchen/temp/temperature").get(MediaTypeRegistry.TEXT_PLAIN).getResponseText());
        CoapResponse list = client("/devices").get();
        assertTrue(list.getResponseText().contains("\"name\":\"kitchen/temp\""), list.getResponseText());
    }

    @Test
    void putAndPostSetAndAnswerChangedWithTheConfirmedState() throws Exception {
        start();
        CoapResponse r = put(client("/devices/bulb"), "{\"state\":\"ON\",\"brightness\":120}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.CHANGED, r.getCode());
        assertEquals(120, json(r).get("brightness"));
        assertEquals("ON", json(r).get("state"));
        r = client("/devices/bulb").post(Values.cbor(Map.of("color_temp", 400)), MediaTypeRegistry.APPLICATION_CBOR);
        assertEquals(ResponseCode.CHANGED, r.getCode());
        assertEquals(MediaTypeRegistry.APPLICATION_CBOR, r.getOptions().getContentFormat());
        assertEquals(400, Values.parseCborObject(r.getPayload()).get("color_temp"));
        r = put(client("/devices/bulb/brightness"), "77", MediaTypeRegistry.TEXT_PLAIN);
        assertEquals(ResponseCode.CHANGED, r.getCode());
        assertEquals("77", r.getResponseText());
        assertEquals(77, json(client("/devices/bulb").get()).get("brightness"));
        assertEquals("coap:ip:127.0.0.1", hub.lastClient);
        r = put(client("/groups/living"), "{\"state\":\"OFF\"}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.CHANGED, r.getCode());
        r = put(client("/bridge/permit-join"), "{\"time\":30}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.CHANGED, r.getCode());
        assertEquals(Duration.ofSeconds(30), hub.lastPermitJoin);
        assertTrue(client("/groups").get().getResponseText().contains("living"));
    }

    @Test
    void badRequestsGetActionableErrors() throws Exception {
        start(new CoapSettings(true, "127.0.0.1", 0, false, "0.0.0.0", 0, Map.of(), Map.of(), CoapSettings.Acl.ALL,
                ClientLimiter.Limits.NONE, 256, Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofSeconds(60), 64,
                100, 1, true), HubClock.system());
        CoapClient bulb = client("/devices/bulb");
        CoapResponse r = put(bulb, "{\"brightness\":\"high\"}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.BAD_REQUEST, r.getCode());
        assertTrue(r.getResponseText().contains("brightness: expected a number 0..254"), r.getResponseText());
        r = put(bulb, "{\"brightness\":300}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.BAD_REQUEST, r.getCode());
        assertTrue(r.getResponseText().contains("brightness: 300 is out of range 0..254"), r.getResponseText());
        r = put(bulb, "{\"brightness\":", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.BAD_REQUEST, r.getCode());
        assertTrue(r.getResponseText().contains("malformed JSON"), r.getResponseText());
        r = put(bulb, "{\"b\":\"" + "x".repeat(400) + "\"}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.REQUEST_ENTITY_TOO_LARGE, r.getCode());
        assertEquals(256, r.getOptions().getSize1());
        r = put(bulb, "{\"state\":\"ON\"}", MediaTypeRegistry.APPLICATION_OCTET_STREAM);
        assertEquals(ResponseCode.UNSUPPORTED_CONTENT_FORMAT, r.getCode());
        r = bulb.get(MediaTypeRegistry.APPLICATION_XML);
        assertEquals(ResponseCode.NOT_ACCEPTABLE, r.getCode());
        r = put(client("/devices/kitchen/temp"), "{\"temperature\":20}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.METHOD_NOT_ALLOWED, r.getCode());
        assertTrue(r.getResponseText().contains("read-only"), r.getResponseText());
        assertEquals(ResponseCode.NOT_FOUND, client("/devices/nosuch").get().getCode());
        assertEquals(ResponseCode.NOT_FOUND, client("/devices/bulb/flavour").get().getCode());
        r = put(bulb, "{\"flavour\":1}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.NOT_FOUND, r.getCode());
        assertTrue(r.getResponseText().contains("flavour"), r.getResponseText());
        r = put(client("/bridge/permit-join"), "{\"time\":1000}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.BAD_REQUEST, r.getCode());
        assertTrue(r.getResponseText().startsWith("time:"), r.getResponseText());

        hub.failWith(CommandError.RADIO_UNAVAILABLE, "zigbee breaker open", 2500);
        r = put(bulb, "{\"state\":\"ON\"}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.SERVICE_UNAVAILABLE, r.getCode());
        assertEquals(3L, r.getOptions().getMaxAge());
        assertTrue(r.getResponseText().contains("zigbee breaker open"));
        hub.failWith(CommandError.RATE_LIMITED, "zigbee queue full", 1000);
        r = put(bulb, "{\"state\":\"ON\"}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.TOO_MANY_REQUESTS, r.getCode());
        assertEquals(1L, r.getOptions().getMaxAge());
        hub.clearFailure();
        hub.hang();
        r = put(bulb, "{\"state\":\"ON\"}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.GATEWAY_TIMEOUT, r.getCode());
        hub.clearFailure();
        // Still serving.
        assertEquals(ResponseCode.CHANGED, put(bulb, "{\"state\":\"ON\"}", MediaTypeRegistry.APPLICATION_JSON).getCode());
        assertTrue(uplink.metrics().badRequests() >= 6);
    }

    @Test
    void observeRelationsGetEveryStateChange() throws Exception {
        start();
        LinkedBlockingQueue<CoapResponse> got = new LinkedBlockingQueue<>();
        CoapClient c = client("/devices/bulb");
        CoapObserveRelation rel = c.observe(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                got.add(response);
            }

            @Override
            public void onError() {
            }
        });
        CoapResponse first = got.poll(5, TimeUnit.SECONDS);
        assertNotNull(first);
        assertEquals(0, json(first).get("brightness"));
        assertEquals(1, uplink.metrics().observers());
        for (int i = 1; i <= 3; i++) {
            hub.report("bulb", "brightness", i * 10);
            CoapResponse n = got.poll(5, TimeUnit.SECONDS);
            assertNotNull(n, "notification " + i);
            assertEquals(i * 10, json(n).get("brightness"));
            assertTrue(n.getOptions().hasObserve());
        }
        // A set through MQTT or CoAP notifies too.
        put(client("/devices/bulb"), "{\"brightness\":200}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(200, json(got.poll(5, TimeUnit.SECONDS)).get("brightness"));
        // The same state reported again (a device confirming what it already reported) is not a change:
        // no notification, and the next real change is the next one the observer gets.
        long before = uplink.metrics().notifications();
        hub.report("bulb", "brightness", 200);
        hub.report("bulb", "brightness", 200);
        hub.report("bulb", "brightness", 201);
        assertEquals(201, json(got.poll(5, TimeUnit.SECONDS)).get("brightness"));
        assertEquals(before + 1, uplink.metrics().notifications());
        rel.proactiveCancel();
    }

    @Test
    void perClientBucketAnswers429WithMaxAgeAndOthersAreServed() throws Exception {
        ManualClock clock = new ManualClock();
        start(CoapSettings.defaults().withLimits(new ClientLimiter.Limits(0, 1, 3)), clock);
        CoapClient greedy = client("/devices/bulb");
        for (int i = 0; i < 3; i++) {
            assertEquals(ResponseCode.CONTENT, greedy.get().getCode());
        }
        CoapResponse r = greedy.get();
        assertEquals(ResponseCode.TOO_MANY_REQUESTS, r.getCode());
        assertEquals(1L, r.getOptions().getMaxAge());
        assertTrue(r.getResponseText().contains("retry after"), r.getResponseText());
        // Another peer has its own bucket.
        assertEquals(ResponseCode.CONTENT, client("/devices/bulb", "127.0.0.2").get().getCode());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(ResponseCode.CONTENT, greedy.get().getCode());
        assertEquals(1, uplink.metrics().rateLimited());
    }

    @Test
    void confirmableFloodFromOnePeerDoesNotStarveOthers() throws Exception {
        start(CoapSettings.defaults().withLimits(new ClientLimiter.Limits(600, 20, 40)), HubClock.system());
        CoapClient flood = client("/devices/bulb");
        List<java.util.concurrent.CompletableFuture<ResponseCode>> fs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            var f = new java.util.concurrent.CompletableFuture<ResponseCode>();
            flood.get(new CoapHandler() {
                @Override
                public void onLoad(CoapResponse response) {
                    f.complete(response.getCode());
                }

                @Override
                public void onError() {
                    f.complete(null);
                }
            });
            fs.add(f);
        }
        CoapClient polite = client("/devices/bulb", "127.0.0.2");
        for (int i = 0; i < 5; i++) {
            assertEquals(ResponseCode.CONTENT, polite.get().getCode());
        }
        int ok = 0;
        int limited = 0;
        for (var f : fs) {
            ResponseCode c = f.get(20, TimeUnit.SECONDS);
            if (c == ResponseCode.CONTENT) {
                ok++;
            } else if (c == ResponseCode.TOO_MANY_REQUESTS) {
                limited++;
            }
        }
        assertEquals(300, ok + limited);
        assertTrue(ok >= 40 && ok < 100, "burst of 40 plus a refill of 20/s, got " + ok);
        assertTrue(limited > 200, "limited " + limited);
    }

    @Test
    void plainAclCanBeReadOnly() throws Exception {
        start(CoapSettings.defaults().withPlainAcl(CoapSettings.Acl.READ_ONLY), HubClock.system());
        assertEquals(ResponseCode.CONTENT, client("/devices/bulb").get().getCode());
        CoapResponse r = put(client("/devices/bulb"), "{\"state\":\"ON\"}", MediaTypeRegistry.APPLICATION_JSON);
        assertEquals(ResponseCode.FORBIDDEN, r.getCode());
        assertEquals(0, hub.sets.get());
    }

    @Test
    void devicesComeAndGo() throws Exception {
        start();
        LinkedBlockingQueue<CoapResponse> got = new LinkedBlockingQueue<>();
        client("/devices/plug").observe(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                got.add(response);
            }

            @Override
            public void onError() {
            }
        });
        assertEquals(ResponseCode.CONTENT, got.poll(5, TimeUnit.SECONDS).getCode());
        hub.rename("plug", "heater").join();
        // The observer of the old name is told it is gone.
        assertEquals(ResponseCode.NOT_FOUND, got.poll(5, TimeUnit.SECONDS).getCode());
        assertEquals(ResponseCode.CONTENT, client("/devices/heater").get().getCode());
        assertEquals(ResponseCode.NOT_FOUND, client("/devices/plug").get().getCode());
        assertArrayEquals(CoapUplink.etag("a".getBytes(StandardCharsets.UTF_8)), CoapUplink.etag("a".getBytes(StandardCharsets.UTF_8)));
        assertEquals(CoAP.Type.CON, Request.newGet().getType());
    }
}
