package io.tetheritall.hub.daemon.uplink.mqtt;

import io.tetheritall.hub.daemon.core.api.CapabilityView;
import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.CommandException;
import io.tetheritall.hub.daemon.core.api.DeviceView;
import io.tetheritall.hub.daemon.core.api.GroupView;
import io.tetheritall.hub.daemon.core.api.HubApi;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.uplink.ClientLimiter;
import io.tetheritall.hub.daemon.uplink.Errors;
import io.tetheritall.hub.daemon.uplink.Names;
import io.tetheritall.hub.radios.scheduler.TokenBucket;
import io.tetheritall.hub.daemon.uplink.Values;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.NamedThreadFactory;
import org.tinylog.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The MQTT uplink: Zigbee2MQTT-style topics on top of {@link HubApi}.
 *
 * <h2>Topics (under {@code <base>}, default {@code tetheritall/<hub id>})</h2>
 * <ul>
 *   <li>{@code <base>/<friendly name>}: full state JSON (retained if configured)</li>
 *   <li>{@code <base>/<name>/set} (JSON object), {@code <base>/<name>/set/<capability>} (plain value),
 *       also for a group name,
 *       {@code <base>/<name>/get} ({@code {"state":""}}), {@code <base>/<name>/get/<capability>}</li>
 *   <li>{@code <base>/<name>/availability}: {@code {"state":"online"|"offline"}} retained</li>
 *   <li>{@code bridge/state} ({@code online}, last will {@code offline}, retained), {@code bridge/info},
 *       {@code bridge/devices}, {@code bridge/groups} (retained), {@code bridge/event}, {@code bridge/health}</li>
 *   <li>{@code bridge/request/<name>} answered on {@code bridge/response/<name>} with
 *       {@code {status, data, error, transaction}}, or on the MQTT 5 response topic with the
 *       correlation data when the request carries one. Errors of {@code /set} and {@code /get} are
 *       answered the same way on {@code bridge/response/device/set} and {@code .../device/get}.</li>
 * </ul>
 *
 * <h2>Threading and store-and-forward</h2>
 * Every outgoing message is decided on one named thread ({@code mqtt-uplink}): it goes straight to
 * the broker when connected, the outbox is empty and the optional publish rate limit has a token;
 * otherwise it is appended to the {@link Outbox} (newest state per device superseding the older)
 * and the outbox is drained in order, batch by batch, each batch acknowledged to the outbox only
 * after the broker accepted it. On every connect the uplink publishes a snapshot (bridge info,
 * devices, groups, and each device's availability and state), behind what waits in the outbox; a device whose
 * state or availability still waits in the outbox is left out of it, so its newest state goes out
 * once, from the outbox, in the position of its latest change. Incoming commands are parsed on the
 * client's threads and handed to the non-blocking {@link HubApi}; nothing waits on a radio, and a
 * command the hub cannot serve now (radio down, breaker open, rate limited) is answered at once
 * with the reason.
 */
public final class MqttUplink implements AutoCloseable {

    /** A point-in-time view of the uplink's counters. */
    public record Metrics(boolean connected, String protocol, long published, long publishFailures,
                          long queued, long outboxAppended, long outboxRefused, long drained, long received,
                          long droppedTopics, long badPayloads, long commandsOk, long commandsFailed,
                          long rateLimited, long responsesDropped, long connects, long disconnects) {
    }

    private static final String ONLINE = "online";
    private static final String OFFLINE = "offline";
    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(60);

    private final MqttSettings settings;
    private final HubApi hub;
    private final Outbox outbox;
    private final String base;
    private final ClientLimiter limiter;
    private final TokenBucket publishBucket;
    private final ScheduledExecutorService exec;

    // Confined to the exec thread.
    private MqttTransport transport;
    private boolean connected;
    private boolean subscribed;
    private boolean draining;
    private boolean drainScheduled;
    private long drainGen;
    private long emitSeq;
    private long connectFailures;
    private boolean stopped;
    private final Map<String, Long> latestSeqByKey = new HashMap<>();
    private final Map<String, List<String>> haTopicsByIeee = new HashMap<>();

    private volatile String protocol = "-";
    private volatile boolean connectedFlag;
    private AutoCloseable hubSubscription;
    private ScheduledFuture<?> healthTask;

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong drained = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong droppedTopics = new AtomicLong();
    private final AtomicLong badPayloads = new AtomicLong();
    private final AtomicLong commandsOk = new AtomicLong();
    private final AtomicLong commandsFailed = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong responsesDropped = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();

    private final Map<String, Function<Map<String, Object>, CompletableFuture<Object>>> requests = new HashMap<>();

    /** Runs {@code r} on the uplink thread; after {@link #stop()} silently drops it (callers are other threads). */
    private void run(Runnable r) {
        try {
            exec.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            Logger.debug("mqtt: stopped, dropped a task");
        }
    }

    public MqttUplink(MqttSettings settings, HubApi hub, Outbox outbox, HubClock clock) {
        this.settings = settings;
        this.hub = hub;
        this.outbox = outbox;
        this.base = settings.baseTopic();
        this.limiter = new ClientLimiter(clock, settings.clientLimits(), 1024);
        this.publishBucket = settings.publishRatePerSecond() > 0
                ? new TokenBucket(clock, settings.publishRatePerSecond(), Math.max(1, settings.publishBurst()))
                : null;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("mqtt-uplink"));
        ex.setRemoveOnCancelPolicy(true);
        this.exec = ex;
        registerRequests();
    }

    /** Starts connecting in the background and returns; the uplink reconnects by itself until {@link #stop()}. */
    public void start() {
        // Subscribe before returning: a hub event fired right after start() (a device report while the broker is
        // still being dialled) must be queued, not missed. The listener only hands the event to our thread, which
        // runs it after the start task below.
        hubSubscription = hub.subscribe(e -> run(() -> onHubEvent(e)));
        run(() -> {
            boolean v5 = settings.protocol() != MqttSettings.Protocol.V3;
            try {
                startTransport(v5);
            } catch (RuntimeException e) {
                // A task's exception would vanish into the executor: say it, loudly.
                Logger.error(e, "mqtt: cannot start: {}", e.getMessage());
                return;
            }
            long h = HEALTH_INTERVAL.toMillis();
            healthTask = exec.scheduleWithFixedDelay(this::publishHealth, h, h, TimeUnit.MILLISECONDS);
        });
    }

    /** Publishes {@code offline}, disconnects cleanly and stops. Queued messages stay in the outbox. */
    public void stop() {
        if (exec.isShutdown()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> {
            stopped = true;
            if (healthTask != null) {
                healthTask.cancel(false);
            }
            closeQuietly(hubSubscription);
            MqttTransport t = transport;
            if (t == null) {
                done.complete(null);
                return;
            }
            CompletableFuture<Void> off = connected
                    ? t.publish(base + "/bridge/state", bytes(OFFLINE), 1, true, null)
                    : CompletableFuture.completedFuture(null);
            off.orTimeout(2, TimeUnit.SECONDS).handle((v, e) -> null)
                    .thenCompose(v -> t.stop()).orTimeout(3, TimeUnit.SECONDS)
                    .whenComplete((v, e) -> done.complete(null));
        });
        try {
            done.get(6, TimeUnit.SECONDS);
        } catch (Exception e) {
            Logger.warn("mqtt: clean stop did not finish: {}", e.toString());
        }
        exec.shutdownNow();
        connectedFlag = false;
    }

    @Override
    public void close() {
        stop();
    }

    /** True while connected to the broker. */
    public boolean connected() {
        return connectedFlag;
    }

    public Metrics metrics() {
        return new Metrics(connectedFlag, protocol, published.get(), publishFailures.get(), outbox.size(),
                appended.get(), refused.get(), drained.get(), received.get(), droppedTopics.get(),
                badPayloads.get(), commandsOk.get(), commandsFailed.get(), rateLimited.get(),
                responsesDropped.get(), connects.get(), disconnects.get());
    }

    public MqttSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- connection

    private void startTransport(boolean v5) {
        subscribed = false;
        transport = HiveTransports.create(settings, v5, base + "/bridge/state", new MqttTransport.Listener() {
            @Override
            public void connected() {
                run(MqttUplink.this::onConnected);
            }

            @Override
            public void disconnected(Throwable cause, boolean wrongProtocol) {
                run(() -> onDisconnected(cause, wrongProtocol));
            }

            @Override
            public void message(MqttTransport.Inbound m) {
                onMessage(m);
            }
        });
        protocol = transport.protocol();
        Logger.info("mqtt: connecting to {}:{} with MQTT {} as {}, base topic {}", settings.host(), settings.port(),
                protocol, settings.clientId(), base);
        transport.start();
    }

    private void onConnected() {
        if (stopped) {
            return;
        }
        connected = true;
        connectedFlag = true;
        connectFailures = 0;
        connects.incrementAndGet();
        Logger.info("mqtt: connected (MQTT {}), {} messages waiting in the outbox", protocol, outbox.size());
        if (!subscribed) {
            List<String> filters = new ArrayList<>();
            filters.add(base + "/#");
            if (settings.homeAssistant()) {
                filters.add(settings.haStatusTopic());
            }
            transport.subscribe(filters).whenComplete((v, t) -> {
                if (t != null) {
                    Logger.error("mqtt: subscribe failed: {}", t.toString());
                }
            });
            subscribed = true;
        }
        // bridge/state first and outside the outbox: it describes this connection, not history.
        publishDirect(base + "/bridge/state", bytes(ONLINE), 1, true, null);
        publishSnapshot();
        drain();
    }

    private void onDisconnected(Throwable cause, boolean wrongProtocol) {
        boolean was = connected;
        connected = false;
        connectedFlag = false;
        // An in-flight batch is not acknowledged: it stays in the outbox and goes out again after reconnect.
        draining = false;
        drainGen++;
        if (was) {
            disconnects.incrementAndGet();
            Logger.warn("mqtt: disconnected: {}", cause == null ? "?" : cause.toString());
        } else {
            // Say why at the first failure and then ever more rarely, so an outage does not flood the log.
            long n = ++connectFailures;
            if ((n & (n - 1)) == 0) {
                Logger.warn("mqtt: connect to {}:{} failed (attempt {}): {}", settings.host(), settings.port(), n,
                        cause == null ? "?" : cause.toString());
            }
        }
        if (wrongProtocol && !stopped) {
            Logger.warn("mqtt: broker refused MQTT 5 ({}), falling back to MQTT 3.1.1", String.valueOf(cause));
            MqttTransport old = transport;
            old.stop();
            startTransport(false);
        }
    }

    // ---------------------------------------------------------------- outgoing

    /** Queues or publishes one message; callable from any thread. */
    private void emit(String kind, String key, String topic, Object payload, boolean retain) {
        byte[] p = payload instanceof byte[] b ? b : payload instanceof String s ? bytes(s) : Values.json(payload);
        run(() -> emitNow(kind, key, topic, p, settings.qos(), retain));
    }

    private void emitNow(String kind, String key, String topic, byte[] payload, int qos, boolean retain) {
        long seq = ++emitSeq;
        if (key != null) {
            latestSeqByKey.put(key, seq);
        }
        if (connected && !draining && outbox.size() == 0 && (publishBucket == null || publishBucket.tryTake() == 0)) {
            transport.publish(topic, payload, qos, retain, null).whenComplete((v, t) -> {
                if (t == null) {
                    published.incrementAndGet();
                } else {
                    publishFailures.incrementAndGet();
                    run(() -> {
                        // Re-queue unless something newer for the same key was emitted since: an old
                        // retained state must not overwrite a newer one.
                        if (key == null || latestSeqByKey.getOrDefault(key, seq) <= seq) {
                            queue(kind, key, topic, payload, qos, retain);
                        }
                        scheduleDrain(settings.reconnectInitialDelay().toMillis());
                    });
                }
            });
        } else {
            queue(kind, key, topic, payload, qos, retain);
            scheduleDrain(0);
        }
    }

    private void queue(String kind, String key, String topic, byte[] payload, int qos, boolean retain) {
        long id = outbox.append(kind, key, topic, payload, qos, retain);
        if (id < 0) {
            refused.incrementAndGet();
            Logger.warn("mqtt: outbox full ({} messages), dropped {} for {}", outbox.size(), kind, topic);
        } else {
            appended.incrementAndGet();
        }
    }

    private void publishDirect(String topic, byte[] payload, int qos, boolean retain, byte[] correlation) {
        transport.publish(topic, payload, qos, retain, correlation).whenComplete((v, t) -> {
            if (t == null) {
                published.incrementAndGet();
            } else {
                publishFailures.incrementAndGet();
                Logger.warn("mqtt: publish to {} failed: {}", topic, t.toString());
            }
        });
    }

    private void scheduleDrain(long delayMillis) {
        if (drainScheduled || stopped) {
            return;
        }
        drainScheduled = true;
        if (delayMillis <= 0) {
            run(this::drainNow);
        } else {
            exec.schedule(this::drainNow, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void drainNow() {
        drainScheduled = false;
        drain();
    }

    private void drain() {
        if (!connected || draining || stopped) {
            return;
        }
        List<Outbox.Entry> batch = outbox.peekBatch(settings.drainBatch());
        if (batch.isEmpty()) {
            return;
        }
        int n = batch.size();
        if (publishBucket != null) {
            n = 0;
            long wait = 0;
            for (int i = 0; i < batch.size(); i++) {
                wait = publishBucket.tryTake();
                if (wait != 0) {
                    break;
                }
                n++;
            }
            if (n == 0) {
                scheduleDrain(Math.max(1, wait / 1_000_000));
                return;
            }
        }
        draining = true;
        long gen = ++drainGen;
        List<CompletableFuture<Void>> fs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Outbox.Entry e = batch.get(i);
            fs.add(transport.publish(e.topic(), e.payload(), e.qos(), e.retain(), null));
        }
        List<Outbox.Entry> sent = batch.subList(0, n);
        ScheduledFuture<?> timeout = exec.schedule(() -> drainDone(gen, sent, fs), 30, TimeUnit.SECONDS);
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> run(() -> {
            timeout.cancel(false);
            drainDone(gen, sent, fs);
        }));
    }

    private void drainDone(long gen, List<Outbox.Entry> batch, List<CompletableFuture<Void>> fs) {
        if (gen != drainGen || !draining) {
            return;
        }
        draining = false;
        long ackId = -1;
        int ok = 0;
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<Void> f = fs.get(i);
            if (!f.isDone() || f.isCompletedExceptionally()) {
                break;
            }
            ackId = batch.get(i).id();
            ok++;
        }
        if (ackId >= 0) {
            outbox.ack(ackId);
        }
        drained.addAndGet(ok);
        published.addAndGet(ok);
        if (ok < batch.size()) {
            publishFailures.addAndGet(batch.size() - ok);
            Logger.warn("mqtt: outbox drain: {} of {} accepted, retrying", ok, batch.size());
            scheduleDrain(settings.reconnectInitialDelay().toMillis());
        } else {
            drain();
        }
    }

    private void publishSnapshot() {
        emitNow("bridge", "bridge/info", base + "/bridge/info", Values.json(bridgeInfo()), settings.qos(), true);
        emitNow("bridge", "bridge/devices", base + "/bridge/devices", Values.json(bridgeDevices()), settings.qos(), true);
        emitNow("bridge", "bridge/groups", base + "/bridge/groups", Values.json(bridgeGroups()), settings.qos(), true);
        // A device whose newest state (or availability) still waits in the outbox gets it from there, once, in
        // the position of its change, ahead of the events that came after it: the snapshot adds no copy. (Its
        // copy would supersede the queued one and move it behind those events, and after a crash it could be
        // older: the outbox commits each message, the core's state is persisted debounced.) Everything else
        // gets the snapshot's copy, so each device's newest state goes out once per connect.
        java.util.Set<String> queued = outbox.size() == 0 ? java.util.Set.of() : outbox.queuedKeys();
        for (DeviceView d : hub.devices()) {
            String availability = "availability:" + d.friendlyName();
            if (!queued.contains(availability)) {
                emitNow("availability", availability, base + "/" + d.friendlyName() + "/availability",
                        Values.json(Map.of("state", d.available() ? ONLINE : OFFLINE)), settings.qos(), true);
            }
            String state = "state:" + d.friendlyName();
            if (!d.state().isEmpty() && !queued.contains(state)) {
                emitNow("state", state, base + "/" + d.friendlyName(), Values.json(d.state()), settings.qos(),
                        retainFor(d));
            }
        }
        if (settings.homeAssistant()) {
            publishDiscoveryAll();
        }
    }

    private void publishDiscoveryAll() {
        for (DeviceView d : hub.devices()) {
            List<String> topics = new ArrayList<>();
            for (HaDiscovery.Config c : HaDiscovery.configs(settings.haDiscoveryPrefix(), base, d)) {
                emitNow("discovery", "ha:" + c.topic(), c.topic(), Values.json(c.payload()), settings.qos(), true);
                topics.add(c.topic());
            }
            haTopicsByIeee.put(d.ieee(), topics);
        }
    }

    private void publishHealth() {
        if (stopped) {
            return;
        }
        Map<String, Object> h = new LinkedHashMap<>(safeHealth());
        h.put("mqtt", metrics());
        emitNow("health", "bridge/health", base + "/bridge/health", Values.json(h), settings.qos(), false);
    }

    private Map<String, Object> safeHealth() {
        try {
            return hub.health();
        } catch (RuntimeException e) {
            return Map.of("error", e.toString());
        }
    }

    private boolean retainFor(DeviceView d) {
        Object r = d.options() == null ? null : d.options().get("retain");
        return r instanceof Boolean b ? b : settings.retainState();
    }

    private void onHubEvent(HubEvent e) {
        if (stopped) {
            return;
        }
        try {
            switch (e.type()) {
                case STATE -> {
                    boolean retain = hub.device(e.device()).map(this::retainFor).orElse(settings.retainState());
                    emitNow("state", "state:" + e.device(), base + "/" + e.device(), Values.json(e.data()),
                            settings.qos(), retain);
                }
                case AVAILABILITY -> {
                    boolean up = Boolean.TRUE.equals(e.data().get("available"));
                    emitNow("availability", "availability:" + e.device(), base + "/" + e.device() + "/availability",
                            Values.json(Map.of("state", up ? ONLINE : OFFLINE)), settings.qos(), true);
                }
                case DEVICES_CHANGED -> {
                    emitNow("bridge", "bridge/devices", base + "/bridge/devices", Values.json(bridgeDevices()),
                            settings.qos(), true);
                    if (settings.homeAssistant()) {
                        publishDiscoveryAll();
                    }
                }
                case GROUPS_CHANGED -> emitNow("bridge", "bridge/groups", base + "/bridge/groups",
                        Values.json(bridgeGroups()), settings.qos(), true);
                case DEVICE_RENAMED -> {
                    Object from = e.data() == null ? null : e.data().get("from");
                    if (from instanceof String f) {
                        clearDeviceTopics(f);
                    }
                    hub.device(e.device()).ifPresent(d -> {
                        emitNow("state", "state:" + d.friendlyName(), base + "/" + d.friendlyName(),
                                Values.json(d.state()), settings.qos(), retainFor(d));
                        emitNow("availability", "availability:" + d.friendlyName(),
                                base + "/" + d.friendlyName() + "/availability",
                                Values.json(Map.of("state", d.available() ? ONLINE : OFFLINE)), settings.qos(), true);
                    });
                    bridgeEvent(e);
                }
                case DEVICE_REMOVED -> {
                    if (e.device() != null) {
                        clearDeviceTopics(e.device());
                    }
                    List<String> ha = e.ieee() == null ? null : haTopicsByIeee.remove(e.ieee());
                    if (ha != null) {
                        for (String t : ha) {
                            emitNow("discovery", "ha:" + t, t, new byte[0], settings.qos(), true);
                        }
                    }
                    bridgeEvent(e);
                }
                case PERMIT_JOIN -> {
                    bridgeEvent(e);
                    emitNow("bridge", "bridge/info", base + "/bridge/info", Values.json(bridgeInfo()), settings.qos(), true);
                }
                case RADIO_STATE -> {
                    bridgeEvent(e);
                    publishHealth();
                }
                default -> bridgeEvent(e);
            }
        } catch (RuntimeException ex) {
            Logger.error(ex, "mqtt: cannot publish hub event {}", e);
        }
    }

    private void clearDeviceTopics(String name) {
        // An empty retained message deletes the retained state (MQTT 5 §3.3.1.3).
        emitNow("state", "state:" + name, base + "/" + name, new byte[0], settings.qos(), true);
        emitNow("availability", "availability:" + name, base + "/" + name + "/availability", new byte[0],
                settings.qos(), true);
    }

    private void bridgeEvent(HubEvent e) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (e.device() != null) {
            data.put("friendly_name", e.device());
        }
        if (e.ieee() != null) {
            data.put("ieee_address", e.ieee());
        }
        if (e.data() != null) {
            data.putAll(e.data());
        }
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("type", e.type().name().toLowerCase());
        msg.put("data", data);
        emitNow("event", null, base + "/bridge/event", Values.json(msg), settings.qos(), false);
    }

    private Map<String, Object> bridgeInfo() {
        Map<String, Object> info = new LinkedHashMap<>();
        try {
            info.putAll(hub.info());
        } catch (RuntimeException e) {
            info.put("error", e.toString());
        }
        Map<String, Object> mqtt = new LinkedHashMap<>();
        mqtt.put("base_topic", base);
        mqtt.put("protocol", protocol);
        mqtt.put("server", settings.host() + ":" + settings.port());
        mqtt.put("homeassistant", settings.homeAssistant());
        info.put("mqtt", mqtt);
        return info;
    }

    private List<Object> bridgeDevices() {
        List<Object> out = new ArrayList<>();
        for (DeviceView d : hub.devices()) {
            out.add(describe(d));
        }
        return out;
    }

    /** A device in bridge/devices, shaped like Zigbee2MQTT's (exposes with access bits 1 state, 2 set, 4 get). */
    static Map<String, Object> describe(DeviceView d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ieee_address", d.ieee());
        m.put("friendly_name", d.friendlyName());
        m.put("network_address", d.nwk());
        m.put("type", d.type());
        m.put("manufacturer", d.manufacturer());
        m.put("model_id", d.model());
        m.put("power_source", d.powerSource());
        m.put("interview_state", d.interview());
        m.put("interview_completed", "SUCCESSFUL".equals(d.interview()));
        m.put("supported", !"generic".equals(d.definition()));
        List<Object> exposes = new ArrayList<>();
        for (CapabilityView c : d.capabilities()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("type", c.kind());
            x.put("name", c.name());
            x.put("property", c.name());
            x.put("access", (c.reported() || c.readable() ? 1 : 0) | (c.settable() ? 2 : 0) | (c.readable() ? 4 : 0));
            if (c.unit() != null) {
                x.put("unit", c.unit());
            }
            if (c.min() != null) {
                x.put("value_min", c.min());
            }
            if (c.max() != null) {
                x.put("value_max", c.max());
            }
            if (c.values() != null && !c.values().isEmpty()) {
                x.put("values", c.values());
            }
            x.put("endpoint", c.endpoint());
            exposes.add(x);
        }
        Map<String, Object> def = new LinkedHashMap<>();
        def.put("description", d.definition());
        def.put("model", d.model());
        def.put("vendor", d.manufacturer());
        def.put("exposes", exposes);
        m.put("definition", def);
        m.put("options", d.options());
        return m;
    }

    private List<Object> bridgeGroups() {
        List<Object> out = new ArrayList<>();
        for (GroupView g : hub.groups()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", g.groupId());
            m.put("friendly_name", g.name());
            List<Object> members = new ArrayList<>();
            for (String mem : g.members()) {
                int slash = mem.lastIndexOf('/');
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("ieee_address", slash < 0 ? mem : mem.substring(0, slash));
                x.put("endpoint", slash < 0 ? 1 : parseIntOr(mem.substring(slash + 1), 1));
                members.add(x);
            }
            m.put("members", members);
            out.add(m);
        }
        return out;
    }

    // ---------------------------------------------------------------- incoming

    private void onMessage(MqttTransport.Inbound m) {
        received.incrementAndGet();
        String topic = m.topic();
        String odd = Names.oddCharacter(topic);
        if (odd != null) {
            droppedTopics.incrementAndGet();
            Logger.warn("mqtt: dropped message on a topic with {}", odd);
            return;
        }
        if (settings.homeAssistant() && topic.equals(settings.haStatusTopic())) {
            if ("online".equalsIgnoreCase(new String(m.payload(), StandardCharsets.UTF_8).trim())) {
                Logger.info("mqtt: Home Assistant is back online, republishing discovery");
                run(this::publishDiscoveryAll);
            }
            return;
        }
        if (!topic.startsWith(base + "/")) {
            return;
        }
        String rel = topic.substring(base.length() + 1);
        boolean command = rel.startsWith("bridge/request/") || rel.endsWith("/set") || rel.endsWith("/get")
                || rel.contains("/set/") || rel.contains("/get/");
        if (command && m.retained()) {
            // A retained command would run again at every hub restart: refuse it (and say where it is).
            droppedTopics.incrementAndGet();
            Logger.warn("mqtt: ignored a retained command on {}; clear it with an empty retained message", topic);
            return;
        }
        if (rel.startsWith("bridge/")) {
            if (rel.startsWith("bridge/request/")) {
                handleRequest(rel.substring("bridge/request/".length()), m);
            }
            return;
        }
        String[] seg = rel.split("/", -1);
        int n = seg.length;
        if (n >= 2 && (seg[n - 1].equals("set") || seg[n - 1].equals("get"))) {
            handleDevice(String.join("/", java.util.Arrays.copyOfRange(seg, 0, n - 1)), seg[n - 1], null, m);
        } else if (n >= 3 && (seg[n - 2].equals("set") || seg[n - 2].equals("get"))) {
            handleDevice(String.join("/", java.util.Arrays.copyOfRange(seg, 0, n - 2)), seg[n - 2], seg[n - 1], m);
        }
        // Anything else is our own state or availability echoed back (MQTT 3.1.1 has no noLocal): ignore.
    }

    private String clientOf(MqttTransport.Inbound m) {
        return m.clientHint() != null ? "mqtt:" + m.clientHint() : "mqtt";
    }

    private void handleDevice(String device, String op, String capability, MqttTransport.Inbound m) {
        String respName = "device/" + op;
        if (m.payload().length > settings.maxPayloadBytes()) {
            badPayloads.incrementAndGet();
            fail(respName, m, null, Map.of("id", device), new CommandException(CommandError.INVALID_VALUE,
                    "payload of " + m.payload().length + " bytes exceeds the limit of " + settings.maxPayloadBytes() + " bytes"));
            return;
        }
        Object tx = null;
        Map<String, Object> values = new LinkedHashMap<>();
        if (capability != null) {
            if (op.equals("set")) {
                values.put(capability, Values.parsePlain(m.payload()));
            }
        } else if (m.payload().length > 0) {
            Object parsed;
            try {
                parsed = Values.parseJsonValue(m.payload());
            } catch (Values.BadPayloadException e) {
                String s = new String(m.payload(), StandardCharsets.UTF_8).trim();
                if (s.startsWith("{") || s.startsWith("[") || s.startsWith("\"") || !op.equals("set")) {
                    badPayloads.incrementAndGet();
                    fail(respName, m, null, Map.of("id", device), new CommandException(CommandError.INVALID_VALUE, e.getMessage()));
                    return;
                }
                parsed = s; // Zigbee2MQTT accepts a bare ON / OFF / TOGGLE on /set
            }
            if (parsed instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> en : map.entrySet()) {
                    values.put(String.valueOf(en.getKey()), en.getValue());
                }
                tx = values.remove("transaction");
            } else if (parsed instanceof String s && op.equals("set")) {
                values.put("state", s);
            } else {
                badPayloads.incrementAndGet();
                fail(respName, m, null, Map.of("id", device), new CommandException(CommandError.INVALID_VALUE,
                        "expected a JSON object such as {\"state\":\"ON\",\"brightness\":120}"));
                return;
            }
        }
        if (op.equals("set") && values.isEmpty()) {
            badPayloads.incrementAndGet();
            fail(respName, m, tx, Map.of("id", device), new CommandException(CommandError.INVALID_VALUE, "nothing to set"));
            return;
        }
        String client = clientOf(m);
        if (!admit(respName, m, tx, client, device)) {
            return;
        }
        Object txf = tx;
        CompletableFuture<Map<String, Object>> f;
        if (op.equals("set")) {
            // <base>/<group>/set addresses a group, as in Zigbee2MQTT.
            boolean group = hub.device(device).isEmpty() && hub.group(device).isPresent();
            f = group ? hub.setGroup(device, values, client) : hub.set(device, values, client);
        } else {
            List<String> caps = capability != null ? List.of(capability) : new ArrayList<>(values.keySet());
            f = hub.get(device, caps, client);
        }
        withTimeout(f).whenComplete((state, t) -> {
            if (t != null) {
                commandsFailed.incrementAndGet();
                fail(respName, m, txf, Map.of("id", device), Errors.of(t));
                return;
            }
            commandsOk.incrementAndGet();
            if (op.equals("get")) {
                // Publish the full state after a read, as Zigbee2MQTT does.
                hub.device(device).ifPresent(d -> emit("state", "state:" + d.friendlyName(),
                        base + "/" + d.friendlyName(), d.state(), retainFor(d)));
            }
            if (txf != null || m.responseTopic() != null) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("id", device);
                data.put("state", state);
                respond(respName, m, txf, data, null);
            }
        });
    }

    private boolean admit(String respName, MqttTransport.Inbound m, Object tx, String client, String id) {
        long wait = limiter.tryAcquire(client);
        if (wait == 0) {
            return true;
        }
        rateLimited.incrementAndGet();
        ClientLimiter.Limits l = settings.clientLimits();
        Map<String, Object> data = new LinkedHashMap<>();
        if (id != null) {
            data.put("id", id);
        }
        data.put("retry_after_ms", wait);
        fail(respName, m, tx, data, new CommandException(CommandError.RATE_LIMITED,
                "client '" + client + "' is over its limit (" + l.perSecond() + "/s, burst " + l.burst() + ", "
                        + l.perMinute() + "/min)", wait, null));
        return false;
    }

    private void handleRequest(String name, MqttTransport.Inbound m) {
        if (m.payload().length > settings.maxPayloadBytes()) {
            badPayloads.incrementAndGet();
            fail(name, m, null, Map.of(), new CommandException(CommandError.INVALID_VALUE,
                    "payload of " + m.payload().length + " bytes exceeds the limit of " + settings.maxPayloadBytes() + " bytes"));
            return;
        }
        Map<String, Object> req = new LinkedHashMap<>();
        if (m.payload().length > 0) {
            Object parsed;
            try {
                parsed = Values.parseJsonValue(m.payload());
            } catch (Values.BadPayloadException e) {
                String s = new String(m.payload(), StandardCharsets.UTF_8).trim();
                if (s.startsWith("{") || s.startsWith("[") || s.startsWith("\"")) {
                    badPayloads.incrementAndGet();
                    fail(name, m, null, Map.of(), new CommandException(CommandError.INVALID_VALUE, e.getMessage()));
                    return;
                }
                parsed = s;
            }
            if (parsed instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> en : map.entrySet()) {
                    req.put(String.valueOf(en.getKey()), en.getValue());
                }
            } else {
                req.put("value", parsed); // e.g. permit_join "true", device/remove "bulb"
            }
        }
        Object tx = req.remove("transaction");
        var handler = requests.get(name);
        if (handler == null) {
            badPayloads.incrementAndGet();
            fail(name, m, tx, Map.of(), new CommandException(CommandError.NOT_FOUND,
                    "unknown request '" + name + "', known: " + String.join(", ", new java.util.TreeSet<>(requests.keySet()))));
            return;
        }
        if (tx == null && settings.requireTransaction()) {
            badPayloads.incrementAndGet();
            fail(name, m, null, Map.of(), new CommandException(CommandError.INVALID_VALUE,
                    "missing 'transaction': this hub requires a transaction id on every request"));
            return;
        }
        if (!admit(name, m, tx, clientOf(m), null)) {
            return;
        }
        CompletableFuture<Object> f;
        try {
            f = handler.apply(req);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        withTimeout(f).whenComplete((data, t) -> {
            if (t != null) {
                commandsFailed.incrementAndGet();
                fail(name, m, tx, Map.of(), Errors.of(t));
            } else {
                commandsOk.incrementAndGet();
                respond(name, m, tx, data, null);
            }
        });
    }

    private void fail(String name, MqttTransport.Inbound m, Object tx, Map<String, Object> data, CommandException e) {
        Map<String, Object> d = new LinkedHashMap<>(data);
        if (e.retryAfterMillis() > 0) {
            d.put("retry_after_ms", e.retryAfterMillis());
        }
        d.put("code", e.error().name());
        Logger.debug("mqtt: {} failed: {}", name, Errors.text(e));
        respond(name, m, tx, d, Errors.text(e));
    }

    /** Answers on the MQTT 5 response topic if the request named one, else on bridge/response/<name>. */
    private void respond(String name, MqttTransport.Inbound m, Object tx, Object data, String error) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("data", data == null ? Map.of() : data);
        r.put("status", error == null ? "ok" : "error");
        if (error != null) {
            r.put("error", error);
        }
        if (tx != null) {
            r.put("transaction", tx);
        }
        byte[] payload = Values.json(r);
        String rt = m.responseTopic();
        if (rt != null && Names.oddCharacter(rt) == null && rt.indexOf('+') < 0 && rt.indexOf('#') < 0) {
            run(() -> {
                if (connected) {
                    publishDirect(rt, payload, settings.qos(), false, m.correlation());
                } else {
                    // The requester's session is gone with the connection; a late answer would be noise.
                    responsesDropped.incrementAndGet();
                }
            });
        } else {
            emit("response", null, base + "/bridge/response/" + name, payload, false);
        }
    }

    private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> f) {
        if (f.isDone()) {
            return f;
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        long ms = settings.commandTimeout().toMillis();
        ScheduledFuture<?> t = exec.schedule(() -> out.completeExceptionally(new CommandException(CommandError.TIMEOUT,
                "not confirmed within " + ms + " ms")), ms, TimeUnit.MILLISECONDS);
        f.whenComplete((v, e) -> {
            t.cancel(false);
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- bridge requests

    private void registerRequests() {
        requests.put("permit_join", r -> {
            Object value = r.get("value");
            Object time = r.get("time");
            int seconds;
            if (time != null) {
                seconds = intField(r, "time", 0, 254);
            } else if (value instanceof Boolean b) {
                seconds = b ? 254 : 0;
            } else if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                seconds = s.equalsIgnoreCase("true") ? 254 : 0;
            } else if (value instanceof Number) {
                seconds = intField(r, "value", 0, 254);
            } else {
                throw invalid("'time' (0..254 seconds) or 'value' (true/false) is required");
            }
            String via = r.get("device") instanceof String s ? s : null;
            return hub.permitJoin(Duration.ofSeconds(seconds), via).thenApply(v -> {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("value", seconds > 0);
                d.put("time", seconds);
                if (via != null) {
                    d.put("device", via);
                }
                return d;
            });
        });
        requests.put("health_check", r -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("healthy", true);
            d.put("hub", safeHealth());
            return CompletableFuture.completedFuture(d);
        });
        requests.put("device/rename", r -> {
            String from = stringField(r, "from");
            String to = stringField(r, "to");
            String bad = Names.invalidFriendlyName(to);
            if (bad != null) {
                throw invalid("to: " + bad);
            }
            return hub.rename(from, to).thenApply(d -> Map.of("from", from, "to", d.friendlyName()));
        });
        requests.put("device/remove", r -> {
            String id = r.containsKey("id") ? stringField(r, "id") : stringField(r, "value");
            boolean force = Boolean.TRUE.equals(r.get("force"));
            return hub.remove(id, force).thenApply(v -> Map.of("id", id, "force", force));
        });
        requests.put("device/options", r -> {
            String id = stringField(r, "id");
            if (!(r.get("options") instanceof Map<?, ?> opts)) {
                throw invalid("options: must be a JSON object");
            }
            Map<String, Object> o = new LinkedHashMap<>();
            opts.forEach((k, v) -> o.put(String.valueOf(k), v));
            return hub.setOptions(id, o).thenApply(n -> Map.of("id", id, "to", n));
        });
        requests.put("group/add", r -> {
            String name = stringField(r, "friendly_name");
            String bad = Names.invalidFriendlyName(name);
            if (bad != null) {
                throw invalid("friendly_name: " + bad);
            }
            Integer id = r.containsKey("id") ? intField(r, "id", 1, 0xfff7) : null;
            return hub.addGroup(name, id).thenApply(g -> Map.of("friendly_name", g.name(), "id", g.groupId()));
        });
        requests.put("group/remove", r -> {
            String id = r.containsKey("id") ? stringField(r, "id") : stringField(r, "value");
            return hub.removeGroup(id).thenApply(v -> Map.of("id", id));
        });
        requests.put("group/members/add", r -> member(r, true));
        requests.put("group/members/remove", r -> member(r, false));
    }

    private CompletableFuture<Object> member(Map<String, Object> r, boolean add) {
        String group = stringField(r, "group");
        String device = stringField(r, "device");
        Integer ep = r.containsKey("endpoint") ? intField(r, "endpoint", 1, 240) : null;
        CompletableFuture<GroupView> f = add ? hub.addGroupMember(group, device, ep) : hub.removeGroupMember(group, device, ep);
        return f.thenApply(g -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("group", g.name());
            d.put("device", device);
            if (ep != null) {
                d.put("endpoint", ep);
            }
            return d;
        });
    }

    private static CommandException invalid(String msg) {
        return new CommandException(CommandError.INVALID_VALUE, msg);
    }

    private static String stringField(Map<String, Object> r, String field) {
        Object v = r.get(field);
        if (v instanceof Number n) {
            return n.toString();
        }
        if (!(v instanceof String s) || s.isEmpty()) {
            throw invalid(field + ": " + (v == null ? "missing" : "must be a string") );
        }
        return s;
    }

    private static int intField(Map<String, Object> r, String field, int min, int max) {
        Object v = r.get(field);
        if (v instanceof String s) {
            try {
                v = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw invalid(field + ": must be an integer " + min + ".." + max + ", got \"" + s + "\"");
            }
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.longValue() < min || n.longValue() > max) {
            throw invalid(field + ": must be an integer " + min + ".." + max + ", got " + v);
        }
        return n.intValue();
    }

    private static int parseIntOr(String s, int dflt) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                Logger.debug("mqtt: close: {}", e.toString());
            }
        }
    }
}
