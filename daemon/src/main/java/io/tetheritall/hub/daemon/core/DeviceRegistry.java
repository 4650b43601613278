package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.api.CapabilityView;
import io.tetheritall.hub.daemon.core.api.DeviceView;
import io.tetheritall.hub.daemon.core.api.GroupView;
import io.tetheritall.hub.daemon.core.registry.DeviceRepository;
import io.tetheritall.hub.daemon.core.registry.StoredDevice;
import io.tetheritall.hub.daemon.core.registry.StoredDevice.StoredAttribute;
import io.tetheritall.hub.daemon.core.registry.StoredDevice.StoredEndpoint;
import io.tetheritall.hub.daemon.core.registry.StoredGroup;
import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.capability.NumericCapability;
import io.tetheritall.hub.drivers.zigbee.definition.BoundCapability;
import io.tetheritall.hub.drivers.zigbee.definition.DefinitionRegistry;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclValue;
import io.tetheritall.hub.radios.api.SimpleDescriptor;
import org.tinylog.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every paired device and group, indexed by IEEE address, network address and friendly name, and
 * their persistence through a {@link DeviceRepository}. One lock guards all of it: callers
 * synchronise on the registry for compound updates.
 */
final class DeviceRegistry {
    private final Map<Long, Device> byIeee = new LinkedHashMap<>();
    private final Map<Integer, Device> byNwk = new HashMap<>();
    private final Map<String, Device> byName = new HashMap<>();
    private final Map<String, StoredGroup> groups = new TreeMap<>();
    private final Set<Long> dirty = new HashSet<>();
    private final DeviceRepository repository;
    private final DefinitionRegistry definitions;
    private final HubMetrics metrics;

    DeviceRegistry(DeviceRepository repository, DefinitionRegistry definitions, HubMetrics metrics) {
        this.repository = repository;
        this.definitions = definitions;
        this.metrics = metrics;
    }

    /** Loads everything from the repository; devices get {@code nowNanos} as last seen (a grace period). */
    synchronized void load(long nowNanos) {
        for (StoredDevice s : repository.loadDevices()) {
            try {
                Device d = fromStored(s);
                d.lastSeenNanos = nowNanos;
                index(d);
            } catch (RuntimeException e) {
                metrics.increment("registry.load_failed");
                Logger.error(e, "cannot restore device {}", s.ieee());
            }
        }
        for (StoredGroup g : repository.loadGroups()) {
            groups.put(g.name(), g);
        }
    }

    private void index(Device d) {
        byIeee.put(d.ieee, d);
        byNwk.put(d.nwk, d);
        byName.put(d.name, d);
    }

    synchronized Device byIeee(long ieee) {
        return byIeee.get(ieee);
    }

    synchronized Device byNwk(int nwk) {
        return byNwk.get(nwk);
    }

    /** By friendly name, or by IEEE address {@code 0x...}. */
    synchronized Device find(String nameOrIeee) {
        if (nameOrIeee == null) {
            return null;
        }
        Device d = byName.get(nameOrIeee);
        if (d == null && nameOrIeee.matches("0x[0-9a-fA-F]{1,16}")) {
            d = byIeee.get(Long.parseUnsignedLong(nameOrIeee.substring(2), 16));
        }
        return d;
    }

    synchronized List<Device> all() {
        return new ArrayList<>(byIeee.values());
    }

    /** The device with this IEEE address, created if new; its network address is updated. */
    synchronized Device upsert(long ieee, int nwk) {
        Device d = byIeee.get(ieee);
        if (d == null) {
            d = new Device(ieee, nwk);
            index(d);
            persistNow(d);
            return d;
        }
        if (d.nwk != nwk) {
            if (byNwk.get(d.nwk) == d) {
                byNwk.remove(d.nwk);
            }
            d.nwk = nwk;
            byNwk.put(nwk, d);
            persistNow(d);
        }
        return d;
    }

    synchronized boolean nameTaken(String name) {
        return byName.containsKey(name);
    }

    synchronized void rename(Device d, String newName) {
        byName.remove(d.name);
        d.name = newName;
        byName.put(newName, d);
        persistNow(d);
    }

    synchronized void remove(Device d) {
        d.removed = true;
        byIeee.remove(d.ieee);
        if (byNwk.get(d.nwk) == d) {
            byNwk.remove(d.nwk);
        }
        byName.remove(d.name);
        dirty.remove(d.ieee);
        repository.deleteDevice(d.ieeeString());
        String prefix = d.ieeeString() + "/";
        for (StoredGroup g : new ArrayList<>(groups.values())) {
            if (g.members().stream().anyMatch(m -> m.startsWith(prefix))) {
                saveGroup(new StoredGroup(g.name(), g.groupId(),
                        g.members().stream().filter(m -> !m.startsWith(prefix)).toList()));
            }
        }
        repository.flush();
    }

    /** Writes a structural change (join, interview, rename) at once. */
    synchronized void persistNow(Device d) {
        dirty.remove(d.ieee);
        repository.saveDevice(toStored(d));
        repository.flush();
    }

    /** Marks a state change to be written at the next {@link #flushDirty()}. */
    synchronized void markDirty(Device d) {
        dirty.add(d.ieee);
    }

    synchronized void flushDirty() {
        if (dirty.isEmpty()) {
            return;
        }
        for (Long ieee : dirty) {
            Device d = byIeee.get(ieee);
            if (d != null) {
                repository.saveDevice(toStored(d));
            }
        }
        dirty.clear();
        repository.flush();
    }

    // --- groups ---

    synchronized List<StoredGroup> groups() {
        return new ArrayList<>(groups.values());
    }

    synchronized StoredGroup group(String name) {
        return groups.get(name);
    }

