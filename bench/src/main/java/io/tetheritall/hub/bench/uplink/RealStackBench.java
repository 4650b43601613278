package io.tetheritall.hub.bench.uplink;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.tetheritall.hub.daemon.core.CoreConfig;
import io.tetheritall.hub.daemon.core.ZigbeeHub;
import io.tetheritall.hub.daemon.core.api.DeviceView;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.core.registry.JsonFileDeviceRepository;
import io.tetheritall.hub.daemon.uplink.ClientLimiter;
import io.tetheritall.hub.daemon.uplink.FakeHub;
import io.tetheritall.hub.daemon.uplink.Values;
import io.tetheritall.hub.daemon.uplink.coap.CoapSettings;
import io.tetheritall.hub.daemon.uplink.coap.CoapUplink;
import io.tetheritall.hub.daemon.uplink.mqtt.InMemoryOutbox;
import io.tetheritall.hub.daemon.uplink.mqtt.Mosquitto;
import io.tetheritall.hub.daemon.uplink.mqtt.MqttSettings;
import io.tetheritall.hub.daemon.uplink.mqtt.MqttUplink;
import io.tetheritall.hub.daemon.uplink.mqtt.Outbox;
import io.tetheritall.hub.daemon.wiring.StoreOutbox;
import io.tetheritall.hub.drivers.zigbee.definition.DefinitionRegistry;
import io.tetheritall.hub.radios.link.ByteLink;
import io.tetheritall.hub.radios.link.InMemoryLink;
import io.tetheritall.hub.radios.link.LinkState;
import io.tetheritall.hub.radios.scheduler.ScheduledRadio;
import io.tetheritall.hub.radios.scheduler.SchedulerConfig;
import io.tetheritall.hub.radios.time.ExecutorTaskScheduler;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.znp.PropertiesNetworkParamsStore;
import io.tetheritall.hub.radios.znp.ZnpConfig;
import io.tetheritall.hub.radios.znp.ZnpCoordinator;
import io.tetheritall.hub.radios.znp.sim.DeviceKind;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulator;
import io.tetheritall.hub.radios.znp.sim.ZnpSimulatorConfig;
import io.tetheritall.hub.radios.znp.unpi.UnpiDecoder;
import io.tetheritall.hub.radios.znp.unpi.UnpiFrame;
import io.tetheritall.hub.store.StoreClock;
import io.tetheritall.hub.store.StoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.network.CoapEndpoint;

/**
 * The uplink figures through the real stack: mosquitto → {@link MqttUplink} → {@link ZigbeeHub} →
 * {@link ScheduledRadio} → {@link ZnpCoordinator} → in-process {@link ZnpSimulator} over an {@link InMemoryLink}
 * (real time), with a tap on the simulator's end of the link that timestamps every AF_DATA_REQUEST (SREQ 24 01)
 * as it arrives. Usage: {@code RealStackBench mqtt-radio|coap-get|observe|outbox-drain [args]}.
 */
