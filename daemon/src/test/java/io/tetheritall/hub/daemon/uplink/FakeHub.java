package io.tetheritall.hub.daemon.uplink;

import io.tetheritall.hub.daemon.core.api.CapabilityView;
import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.CommandException;
import io.tetheritall.hub.daemon.core.api.DeviceView;
import io.tetheritall.hub.daemon.core.api.GroupView;
import io.tetheritall.hub.daemon.core.api.HubApi;
import io.tetheritall.hub.daemon.core.api.HubEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory {@link HubApi} for uplink tests and benches: a bulb (state, brightness, color_temp,
 * color), a temperature sensor named {@code kitchen/temp} (read-only temperature) and a plug. It
 * validates values like the real core (wrong type / out of range: INVALID_VALUE naming the capability
 * and range; read-only: NOT_ALLOWED; unknown: NOT_FOUND) and can be told to fail every command with
 * a given error, or to never answer.
 */
public final class FakeHub implements HubApi {

    /** What one device holds. */
    private static final class Dev {
        String name;
        final String ieee;
        final int nwk;
        final String type;
        final List<CapabilityView> caps;
        final Map<String, Object> state = new LinkedHashMap<>();
        final Map<String, Object> options = new LinkedHashMap<>();
        boolean available = true;

        Dev(String name, String ieee, int nwk, String type, List<CapabilityView> caps) {
            this.name = name;
            this.ieee = ieee;
            this.nwk = nwk;
            this.type = type;
            this.caps = caps;
        }
    }

    private final Map<String, Dev> devices = new TreeMap<>();
    private final Map<String, GroupView> groups = new TreeMap<>();
    private final List<Consumer<HubEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile CommandException failWith;
    private volatile boolean hang;
    private volatile Consumer<String> onSend = s -> { };
    public final AtomicInteger sets = new AtomicInteger();
    public volatile String lastClient;
    public volatile Duration lastPermitJoin;

    public FakeHub() {
        Dev bulb = new Dev("bulb", "0x00124b0000000001", 0x1234, "Router", List.of(
                cap("state", "binary", null, null, null, List.of("ON", "OFF", "TOGGLE"), true),
                cap("brightness", "numeric", null, 0.0, 254.0, List.of(), true),
                cap("color_temp", "numeric", "mired", 153.0, 500.0, List.of(), true),
                cap("color", "composite", null, null, null, List.of(), true)));
        bulb.state.put("state", "OFF");
        bulb.state.put("brightness", 0);
        bulb.state.put("color_temp", 300);
        bulb.state.put("color", Map.of("x", 0.3, "y", 0.3));
        Dev temp = new Dev("kitchen/temp", "0x00124b0000000002", 0x2345, "EndDevice", List.of(
                cap("temperature", "numeric", "°C", -40.0, 125.0, List.of(), false)));
        temp.state.put("temperature", 21.5);
        Dev plug = new Dev("plug", "0x00124b0000000003", 0x3456, "Router", List.of(
                cap("state", "binary", null, null, null, List.of("ON", "OFF", "TOGGLE"), true),
                cap("power", "numeric", "W", 0.0, 3680.0, List.of(), false)));
        plug.state.put("state", "ON");
        plug.state.put("power", 12.0);
        for (Dev d : List.of(bulb, temp, plug)) {
            devices.put(d.name, d);
        }
        groups.put("living", new GroupView("living", 1, List.of("0x00124b0000000001/1")));
    }

    private static CapabilityView cap(String name, String kind, String unit, Double min, Double max, List<String> values,
                                      boolean settable) {
        return new CapabilityView(name, kind, unit, min, max, values, true, settable, true, 1);
    }

    // ------------------------------------------------------------ test controls

    /** Every command fails with this until {@link #clearFailure()}. */
    public void failWith(CommandError error, String message, long retryAfterMillis) {
        failWith = new CommandException(error, message, retryAfterMillis, null);
    }

    public void clearFailure() {
        failWith = null;
        hang = false;
    }

    /** Commands never complete (a device that does not answer). */
    public void hang() {
        hang = true;
    }

    /** Called with the device name each time a set "goes to the radio". */
    public void onSend(Consumer<String> c) {
        onSend = c;
    }