    synchronized StoredGroup groupById(int id) {
        return groups.values().stream().filter(g -> g.groupId() == id).findFirst().orElse(null);
    }

    synchronized void saveGroup(StoredGroup g) {
        groups.put(g.name(), g);
        repository.saveGroup(g);
        repository.flush();
    }

    synchronized void deleteGroup(String name) {
        groups.remove(name);
        repository.deleteGroup(name);
        repository.flush();
    }

    static GroupView view(StoredGroup g) {
        return new GroupView(g.name(), g.groupId(), g.members());
    }

    // --- views and persistence mapping ---

    synchronized DeviceView view(Device d) {
        List<CapabilityView> caps = new ArrayList<>();
        for (BoundCapability b : d.capabilities) {
            caps.add(capabilityView(b.capability()));
        }
        if (!d.capabilities.isEmpty()) {
            caps.add(new CapabilityView("linkquality", "numeric", "lqi", 0d, 255d, List.of(), false, false, true,
                    d.endpoints.isEmpty() ? 1 : d.endpoints.get(0).endpoint()));
        }
        return new DeviceView(d.ieeeString(), d.name, d.nwk, d.type, d.manufacturer, d.model,
                d.definition == null ? null : d.definition.displayName(), d.powerSource, d.interview.name(),
                d.available, d.lastSeenWallMillis, List.copyOf(caps), deepCopy(d.state), List.copyOf(d.optimistic),
                Map.copyOf(d.options));
    }

    static CapabilityView capabilityView(Capability c) {
        Double min = null;
        Double max = null;
        if (c instanceof NumericCapability n) {
            min = n.min();
            max = n.max();
        }
        return new CapabilityView(c.name(), c.kind(), c.unit(), min, max, c.values(), c.readable(), c.settable(),
                c.reported(), c.endpoint());
    }

    synchronized List<DeviceView> views() {
        List<DeviceView> out = new ArrayList<>();
        for (Device d : byIeee.values()) {
            out.add(view(d));
        }
        out.sort(Comparator.comparing(DeviceView::friendlyName));
        return out;
    }

    static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> mm ? Map.copyOf(mm) : v));
        return java.util.Collections.unmodifiableMap(out);
    }

    StoredDevice toStored(Device d) {
        List<StoredEndpoint> eps = new ArrayList<>();
        for (SimpleDescriptor sd : d.endpoints) {
            eps.add(new StoredEndpoint(sd.endpoint(), sd.profileId(), sd.deviceId(), sd.inputClusters(),
                    sd.outputClusters()));
        }
        Map<String, StoredAttribute> attrs = new TreeMap<>();
        d.attributes.forEach((k, v) -> {
            Object val = v.value();
            if (val instanceof Long || val instanceof String || val instanceof Boolean || val instanceof Double) {
                attrs.put(String.format("0x%04x/0x%04x", k >> 16, k & 0xFFFF), new StoredAttribute(v.type().id(), val));
            }
        });
        return new StoredDevice(d.ieeeString(), d.nwk, d.name, d.type, d.manufacturerCode, d.powerSource,
                d.manufacturer, d.model, eps, d.interview.name(), attrs, new LinkedHashMap<>(d.state),
                new ArrayList<>(d.optimistic), new LinkedHashMap<>(d.options), d.lastSeenWallMillis, d.available);
    }

    Device fromStored(StoredDevice s) {
        Device d = new Device(Long.parseUnsignedLong(s.ieee().substring(2), 16), s.nwk());
        d.name = s.friendlyName();
        d.type = s.type();
        d.manufacturerCode = s.manufacturerCode();
        d.powerSource = s.powerSource();
        d.manufacturer = s.manufacturer();
        d.model = s.model();
        List<SimpleDescriptor> eps = new ArrayList<>();
        if (s.endpoints() != null) {
            for (StoredEndpoint e : s.endpoints()) {
                eps.add(new SimpleDescriptor(e.endpoint(), e.profileId(), e.deviceId(), e.inputClusters(),
                        e.outputClusters()));
            }
        }
        d.endpoints = List.copyOf(eps);
        d.interview = Device.Interview.valueOf(s.interview());
        if (d.interview == Device.Interview.IN_PROGRESS) {
            d.interview = Device.Interview.PENDING; // the interview died with the process
        }
        if (s.attributes() != null) {
            s.attributes().forEach((k, a) -> {
                String[] parts = k.split("/");
                int cluster = Integer.decode(parts[0]);
                int attr = Integer.decode(parts[1]);
                ZclDataType t = ZclDataType.byId(a.type());
                Object v = a.value();
                // JSON gives back Integer for small numbers: restore the codec's Java types.
                if (t.integral() && v instanceof Number n) {
                    v = n.longValue();
                } else if (v instanceof Number n && !(v instanceof Double)) {
                    v = n.doubleValue();
                }
                d.attributes.put(Device.attrKey(cluster, attr), ZclValue.of(t, v));
            });
        }
        if (s.state() != null) {
            s.state().forEach((k, v) -> d.state.put(k, normalise(v)));
        }
        if (s.optimistic() != null) {
            d.optimistic.addAll(s.optimistic());
        }
        if (s.options() != null) {
            d.options.putAll(s.options());
        }
        d.lastSeenWallMillis = s.lastSeenMillis();
        d.available = s.available();
        if (d.model != null || !d.endpoints.isEmpty()) {
            d.definition = definitions.resolve(d.manufacturer, d.model, d.endpoints);
            d.bindCapabilities(metrics);
        }
        return d;
    }

    /** Integer → Long so restored state equals live state. */
    static Object normalise(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), normalise(x)));
            return out;
        }
        return v;
    }
}
