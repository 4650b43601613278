package io.tetheritall.hub.bench.uplink;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.uplink.ClientLimiter;
import io.tetheritall.hub.daemon.uplink.FakeHub;
import io.tetheritall.hub.daemon.uplink.coap.CoapSettings;
import io.tetheritall.hub.daemon.uplink.coap.CoapUplink;
import io.tetheritall.hub.daemon.uplink.mqtt.InMemoryOutbox;
import io.tetheritall.hub.daemon.uplink.mqtt.Mosquitto;
import io.tetheritall.hub.daemon.uplink.mqtt.MqttSettings;
import io.tetheritall.hub.daemon.uplink.mqtt.MqttUplink;
import io.tetheritall.hub.radios.time.HubClock;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.elements.config.Configuration;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load scenarios for the uplinks, against the FakeHub (no radio): the figures are the uplinks' own
 * cost. Usage: {@code UplinkBench coap-get|observe|mqtt-latency|outbox-drain [seconds]}.
 */
public final class UplinkBench {

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf("cores=%d java=%s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        switch (which) {
            case "coap-get" -> coapGet(seconds, args.length > 2 ? Integer.parseInt(args[2]) : 4,
                    args.length > 3 ? Integer.parseInt(args[3]) : 8);
            case "coap-baseline" -> coapGetBaseline(seconds, args.length > 2 ? Integer.parseInt(args[2]) : 4,
                    args.length > 3 ? Integer.parseInt(args[3]) : 8);
            case "observe" -> observe(args.length > 2 ? Integer.parseInt(args[2]) : 100, 200);
            case "mqtt-latency" -> mqttLatency(seconds, args.length > 2 ? Integer.parseInt(args[2]) : 1000);
            case "outbox-drain" -> outboxDrain(args.length > 2 ? Integer.parseInt(args[2]) : 12_000);
            default -> {
                coapGet(seconds, 4, 8);
                observe(100, 200);
                mqttLatency(seconds, 1000);
                outboxDrain(12_000);
            }
        }
        System.exit(0);
    }

    static String pct(long[] nanos, int n) {
        long[] a = Arrays.copyOf(nanos, n);
        Arrays.sort(a);
        return String.format("p50 %.3f ms, p99 %.3f ms, max %.3f ms", a[n / 2] / 1e6, a[(int) (n * 0.99)] / 1e6,
                a[n - 1] / 1e6);
    }

    /** A client endpoint that never runs out of message ids (the 265 CON req/s ceiling of the defaults). */
    static CoapEndpoint clientEndpoint() {
        Configuration c = Configuration.createStandardWithoutFile();
        c.set(CoapConfig.MID_TRACKER, CoapConfig.TrackerMode.NULL);
        c.set(CoapConfig.EXCHANGE_LIFETIME, 10, TimeUnit.SECONDS);
        c.set(CoapConfig.DEDUPLICATOR, CoapConfig.NO_DEDUPLICATOR);
        return CoapEndpoint.builder().setConfiguration(c).setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
    }

    // ------------------------------------------------------------------ CoAP GET (cache hit)

    static void coapGet(int seconds, int clients, int outstanding) throws Exception {
        FakeHub hub = new FakeHub();
        CoapSettings s = CoapSettings.defaults().withPlain(true, "127.0.0.1", 0).withLimits(ClientLimiter.Limits.NONE);
        CoapUplink up = new CoapUplink(s, hub, HubClock.system());
        up.start();
        String uri = "coap://127.0.0.1:" + up.plainAddress().getPort() + "/devices/bulb";
        coapLoad("coap-get (uplink)", uri, seconds, clients, outstanding);
        up.stop();
    }

    /** The same load against a bare Californium resource with the same configuration: the floor. */
    static void coapGetBaseline(int seconds, int clients, int outstanding) throws Exception {
        CoapSettings s = CoapSettings.defaults().withPlain(true, "127.0.0.1", 0);
        org.eclipse.californium.core.CoapServer server = new org.eclipse.californium.core.CoapServer(CoapUplink.configuration(s));
        CoapEndpoint ep = CoapEndpoint.builder().setConfiguration(CoapUplink.configuration(s))
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
        server.addEndpoint(ep);
        byte[] body = io.tetheritall.hub.daemon.uplink.Values.json(new FakeHub().device("bulb").get().state());
        org.eclipse.californium.core.CoapResource devices = new org.eclipse.californium.core.CoapResource("devices");
        devices.add(new org.eclipse.californium.core.CoapResource("bulb") {
            @Override
            public void handleGET(org.eclipse.californium.core.server.resources.CoapExchange ex) {
                ex.respond(CoAP.ResponseCode.CONTENT, body, 50);
            }
        });
        server.add(devices);
        server.start();
        coapLoad("coap-get (bare Californium baseline)", "coap://127.0.0.1:" + ep.getAddress().getPort() + "/devices/bulb",
                seconds, clients, outstanding);
        server.destroy();
    }

    static void coapLoad(String label, String uri, int seconds, int clients, int outstanding) throws Exception {
        int cap = 2_000_000;
        long[] lat = new long[cap];
        AtomicInteger n = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        List<CoapEndpoint> eps = new ArrayList<>();
        CountDownLatch finished = new CountDownLatch(clients * outstanding);
        for (int c = 0; c < clients; c++) {
            CoapEndpoint ep = clientEndpoint();
            ep.start();
            eps.add(ep);
            for (int k = 0; k < outstanding; k++) {
                new Object() {
                    void send() {
                        long t0 = System.nanoTime();
                        if (t0 > end) {
                            finished.countDown();
                            return;
                        }
                        Request r = Request.newGet();
                        r.setURI(uri);
                        r.addMessageObserver(new MessageObserverAdapter() {
                            @Override
                            public void onResponse(Response response) {
                                long t1 = System.nanoTime();
                                if (t0 > warmupEnd) {
                                    if (response.getCode() == CoAP.ResponseCode.CONTENT) {
                                        int i = n.getAndIncrement();
                                        if (i < cap) {
                                            lat[i] = t1 - t0;
                                        }
                                        done.incrementAndGet();
                                    } else {
                                        errors.incrementAndGet();
                                    }
                                }
                                send();
                            }

                            @Override
                            public void onTimeout() {
                                errors.incrementAndGet();
                                send();
                            }
                        });
                        ep.sendRequest(r);
                    }
                }.send();
            }
        }
        finished.await(seconds + 30L, TimeUnit.SECONDS);
        int count = Math.min(n.get(), cap);
        System.out.printf("%s: %d clients x %d outstanding CON GET, %d s: %d ok (%.0f req/s), %d errors, %s%n",
                label, clients, outstanding, seconds, done.get(), done.get() / (double) seconds, errors.get(), pct(lat, count));
        eps.forEach(CoapEndpoint::destroy);
    }

    // ------------------------------------------------------------------ Observe fan-out

    static void observe(int observers, int changes) throws Exception {
        FakeHub hub = new FakeHub();
        CoapSettings s = CoapSettings.defaults().withPlain(true, "127.0.0.1", 0).withLimits(ClientLimiter.Limits.NONE);
        CoapUplink up = new CoapUplink(s, hub, HubClock.system());
        up.start();
        String uri = "coap://127.0.0.1:" + up.plainAddress().getPort() + "/devices/bulb";
        int perEndpoint = 5;
        List<CoapEndpoint> eps = new ArrayList<>();
        AtomicInteger[] seen = new AtomicInteger[changes + 1];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = new AtomicInteger();
        }
        long[] allDone = new long[changes + 1];
        CountDownLatch registered = new CountDownLatch(observers);
        for (int o = 0; o < observers; o++) {
            if (o % perEndpoint == 0) {
                CoapEndpoint ep = clientEndpoint();
                ep.start();
                eps.add(ep);
            }
            CoapClient c = new CoapClient(uri);
            c.setEndpoint(eps.get(eps.size() - 1));
            c.observe(new CoapHandler() {
                boolean first = true;

                @Override
                public void onLoad(CoapResponse r) {
                    if (first) {
                        first = false;
                        registered.countDown();
                        return;
                    }
                    int v;
                    try {
                        v = ((Number) io.tetheritall.hub.daemon.uplink.Values.parseJsonObject(r.getPayload()).get("color_temp")).intValue();
                    } catch (Exception e) {
                        return;
                    }
                    int idx = v - 153;
                    if (idx >= 1 && idx <= changes && seen[idx].incrementAndGet() == observers) {
                        allDone[idx] = System.nanoTime();
                    }
                }

                @Override
                public void onError() {
                }
            });
        }
        if (!registered.await(30, TimeUnit.SECONDS)) {
            System.out.printf("observe: only %d of %d observers registered%n", observers - registered.getCount(), observers);
        }
        long[] lat = new long[changes];
        int complete = 0;
        for (int i = 1; i <= changes; i++) {
            long t0 = System.nanoTime();
            hub.report("bulb", "color_temp", 153 + i);
            long deadline = t0 + TimeUnit.SECONDS.toNanos(2);
            while (allDone[i] == 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            }
            if (allDone[i] != 0) {
                lat[complete++] = allDone[i] - t0;
            }
            Thread.sleep(10);
        }
        System.out.printf("observe: %d observers (%d endpoints), %d changes, %d fully delivered; time to last observer: %s%n",
                observers, eps.size(), changes, complete, complete == 0 ? "-" : pct(lat, complete));
        System.out.printf("observe: server metrics %s%n", up.metrics());
        eps.forEach(CoapEndpoint::destroy);
        up.stop();
    }

    // ------------------------------------------------------------------ MQTT publish -> radio

    static void mqttLatency(int seconds, int ratePerSecond) throws Exception {
        if (Mosquitto.binary() == null) {
            System.out.println("mqtt-latency: mosquitto not installed, skipped");
            return;
        }
        try (Mosquitto broker = new Mosquitto()) {
            broker.start();
            FakeHub hub = new FakeHub();
            int total = seconds * ratePerSecond;
            long[] sent = new long[total + 1000];
            long[] lat = new long[total + 1000];
            AtomicInteger received = new AtomicInteger();
            AtomicInteger published = new AtomicInteger();
            hub.onSend(name -> {
                long t = System.nanoTime();
                int i = received.getAndIncrement();
                if (i < lat.length) {
                    lat[i] = t - sent[i];
                }
            });
            MqttSettings ms = MqttSettings.builder("bench").port(broker.port()).qos(0)
                    .clientLimits(ClientLimiter.Limits.NONE).build();
            MqttUplink up = new MqttUplink(ms, hub, new InMemoryOutbox(100_000), HubClock.system());
            up.start();
            while (!up.connected()) {
                Thread.sleep(10);
            }
            Thread.sleep(500);
            Mqtt5AsyncClient user = MqttClient.builder().useMqttVersion5().identifier("bench-user")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            user.connect().get(5, TimeUnit.SECONDS);
            String topic = ms.baseTopic() + "/bulb/set/brightness";
            MqttQos userQos = Boolean.getBoolean("bench.qos1") ? MqttQos.AT_LEAST_ONCE : MqttQos.AT_MOST_ONCE;
            long interval = 1_000_000_000L / ratePerSecond;
            long next = System.nanoTime();
            for (int i = 0; i < total; i++) {
                while (System.nanoTime() < next) {
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                }
                next += interval;
                byte[] payload = Integer.toString(i % 254).getBytes(StandardCharsets.UTF_8);
                sent[published.getAndIncrement()] = System.nanoTime();
                user.publishWith().topic(topic).payload(payload).qos(userQos).send();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.get() < total && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            int n = Math.min(received.get(), total);
            // Skip the first second as warm-up.
            int skip = Math.min(ratePerSecond, n / 2);
            System.out.printf("mqtt-latency: %d msg/s for %d s, QoS " + userQos.getCode() + " /set/brightness -> HubApi.set (the radio hand-off): %d of %d arrived, %s%n",
                    ratePerSecond, seconds, n, total, pct(Arrays.copyOfRange(lat, skip, n), n - skip));
            user.disconnect();
            up.stop();
        }
    }

    // ------------------------------------------------------------------ outbox drain

    static void outboxDrain(int backlog) throws Exception {
        if (Mosquitto.binary() == null) {
            System.out.println("outbox-drain: mosquitto not installed, skipped");
            return;
        }
        try (Mosquitto broker = new Mosquitto()) {
            FakeHub hub = new FakeHub();
            InMemoryOutbox outbox = new InMemoryOutbox(backlog * 2);
            MqttSettings ms = MqttSettings.builder("drain").port(broker.port())
                    .reconnect(Duration.ofMillis(50), Duration.ofMillis(200)).drainBatch(256).build();
            MqttUplink up = new MqttUplink(ms, hub, outbox, HubClock.system());
            up.start(); // broker down: everything queues
            Thread.sleep(200);
            // A 10-minute outage at 20 events/s, plus a state report from 50 devices every 10 s
            // (which supersede each other down to the newest per device).
            int events = backlog;
            for (int i = 0; i < events; i++) {
                hub.fire(new HubEvent(HubEvent.Type.DEVICE_ANNOUNCE, "plug", "0x00124b0000000003", Map.of("n", i)));
                if (i % 4 == 0) {
                    hub.report("bulb", "brightness", i % 254);
                }
            }
            while (up.metrics().outboxAppended() < events + (events + 3) / 4) {
                Thread.sleep(10);
            }
            int queued = outbox.size();
            long t0 = System.nanoTime();
            broker.start();
            while (outbox.size() > 0) {
                Thread.sleep(1);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("outbox-drain: %d queued (%d events + newest states; %d superseded) drained in %.2f s incl. reconnect = %.0f msg/s (QoS 1, batches of 256)%n",
                    queued, events, outbox.superseded(), secs, queued / secs);
            up.stop();
        }
    }
}