public final class RealStackBench {

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        System.out.printf("cores=%d java=%s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        switch (which) {
            case "mqtt-radio" -> mqttToRadio(arg(args, 1, 1000), arg(args, 2, 50), arg(args, 3, 4));
            case "coap-get" -> coapGet(arg(args, 1, 8), arg(args, 2, 4), arg(args, 3, 8));
            case "observe" -> observe(arg(args, 1, 100), arg(args, 2, 100));
            case "outbox-drain" -> outboxDrain(arg(args, 1, 50), arg(args, 2, 12_000));
            default -> throw new IllegalArgumentException("mqtt-radio|coap-get|observe|outbox-drain");
        }
        System.exit(0);
    }

    private static int arg(String[] a, int i, int d) {
        return a.length > i ? Integer.parseInt(a[i]) : d;
    }

    static String pct(long[] nanos, int n) {
        if (n == 0) {
            return "no samples";
        }
        return UplinkBench.pct(nanos, n);
    }

    // ------------------------------------------------------------------ the rig

    /** A device-end link that timestamps each AF_DATA_REQUEST frame reaching the simulator. */
    static final class TapLink implements ByteLink {
        interface Tap {
            void afDataRequest(long nanos, byte[] data);
        }

        private final ByteLink inner;
        private final Tap tap;

        TapLink(ByteLink inner, Tap tap) {
            this.inner = inner;
            this.tap = tap;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void open(Listener listener) throws IOException {
            UnpiDecoder dec = new UnpiDecoder(f -> {
                if (f.type() == UnpiFrame.SREQ && f.subsystem() == 0x04 && f.command() == 0x01) {
                    tap.afDataRequest(System.nanoTime(), f.data());
                }
            });
            inner.open(new Listener() {
                @Override
                public void onBytes(byte[] buf, int off, int len) {
                    dec.feed(buf, off, len); // the tap sees the frame before the simulator does
                    listener.onBytes(buf, off, len);
                }

                @Override
                public void onState(LinkState state, String reason) {
                    listener.onState(state, reason);
                }
            });
        }

        @Override
        public void write(byte[] data) throws IOException {
            inner.write(data);
        }

        @Override
        public boolean isUp() {
            return inner.isUp();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** Simulator + coordinator + scheduler + hub, in-process, real time. */
    static final class Rig implements AutoCloseable {
        final ZnpSimulator sim;
        final ScheduledRadio radio;
        final ZigbeeHub hub;
        final Path dir;
        io.tetheritall.hub.radios.link.pty.SocatPty pty;

        Rig(int devices, TapLink.Tap tap) throws Exception {
            dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "realstack");
            // -Dbench.pty=true: a socat pty pair and jssc on both ends, the --simulate code path; else in memory.
            ByteLink hostEnd;
            ByteLink deviceEnd;
            if (Boolean.getBoolean("bench.pty")) {
                pty = io.tetheritall.hub.radios.link.pty.SocatPty.start(dir.resolve("pty"));
                hostEnd = new io.tetheritall.hub.radios.link.SerialLink(pty.hostPath().toString(), 115200, false);
                deviceEnd = new io.tetheritall.hub.radios.link.SerialLink(pty.devicePath().toString(), 115200, false);
            } else {
                InMemoryLink[] pair = InMemoryLink.pair("bench-znp");
                hostEnd = pair[0];
                deviceEnd = pair[1];
            }
            System.out.printf("rig: link %s%n", Boolean.getBoolean("bench.pty") ? "socat pty + jssc" : "InMemoryLink");
            List<DeviceKind> pop = new ArrayList<>();
            DeviceKind[] kinds = DeviceKind.values();
            for (int i = 0; i < devices; i++) {
                pop.add(kinds[i % kinds.length]);
            }
            ZnpSimulatorConfig cfg = ZnpSimulatorConfig.builder().seed(7).devices(pop).joinSpacing(Duration.ofMillis(20))
                    .build();
            sim = ZnpSimulator.realTime(cfg, new TapLink(deviceEnd, tap == null ? (t, d) -> { } : tap));
            sim.start();
            ZnpCoordinator coordinator = new ZnpCoordinator(ZnpConfig.defaults("zigbee0"), hostEnd,
                    new PropertiesNetworkParamsStore(dir, "zigbee0"), HubClock.system());
            // Production scheduler defaults, except the per-client bucket (2/s, burst 10 by default): the bench is
            // one client sending a steady stream, which the default would (correctly) refuse.
            SchedulerConfig sc = SchedulerConfig.builder().perClient(10_000, 10_000, 1024).build();
            radio = new ScheduledRadio(coordinator, sc, new ExecutorTaskScheduler("radio-zigbee0"));
            hub = new ZigbeeHub(radio, HubClock.system(), new JsonFileDeviceRepository(dir), DefinitionRegistry.builtIn(),
                    CoreConfig.defaults());
            hub.startTimer(Duration.ofMillis(250));
            radio.start().get(30, TimeUnit.SECONDS);
            hub.permitJoin(Duration.ofSeconds(120), null).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                List<DeviceView> ds = hub.devices();
                if (ds.size() >= devices && ds.stream().allMatch(d -> "SUCCESSFUL".equals(d.interview()))) {
                    break;
                }
                Thread.sleep(100);
            }
            hub.permitJoin(Duration.ZERO, null).get(10, TimeUnit.SECONDS);
            long ok = hub.devices().stream().filter(d -> "SUCCESSFUL".equals(d.interview())).count();
            System.out.printf("rig: %d/%d devices interviewed%n", ok, devices);
        }

        List<DeviceView> bulbs() {
            return hub.devices().stream().filter(d -> d.capabilities().stream().anyMatch(c -> c.name().equals("brightness")))
                    .collect(Collectors.toList());
        }

        @Override
        public void close() {
            hub.close();
            radio.close();
            sim.close();
            if (pty != null) {
                pty.close();
            }
        }
    }

    // ------------------------------------------------------------------ (a) MQTT publish -> radio frame

    static void mqttToRadio(int total, int ratePerSecond, int bulbCount) throws Exception {
        if (Mosquitto.binary() == null) {
            System.out.println("mqtt-radio: mosquitto not installed, skipped");
            return;
        }
        // key (nwk << 8 | level) -> when the AF_DATA_REQUEST carrying it reached the simulator
        Map<Long, Long> arrived = new ConcurrentHashMap<>();
        AtomicLong afFrames = new AtomicLong();
        TapLink.Tap tap = (t, d) -> {
            afFrames.incrementAndGet();
            // AF_DATA_REQUEST: DstAddr(2) DstEp SrcEp Cluster(2) TransId Options Radius Len Data
            if (d.length < 14) {
                return;
            }
            int nwk = (d[0] & 0xFF) | (d[1] & 0xFF) << 8;
            int cluster = (d[4] & 0xFF) | (d[5] & 0xFF) << 8;
            int fc = d[10] & 0xFF;
            if (cluster != 0x0008 || (fc & 0x03) != 0x01 || (fc & 0x04) != 0) {
                return; // not a cluster-specific Level Control command
            }
            int level = d[13] & 0xFF; // ZCL: fc, seq, cmd, level
            arrived.putIfAbsent((long) nwk << 8 | level, t);
        };
        try (Mosquitto broker = new Mosquitto(); Rig rig = new Rig(Math.max(16, bulbCount * 3), tap)) {
            broker.start();
            List<DeviceView> bulbs = rig.bulbs();
            if (bulbs.size() > bulbCount) {
                bulbs = bulbs.subList(0, bulbCount);
            }
            MqttSettings ms = MqttSettings.builder("bench").port(broker.port()).qos(1)
                    .clientLimits(ClientLimiter.Limits.NONE).build();
            MqttUplink up = new MqttUplink(ms, rig.hub, new InMemoryOutbox(100_000), HubClock.system());
            up.start();
            while (!up.connected()) {
                Thread.sleep(10);
            }
            Thread.sleep(1000);
            Mqtt5AsyncClient user = MqttClient.builder().useMqttVersion5().identifier("bench-user")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
            user.connect().get(5, TimeUnit.SECONDS);
            int b = bulbs.size();
            if ((long) total > 250L * b) {
                throw new IllegalArgumentException("at most 250 commands per bulb keep (bulb, level) unique");
            }
            arrived.clear(); // nothing from the interview counts
            long[] sent = new long[total];
            long[] keys = new long[total];
            long interval = 1_000_000_000L / ratePerSecond;
            long next = System.nanoTime();
            long afBefore = afFrames.get();
            for (int i = 0; i < total; i++) {
                while (System.nanoTime() < next) {
                    LockSupport.parkNanos(100_000);
                }
                next += interval;
                DeviceView d = bulbs.get(i % b);
                int level = 1 + (i / b) % 250; // unique per bulb for up to 250 x bulbs commands
                keys[i] = (long) d.nwk() << 8 | level;
                sent[i] = System.nanoTime();
                user.publishWith().topic(ms.baseTopic() + "/" + d.friendlyName() + "/set")
                        .payload(("{\"brightness\":" + level + "}").getBytes(StandardCharsets.UTF_8))
                        .qos(MqttQos.AT_LEAST_ONCE).send();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline && Arrays.stream(keys).filter(k -> !arrived.containsKey(k)).count() > 0) {
                Thread.sleep(50);
            }
            long[] lat = new long[total];
            int n = 0;
            for (int i = 0; i < total; i++) {
                Long t = arrived.get(keys[i]);
                if (t != null) {
                    lat[n++] = t - sent[i];
                }
            }
            System.out.printf("mqtt-radio: %d commands at %d/s (QoS 1 publish) round robin over %d bulbs; %d reached the "
                            + "simulator as AF_DATA_REQUEST (%d AF frames in total); publish -> frame at simulator: %s%n",
                    total, ratePerSecond, b, n, afFrames.get() - afBefore, pct(lat, n));
            System.out.printf("mqtt-radio: uplink %s%n", up.metrics());
            user.disconnect();
            up.stop();
        }
        // Reference, same run: the same publish rate into the FakeHub (publish -> HubApi.set, no radio).
        UplinkBench.mqttLatency(Math.max(1, total / ratePerSecond), ratePerSecond);
    }

    // ------------------------------------------------------------------ (b) CoAP GET, real hub vs fake hub

    static void coapGet(int seconds, int clients, int outstanding) throws Exception {
        try (Rig rig = new Rig(16, null)) {
            String bulb = rig.bulbs().get(0).friendlyName();
            CoapSettings s = CoapSettings.defaults().withPlain(true, "127.0.0.1", 0).withLimits(ClientLimiter.Limits.NONE);
            for (int round = 1; round <= 2; round++) {
                UplinkBench.coapGet(seconds, clients, outstanding); // FakeHub reference
                CoapUplink up = new CoapUplink(s, rig.hub, HubClock.system());
                up.start();
                UplinkBench.coapLoad("coap-get (real ZigbeeHub, 16 simulated devices, round " + round + ")",
                        "coap://127.0.0.1:" + up.plainAddress().getPort() + "/devices/" + bulb, seconds, clients, outstanding);
                if (round == 2) {
                    libcoap("coap://127.0.0.1:" + up.plainAddress().getPort() + "/devices/" + bulb, 4, 100);
                }
                up.stop();
            }
        }
    }

    /** libcoap's coap-client, one process per GET (it has no load mode): mostly measures process start. */
    static void libcoap(String uri, int workers, int perWorker) throws Exception {
        Path bin = Path.of("/usr/bin/coap-client-notls");
        if (!Files.isExecutable(bin)) {
            System.out.println("libcoap: coap-client-notls not installed, skipped");
            return;
        }
        long[] lat = new long[workers * perWorker];
        AtomicInteger n = new AtomicInteger();
        AtomicInteger bad = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < perWorker; i++) {
                    long a = System.nanoTime();
                    try {
                        Process p = new ProcessBuilder(bin.toString(), "-B", "3", "-m", "get", uri)
                                .redirectErrorStream(true).start();
                        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        if (p.waitFor() != 0 || !out.contains("\"brightness\"")) {
                            bad.incrementAndGet();
                            continue;
                        }
                    } catch (Exception e) {
                        bad.incrementAndGet();
                        continue;
                    }
                    lat[n.getAndIncrement()] = System.nanoTime() - a;
                }
            }, "libcoap-" + w);
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) {
            t.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("libcoap coap-client-notls -B 3 (one process per CON GET), %d parallel x %d: %d ok, %d bad, "
                + "%.0f req/s; per invocation incl. process start: %s%n", workers, perWorker, n.get(), bad.get(),
                n.get() / secs, pct(lat, n.get()));
    }

    // ------------------------------------------------------------------ (c) Observe fan-out on the real hub

    static void observe(int observers, int changes) throws Exception {
        try (Rig rig = new Rig(8, null)) {
            DeviceView bulb = rig.bulbs().get(0);
            CoapSettings s = CoapSettings.defaults().withPlain(true, "127.0.0.1", 0).withLimits(ClientLimiter.Limits.NONE);
            CoapUplink up = new CoapUplink(s, rig.hub, HubClock.system());
            up.start();
            String uri = "coap://127.0.0.1:" + up.plainAddress().getPort() + "/devices/" + bulb.friendlyName();
            long[] stateAt = new long[256];
            AutoCloseable sub = rig.hub.subscribe(e -> {
                if (e.type() == HubEvent.Type.STATE && bulb.friendlyName().equals(e.device())
                        && e.data().get("brightness") instanceof Number v && v.intValue() > 0 && v.intValue() < 256
                        && stateAt[v.intValue()] == 0) {
                    stateAt[v.intValue()] = System.nanoTime();
                }
            });
            AtomicInteger[] seen = new AtomicInteger[256];
            long[] allDone = new long[256];
            for (int i = 0; i < seen.length; i++) {
                seen[i] = new AtomicInteger();
            }
            List<CoapEndpoint> eps = new ArrayList<>();
            CountDownLatch registered = new CountDownLatch(observers);
            for (int o = 0; o < observers; o++) {
                if (o % 5 == 0) {
                    CoapEndpoint ep = UplinkBench.clientEndpoint();
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
                        try {
                            Object v = Values.parseJsonObject(r.getPayload()).get("brightness");
                            if (v instanceof Number n && n.intValue() > 0 && n.intValue() < 256
                                    && seen[n.intValue()].incrementAndGet() == observers) {
                                allDone[n.intValue()] = System.nanoTime();
                            }
                        } catch (Exception e) {
                            // not ours
                        }
                    }

                    @Override
                    public void onError() {
                    }
                });
            }
            registered.await(30, TimeUnit.SECONDS);
            int total = Math.min(changes, 250);
            long[] fromSet = new long[total];
            long[] fromEvent = new long[total];
            int complete = 0;
            for (int i = 1; i <= total; i++) {
                long t0 = System.nanoTime();
                rig.hub.set(bulb.friendlyName(), Map.of("brightness", i), "bench").get(10, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (allDone[i] == 0 && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(50_000);
                }
                if (allDone[i] != 0) {
                    fromSet[complete] = allDone[i] - t0;
                    fromEvent[complete] = stateAt[i] == 0 ? 0 : allDone[i] - stateAt[i];
                    complete++;
                }
                Thread.sleep(20);
            }
            System.out.printf("observe (real hub): %d observers (%d endpoints, NON notifications), %d changes via HubApi.set, "
                            + "%d reached every observer; HubEvent.STATE -> last observer: %s; set() call -> last observer: %s%n",
                    observers, eps.size(), total, complete, pct(fromEvent, complete), pct(fromSet, complete));
            System.out.printf("observe: server metrics %s%n", up.metrics());
            sub.close();
            eps.forEach(CoapEndpoint::destroy);
            up.stop();
        }
        UplinkBench.observe(observers, Math.min(changes, 200)); // FakeHub reference, same run
    }

    // ------------------------------------------------------------------ (d) outbox drain, MapDB vs in-memory

    static void outboxDrain(int devices, int events) throws Exception {
        if (Mosquitto.binary() == null) {
            System.out.println("outbox-drain: mosquitto not installed, skipped");
            return;
        }
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "drain");
        io.tetheritall.hub.store.outbox.Outbox store = io.tetheritall.hub.store.outbox.Outbox.open(StoreConfig.builder().stateDir(dir)
                .outboxMaxCount(100_000).outboxMaxBytes(64L << 20).build(), StoreClock.system());
        try {
            drain("MapDB StoreOutbox", new StoreOutbox(store), devices, events);
        } finally {
            store.close();
        }
        drain("InMemoryOutbox (reference)", new InMemoryOutbox(100_000), devices, events);
    }

    /**
     * The backlog of a 10-minute outage on a hub with {@code devices} devices: a state report every 10 s per device
     * (60 each, superseded down to the newest) interleaved with {@code events} events, appended the way the uplink
     * appends them (same kinds, keys, topics, QoS 1, retained state).
     */
    private static void drain(String label, Outbox outbox, int devices, int events) throws Exception {
        try (Mosquitto broker = new Mosquitto()) {
            int states = devices * 60;
            int totalAppends = states + events;
            long a0 = System.nanoTime();
            int s = 0;
            int e = 0;
            for (int i = 0; i < totalAppends; i++) {
                // interleave proportionally, as time would
                if ((long) s * totalAppends <= (long) i * states && s < states) {
                    int dev = s % devices;
                    outbox.append("state", "state:dev" + dev, "drain/dev" + dev,
                            ("{\"temperature\":" + (20 + s % 7) + ",\"humidity\":" + (40 + s % 13) + ",\"linkquality\":"
                                    + (100 + s % 50) + "}").getBytes(StandardCharsets.UTF_8), 1, true);
                    s++;
                } else {
                    outbox.append("event", null, "drain/bridge/event",
                            ("{\"type\":\"device_announce\",\"data\":{\"friendly_name\":\"dev" + (e % devices)
                                    + "\",\"n\":" + e + "}}").getBytes(StandardCharsets.UTF_8), 1, false);
                    e++;
                }
            }
            double appendSecs = (System.nanoTime() - a0) / 1e9;
            int queued = outbox.size();
            MqttSettings ms = MqttSettings.builder("drain").port(broker.port()).baseTopic("drain")
                    .reconnect(Duration.ofMillis(50), Duration.ofMillis(100)).drainBatch(256).build();
            MqttUplink up = new MqttUplink(ms, new FakeHub(), outbox, HubClock.system());
            up.start(); // broker still down
            Thread.sleep(300);
            long t0 = System.nanoTime();
            broker.start();
            long connectedAt = 0;
            while (outbox.size() > 0 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(120)) {
                if (connectedAt == 0 && up.connected()) {
                    connectedAt = System.nanoTime();
                }
                Thread.sleep(1);
            }
            long t1 = System.nanoTime();
            Thread.sleep(300); // the drained counter is added just after the ack that empties the queue
            if (connectedAt == 0) {
                connectedAt = t1;
            }
            double all = (t1 - t0) / 1e9;
            double afterConnect = (t1 - connectedAt) / 1e9;
            System.out.printf("outbox-drain [%s]: %d appends (%d states of %d devices + %d events) in %.2f s (%.0f/s); "
                            + "%d queued after supersede; drained in %.2f s incl. broker start + reconnect (%.0f msg/s), "
                            + "%.2f s after connect (%.0f msg/s); QoS 1, batches of 256; left %d; drained metric %d%n",
                    label, totalAppends, states, devices, events, appendSecs, totalAppends / appendSecs, queued, all,
                    queued / all, afterConnect, afterConnect > 0 ? queued / afterConnect : 0.0, outbox.size(),
                    up.metrics().drained());
            up.stop();
        }
    }
}
