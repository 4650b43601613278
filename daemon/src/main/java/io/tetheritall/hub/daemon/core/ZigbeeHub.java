package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.CommandException;
import io.tetheritall.hub.daemon.core.api.DeviceView;
import io.tetheritall.hub.daemon.core.api.GroupView;
import io.tetheritall.hub.daemon.core.api.HubApi;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.core.registry.DeviceRepository;
import io.tetheritall.hub.drivers.zigbee.definition.DefinitionRegistry;
import io.tetheritall.hub.radios.api.IncomingMessage;
import io.tetheritall.hub.radios.api.NetworkInfo;
import io.tetheritall.hub.radios.api.RadioListener;
import io.tetheritall.hub.radios.api.RadioState;
import io.tetheritall.hub.radios.api.ZigbeeRadio;
import io.tetheritall.hub.radios.time.HubClock;
import io.tetheritall.hub.radios.time.NamedThreadFactory;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The hub core for one Zigbee radio: device registry, commissioning, commands, availability and
 * groups, behind the {@link HubApi} the MQTT and CoAP uplinks call.
 *
 * <pre>
 *   uplinks ──► ZigbeeHub (HubApi) ──► CommandService / GroupService / Commissioner
 *                   ▲  RadioListener         │ ZCL via drivers (converters, definitions)
 *                   │                        ▼
 *              ZigbeeRadio (scheduler → ZNP coordinator)       DeviceRepository (JSON file | store)
 * </pre>
 *
 * <p>Time comes from the injected {@link HubClock}: every deadline, retry and availability check
 * runs from {@link #tick()}, called by one named timer thread ({@link #startTimer}) in production
 * and directly by tests after moving a {@code ManualClock}.
 *
 * <p>Thread-safe and non-blocking: radio callbacks, API calls and the timer may run concurrently.
 */
public final class ZigbeeHub implements HubApi, AutoCloseable {
    private final HubContext hub;
    private final DeviceRepository repository;
    private final AvailabilityMonitor availability;
    private final IncomingHandler incoming;
    private final Commissioner commissioner;
    private final CommandService commands;
    private final GroupService groups;
    private final RadioListener listener;
    private volatile ScheduledExecutorService timer;
    private volatile ClockScheduler.Timer permitJoinClose;
    private long lastFlushNanos;

    /**
     * @param radio       the radio (normally the per-radio scheduler wrapping the ZNP coordinator)
     * @param clock       monotonic time for deadlines, retries and availability
     * @param repository  where devices and groups persist
     * @param definitions the device definition table
     * @param config      timing policy
     */
    public ZigbeeHub(ZigbeeRadio radio, HubClock clock, DeviceRepository repository, DefinitionRegistry definitions,
                     CoreConfig config) {
        this(radio, clock, System::currentTimeMillis, repository, definitions, config);
    }

    /** As above, with the wall clock used for {@code lastSeen} injected too. */
    public ZigbeeHub(ZigbeeRadio radio, HubClock clock, LongSupplier wallMillis, DeviceRepository repository,
                     DefinitionRegistry definitions, CoreConfig config) {
        HubMetrics metrics = new HubMetrics();
        DeviceRegistry registry = new DeviceRegistry(repository, definitions, metrics);
        this.repository = repository;
        this.hub = new HubContext(radio, clock, wallMillis, registry, metrics, config, definitions);
        this.availability = new AvailabilityMonitor(hub);
        this.incoming = new IncomingHandler(hub, availability);
        this.commissioner = new Commissioner(hub);
        this.commands = new CommandService(hub);
        this.groups = new GroupService(hub);
        registry.load(clock.nanos());
        this.lastFlushNanos = clock.nanos();
        this.listener = new RadioListener() {
            @Override
            public void deviceJoined(int nwk, long ieee, int parentNwk) {
                guard("join", () -> commissioner.joined(nwk, ieee));
            }

            @Override
            public void deviceAnnounced(int nwk, long ieee, int capabilities) {
                guard("announce", () -> commissioner.announced(nwk, ieee));
            }

            @Override
            public void deviceLeft(int nwk, long ieee, boolean rejoin) {
                guard("leave", () -> commissioner.left(nwk, ieee, rejoin));
            }

            @Override
            public void messageReceived(IncomingMessage message) {
                guard("message", () -> incoming.handle(message));
            }

            @Override
            public void stateChanged(RadioState state, String reason) {
                if (state == RadioState.DOWN) {
                    guard("radio down", () -> availability.radioDown(reason == null ? "" : reason));
                } else if (state == RadioState.UP) {
                    guard("radio up", availability::radioUp);
                }
                hub.events.publish(HubEvent.Type.RADIO_STATE, null, null, HubContext.data("radio", radio.id(),
                        "state", state.name(), "reason", reason == null ? "" : reason));
            }
        };
        radio.addListener(listener);
    }

    /** Radio callbacks must never throw into the radio's event thread: a bug is logged and counted. */
    private void guard(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            hub.metrics.increment("errors." + what);
            Logger.error(e, "hub core failed handling {}", what);
        }
    }

    /** Starts the named timer thread that calls {@link #tick()} every {@code period}. */
    public synchronized void startTimer(Duration period) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("hub-core-timer"));
        timer.scheduleWithFixedDelay(() -> guard("tick", this::tick), period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * One step of the hub's clock-driven work: due timers (step deadlines, interview retries),
     * overdue ZCL requests, availability (pings and battery expiry), and debounced persistence.
     */
    public void tick() {
        hub.scheduler.runDue();
        hub.transactions.expire();
        availability.check();
        long now = hub.clock.nanos();
        if (now - lastFlushNanos >= hub.config.persistDebounce().toNanos()) {
            lastFlushNanos = now;
            hub.registry.flushDirty();
        }
    }

    /** The counters (dropped frames by reason, interviews, commands). */
    public HubMetrics metrics() {
        return hub.metrics;
    }

    /** Restarts the interview of a device now, resetting its retry count. */
    public CompletableFuture<DeviceView> reinterview(String nameOrIeee) {
        Device d = hub.registry.find(nameOrIeee);
        if (d == null) {
            return Errors.failed(CommandError.NOT_FOUND, "no device '" + nameOrIeee + "'");
        }
        return commissioner.start(d, true).handle((v, e) -> {
            if (e != null) {
                throw new CommandException(CommandError.TIMEOUT, d.name + ": interview failed: " + Errors.reason(e),
                        0, e);
            }
            return hub.registry.view(d);
        });
    }

    // --- HubApi ---

    @Override
    public List<DeviceView> devices() {
        return hub.registry.views();
    }

    @Override
    public Optional<DeviceView> device(String nameOrIeee) {
        Device d = hub.registry.find(nameOrIeee);
        return d == null ? Optional.empty() : Optional.of(hub.registry.view(d));
    }

    @Override
    public List<GroupView> groups() {
        return hub.registry.groups().stream().map(DeviceRegistry::view).toList();
    }

    @Override
    public Optional<GroupView> group(String name) {
        return Optional.ofNullable(hub.registry.group(name)).map(DeviceRegistry::view);
    }

    @Override
    public CompletableFuture<Map<String, Object>> set(String nameOrIeee, Map<String, Object> values, String clientId) {
        Device d = hub.registry.find(nameOrIeee);
        if (d == null) {
            return Errors.failed(CommandError.NOT_FOUND, "no device '" + nameOrIeee + "'");
        }
        return commands.set(d, values, clientId);
    }

    @Override
    public CompletableFuture<Map<String, Object>> get(String nameOrIeee, List<String> capabilities, String clientId) {
        Device d = hub.registry.find(nameOrIeee);
        if (d == null) {
            return Errors.failed(CommandError.NOT_FOUND, "no device '" + nameOrIeee + "'");
        }
        return commands.get(d, capabilities, clientId);
    }

    @Override
    public CompletableFuture<Map<String, Object>> setGroup(String groupName, Map<String, Object> values,
                                                           String clientId) {
        return groups.set(groupName, values, clientId);
    }

    @Override
    public CompletableFuture<Void> permitJoin(Duration duration, String viaDevice) {
        if (duration == null || duration.isNegative() || duration.toSeconds() > 254) {
            return Errors.failed(CommandError.INVALID_VALUE, "permit join duration must be 0..254 s, but was "
                    + duration);
        }
        int via = -1;
        if (viaDevice != null) {
            Device d = hub.registry.find(viaDevice);
            if (d == null) {
                return Errors.failed(CommandError.NOT_FOUND, "no device '" + viaDevice + "'");
            }
            synchronized (hub.registry) {
                via = d.nwk;
            }
        }
        CompletableFuture<Void> sent;
        try {
            sent = hub.radio.permitJoin(duration, via);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return hub.within(sent, hub.config.commandTimeout(), "permit join")
                .handle((v, e) -> {
                    if (e != null) {
                        throw Errors.toCommand(e, "permit join");
                    }
                    ClockScheduler.Timer old = permitJoinClose;
                    if (old != null) {
                        old.cancel();
                    }
                    boolean open = !duration.isZero();
                    hub.events.publish(HubEvent.Type.PERMIT_JOIN, null, null, HubContext.data("value", open,
                            "time", duration.toSeconds()));
                    if (open) {
                        permitJoinClose = hub.scheduler.schedule(duration, () -> hub.events.publish(
                                HubEvent.Type.PERMIT_JOIN, null, null, HubContext.data("value", false, "time", 0L)));
                    }
                    return null;
                });
    }

    @Override
    public CompletableFuture<DeviceView> rename(String nameOrIeee, String newName) {
        Device d = hub.registry.find(nameOrIeee);
        if (d == null) {
            return Errors.failed(CommandError.NOT_FOUND, "no device '" + nameOrIeee + "'");
        }
        if (newName == null || newName.isBlank() || newName.startsWith("/") || newName.endsWith("/")
                || newName.contains("+") || newName.contains("#") || newName.matches("0x[0-9a-fA-F]{16}")
                && !newName.equalsIgnoreCase(d.ieeeString())) {
            return Errors.failed(CommandError.INVALID_VALUE, "invalid name '" + newName
                    + "' (no leading/trailing '/', no MQTT wildcards, not another device's IEEE address)");
        }
        String old;
        synchronized (hub.registry) {
            if (d.removed) {
                return Errors.failed(CommandError.NOT_FOUND, d.name + " was removed");
            }
            old = d.name;
            if (old.equals(newName)) {
                return CompletableFuture.completedFuture(hub.registry.view(d));
            }
            if (hub.registry.nameTaken(newName)) {
                return Errors.failed(CommandError.INVALID_VALUE, "name '" + newName + "' is taken");
            }
            hub.registry.rename(d, newName);
        }
        hub.publish(HubEvent.Type.DEVICE_RENAMED, d, HubContext.data("from", old, "to", newName));
        hub.publish(HubEvent.Type.DEVICES_CHANGED, null, Map.of());
        return CompletableFuture.completedFuture(hub.registry.view(d));
    }

    @Override
    public CompletableFuture<Void> remove(String nameOrIeee, boolean force) {
        Device d = hub.registry.find(nameOrIeee);
        if (d == null) {
            return Errors.failed(CommandError.NOT_FOUND, "no device '" + nameOrIeee + "'");
        }
        int nwk;
        long ieee;
        synchronized (hub.registry) {
            nwk = d.nwk;
            ieee = d.ieee;
        }
        CompletableFuture<Void> leave;
        try {
            leave = hub.within(hub.radio.requestLeave(nwk, ieee), hub.config.commandTimeout(), "leave request");
        } catch (RuntimeException e) {
            leave = CompletableFuture.failedFuture(e);
        }
        return leave.handle((v, e) -> {
            if (e != null && !force) {
                throw Errors.toCommand(e, d.name);
            }
            if (e != null) {
                Logger.info("{}: leave request failed ({}), removing anyway (forced)", d.name, Errors.reason(e));
            }
            commissioner.abandon(d, "device removed");
            hub.registry.remove(d);
            hub.transactions.failAll(nwk, new Errors.AbandonedException("device removed"));
            hub.publish(HubEvent.Type.DEVICE_REMOVED, d, HubContext.data("force", force));
            hub.publish(HubEvent.Type.DEVICES_CHANGED, null, Map.of());
            return null;
        });
    }

    @Override
    public CompletableFuture<Map<String, Object>> setOptions(String nameOrIeee, Map<String, Object> options) {
        Device d = hub.registry.find(nameOrIeee);
        if (d == null) {
            return Errors.failed(CommandError.NOT_FOUND, "no device '" + nameOrIeee + "'");
        }
        for (String k : List.of("optimistic", "retain")) {
            if (options.containsKey(k) && options.get(k) != null && !(options.get(k) instanceof Boolean)) {
                return Errors.failed(CommandError.INVALID_VALUE, "option '" + k + "' must be true or false");
            }
        }
        Map<String, Object> out;
        synchronized (hub.registry) {
            options.forEach((k, v) -> {
                if (v == null) {
                    d.options.remove(k);
                } else {
                    d.options.put(k, v);
                }
            });
            out = Map.copyOf(d.options);
            hub.registry.persistNow(d);
        }
        hub.publish(HubEvent.Type.DEVICES_CHANGED, null, Map.of());
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletableFuture<GroupView> addGroup(String name, Integer groupId) {
        return groups.add(name, groupId);
    }

    @Override
    public CompletableFuture<Void> removeGroup(String name) {
        return groups.remove(name);
    }

    @Override
    public CompletableFuture<GroupView> addGroupMember(String group, String device, Integer endpoint) {
        return groups.member(group, device, endpoint, true);
    }

    @Override
    public CompletableFuture<GroupView> removeGroupMember(String group, String device, Integer endpoint) {
        return groups.member(group, device, endpoint, false);
    }

    @Override
    public AutoCloseable subscribe(Consumer<HubEvent> l) {
        return hub.events.subscribe(l);
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("radio", HubContext.data("id", hub.radio.id(), "state", hub.radio.state().name()));
        List<DeviceView> all = devices();
        h.put("devices", all.size());
        h.put("available", all.stream().filter(DeviceView::available).count());
        h.put("pendingRequests", hub.transactions.size());
        h.put("metrics", hub.metrics.snapshot());
        return h;
    }

    @Override
    public Map<String, Object> info() {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("version", "0.1.0");
        NetworkInfo n = hub.radio.network();
        if (n != null) {
            i.put("coordinator", HubContext.data("ieee", Device.ieeeString(n.coordinatorIeee()),
                    "firmware", n.firmware()));
            i.put("network", HubContext.data("panId", n.panId(), "extendedPanId",
                    String.format("0x%016x", n.extendedPanId()), "channel", n.channel()));
        }
        i.put("permitJoin", permitJoinClose != null);
        return i;
    }

    /** Stops the timer, unhooks from the radio and flushes the registry. Does not close the radio. */
    @Override
    public void close() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
        hub.radio.removeListener(listener);
        hub.registry.flushDirty();
        repository.close();
    }
}