    /** A device reports a new value by itself. */
    public void report(String name, String capability, Object value) {
        Map<String, Object> snapshot;
        synchronized (this) {
            Dev d = devices.get(name);
            d.state.put(capability, value);
            snapshot = Map.copyOf(d.state);
        }
        fire(new HubEvent(HubEvent.Type.STATE, name, devices.get(name).ieee, snapshot));
    }

    public void setAvailable(String name, boolean available) {
        Dev d;
        synchronized (this) {
            d = devices.get(name);
            d.available = available;
        }
        fire(new HubEvent(HubEvent.Type.AVAILABILITY, name, d.ieee, Map.of("available", available)));
    }

    public void fire(HubEvent e) {
        for (Consumer<HubEvent> l : listeners) {
            l.accept(e);
        }
    }

    public int listeners() {
        return listeners.size();
    }

    // ------------------------------------------------------------ HubApi

    @Override
    public synchronized List<DeviceView> devices() {
        List<DeviceView> out = new ArrayList<>();
        for (Dev d : devices.values()) {
            out.add(view(d));
        }
        return out;
    }

    @Override
    public synchronized Optional<DeviceView> device(String nameOrIeee) {
        return Optional.ofNullable(find(nameOrIeee)).map(this::view);
    }

    private Dev find(String nameOrIeee) {
        Dev d = devices.get(nameOrIeee);
        if (d == null) {
            for (Dev x : devices.values()) {
                if (x.ieee.equalsIgnoreCase(nameOrIeee)) {
                    return x;
                }
            }
        }
        return d;
    }

    private DeviceView view(Dev d) {
        return new DeviceView(d.ieee, d.name, d.nwk, d.type, "TestCo", "T-" + d.name.replace('/', '-'), "test device",
                d.type.equals("EndDevice") ? "Battery" : "Mains", "SUCCESSFUL", d.available, 1_700_000_000_000L,
                d.caps, Map.copyOf(d.state), List.of(), Map.copyOf(d.options));
    }

    @Override
    public synchronized List<GroupView> groups() {
        return List.copyOf(groups.values());
    }

    @Override
    public synchronized Optional<GroupView> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    @Override
    public CompletableFuture<Map<String, Object>> set(String nameOrIeee, Map<String, Object> values, String clientId) {
        lastClient = clientId;
        CompletableFuture<Map<String, Object>> gate = gate();
        if (gate != null) {
            return gate;
        }
        Map<String, Object> snapshot;
        Dev d;
        synchronized (this) {
            d = find(nameOrIeee);
            if (d == null) {
                return notFound(nameOrIeee);
            }
            Map<String, Object> checked = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : values.entrySet()) {
                CapabilityView c = capability(d, e.getKey());
                if (c == null) {
                    return CompletableFuture.failedFuture(new CommandException(CommandError.NOT_FOUND,
                            "'" + d.name + "' has no capability '" + e.getKey() + "' (has: " + names(d) + ")"));
                }
                if (!c.settable()) {
                    return CompletableFuture.failedFuture(new CommandException(CommandError.NOT_ALLOWED,
                            c.name() + " on '" + d.name + "' is read-only"));
                }
                try {
                    checked.put(c.name(), validate(d, c, e.getValue()));
                } catch (CommandException ex) {
                    return CompletableFuture.failedFuture(ex);
                }
            }
            d.state.putAll(checked);
            snapshot = Map.copyOf(d.state);
        }
        sets.incrementAndGet();
        onSend.accept(d.name);
        fire(new HubEvent(HubEvent.Type.STATE, d.name, d.ieee, snapshot));
        return CompletableFuture.completedFuture(snapshot);
    }

    private static Object validate(Dev d, CapabilityView c, Object v) {
        switch (c.kind()) {
            case "binary" -> {
                if (v instanceof Boolean b) {
                    return b ? "ON" : "OFF";
                }
                if (v instanceof String s && c.values().contains(s.toUpperCase())) {
                    String u = s.toUpperCase();
                    if (u.equals("TOGGLE")) {
                        return "ON".equals(d.state.get(c.name())) ? "OFF" : "ON";
                    }
                    return u;
                }
                throw new CommandException(CommandError.INVALID_VALUE,
                        c.name() + ": expected one of " + c.values() + ", got " + describe(v));
            }
            case "numeric" -> {
                if (!(v instanceof Number n)) {
                    throw new CommandException(CommandError.INVALID_VALUE,
                            c.name() + ": expected a number " + range(c) + ", got " + describe(v));
                }
                if (n.doubleValue() < c.min() || n.doubleValue() > c.max()) {
                    throw new CommandException(CommandError.INVALID_VALUE,
                            c.name() + ": " + n + " is out of range " + range(c));
                }
                return n.doubleValue() == Math.rint(n.doubleValue()) ? (Object) n.intValue() : n.doubleValue();
            }
            case "composite" -> {
                if (!(v instanceof Map<?, ?> m) || !(m.get("x") instanceof Number) || !(m.get("y") instanceof Number)) {
                    throw new CommandException(CommandError.INVALID_VALUE,
                            c.name() + ": expected {\"x\":0..1,\"y\":0..1}, got " + describe(v));
                }
                return Map.copyOf(m);
            }
            default -> {
                return v;
            }
        }
    }

    private static String range(CapabilityView c) {
        return fmt(c.min()) + ".." + fmt(c.max());
    }

    private static String fmt(Double d) {
        return d == Math.rint(d) ? String.valueOf(d.longValue()) : d.toString();
    }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    private static CapabilityView capability(Dev d, String name) {
        for (CapabilityView c : d.caps) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static String names(Dev d) {
        List<String> n = new ArrayList<>();
        d.caps.forEach(c -> n.add(c.name()));
        return String.join(", ", n);
    }

    private <T> CompletableFuture<T> gate() {
        CommandException f = failWith;
        if (f != null) {
            return CompletableFuture.failedFuture(new CommandException(f.error(), f.getMessage(), f.retryAfterMillis(), null));
        }
        if (hang) {
            return new CompletableFuture<>();
        }
        return null;
    }

    private static <T> CompletableFuture<T> notFound(String what) {
        return CompletableFuture.failedFuture(new CommandException(CommandError.NOT_FOUND, "no device '" + what + "'"));
    }

    @Override
    public CompletableFuture<Map<String, Object>> get(String nameOrIeee, List<String> capabilities, String clientId) {
        lastClient = clientId;
        CompletableFuture<Map<String, Object>> gate = gate();
        if (gate != null) {
            return gate;
        }
        synchronized (this) {
            Dev d = find(nameOrIeee);
            if (d == null) {
                return notFound(nameOrIeee);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (String c : capabilities.isEmpty() ? new ArrayList<>(d.state.keySet()) : capabilities) {
                if (capability(d, c) == null) {
                    return CompletableFuture.failedFuture(new CommandException(CommandError.NOT_FOUND,
                            "'" + d.name + "' has no capability '" + c + "' (has: " + names(d) + ")"));
                }
                out.put(c, d.state.get(c));
            }
            return CompletableFuture.completedFuture(out);
        }
    }

    @Override
    public CompletableFuture<Map<String, Object>> setGroup(String groupName, Map<String, Object> values, String clientId) {
        GroupView g = groups.get(groupName);
        if (g == null) {
            return CompletableFuture.failedFuture(new CommandException(CommandError.NOT_FOUND, "no group '" + groupName + "'"));
        }
        CompletableFuture<Map<String, Object>> last = CompletableFuture.completedFuture(Map.of());
        for (String m : g.members()) {
            last = set(m.substring(0, m.indexOf('/')), values, clientId);
        }
        return last.thenApply(s -> values);
    }

    @Override
    public CompletableFuture<Void> permitJoin(Duration duration, String viaDevice) {
        CompletableFuture<Void> gate = gate();
        if (gate != null) {
            return gate;
        }
        lastPermitJoin = duration;
        fire(new HubEvent(HubEvent.Type.PERMIT_JOIN, null, null, Map.of("value", !duration.isZero(), "time", duration.toSeconds())));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<DeviceView> rename(String nameOrIeee, String newName) {
        DeviceView v;
        String from;
        synchronized (this) {
            Dev d = find(nameOrIeee);
            if (d == null) {
                return notFound(nameOrIeee);
            }
            if (devices.containsKey(newName)) {
                return CompletableFuture.failedFuture(new CommandException(CommandError.INVALID_VALUE,
                        "to: the name '" + newName + "' is taken"));
            }
            from = d.name;
            devices.remove(d.name);
            d.name = newName;
            devices.put(newName, d);
            v = view(d);
        }
        fire(new HubEvent(HubEvent.Type.DEVICE_RENAMED, newName, v.ieee(), Map.of("from", from, "to", newName)));
        fire(new HubEvent(HubEvent.Type.DEVICES_CHANGED, null, null, Map.of()));
        return CompletableFuture.completedFuture(v);
    }

    @Override
    public CompletableFuture<Void> remove(String nameOrIeee, boolean force) {
        Dev d;
        synchronized (this) {
            d = find(nameOrIeee);
            if (d == null) {
                return notFound(nameOrIeee);
            }
            devices.remove(d.name);
        }
        fire(new HubEvent(HubEvent.Type.DEVICE_REMOVED, d.name, d.ieee, Map.of()));
        fire(new HubEvent(HubEvent.Type.DEVICES_CHANGED, null, null, Map.of()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Map<String, Object>> setOptions(String nameOrIeee, Map<String, Object> options) {
        Dev d = find(nameOrIeee);
        if (d == null) {
            return notFound(nameOrIeee);
        }
        d.options.putAll(options);
        return CompletableFuture.completedFuture(Map.copyOf(d.options));
    }

    @Override
    public CompletableFuture<GroupView> addGroup(String name, Integer groupId) {
        GroupView g;
        synchronized (this) {
            if (groups.containsKey(name)) {
                return CompletableFuture.failedFuture(new CommandException(CommandError.INVALID_VALUE,
                        "friendly_name: group '" + name + "' exists"));
            }
            g = new GroupView(name, groupId == null ? groups.size() + 1 : groupId, List.of());
            groups.put(name, g);
        }
        fire(new HubEvent(HubEvent.Type.GROUPS_CHANGED, null, null, Map.of()));
        return CompletableFuture.completedFuture(g);
    }

    @Override
    public CompletableFuture<Void> removeGroup(String name) {
        synchronized (this) {
            if (groups.remove(name) == null) {
                return CompletableFuture.failedFuture(new CommandException(CommandError.NOT_FOUND, "no group '" + name + "'"));
            }
        }
        fire(new HubEvent(HubEvent.Type.GROUPS_CHANGED, null, null, Map.of()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<GroupView> addGroupMember(String group, String device, Integer endpoint) {
        return member(group, device, endpoint, true);
    }

    @Override
    public CompletableFuture<GroupView> removeGroupMember(String group, String device, Integer endpoint) {
        return member(group, device, endpoint, false);
    }

    private CompletableFuture<GroupView> member(String group, String device, Integer endpoint, boolean add) {
        GroupView n;
        synchronized (this) {
            GroupView g = groups.get(group);
            if (g == null) {
                return CompletableFuture.failedFuture(new CommandException(CommandError.NOT_FOUND, "no group '" + group + "'"));
            }
            Dev d = find(device);
            if (d == null) {
                return notFound(device);
            }
            String m = d.ieee + "/" + (endpoint == null ? 1 : endpoint);
            List<String> members = new ArrayList<>(g.members());
            if (add) {
                if (!members.contains(m)) {
                    members.add(m);
                }
            } else {
                members.remove(m);
            }
            n = new GroupView(g.name(), g.groupId(), List.copyOf(members));
            groups.put(group, n);
        }
        fire(new HubEvent(HubEvent.Type.GROUPS_CHANGED, null, null, Map.of()));
        return CompletableFuture.completedFuture(n);
    }

    @Override
    public AutoCloseable subscribe(Consumer<HubEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public Map<String, Object> health() {
        return Map.of("radios", Map.of("zigbee", "up"), "devices", devices.size());
    }

    @Override
    public Map<String, Object> info() {
        return Map.of("version", "test", "coordinator", Map.of("type", "fake"));
    }
}
