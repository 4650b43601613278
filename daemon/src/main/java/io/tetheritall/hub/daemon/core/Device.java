package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.drivers.zigbee.cluster.ClusterOptions;
import io.tetheritall.hub.drivers.zigbee.cluster.ConverterContext;
import io.tetheritall.hub.drivers.zigbee.definition.BoundCapability;
import io.tetheritall.hub.drivers.zigbee.definition.DeviceDefinition;
import io.tetheritall.hub.drivers.zigbee.definition.ExposedCluster;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclValue;
import io.tetheritall.hub.radios.api.SimpleDescriptor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One paired device as the hub core holds it in memory. Mutable; every access goes through the
 * {@link DeviceRegistry}'s lock.
 */
final class Device {
    enum Interview { PENDING, IN_PROGRESS, SUCCESSFUL, FAILED }

    final long ieee;
    int nwk;
    String name;
    String type = "Unknown";
    int manufacturerCode = -1;
    String powerSource = "Unknown";
    String manufacturer;
    String model;
    List<SimpleDescriptor> endpoints = List.of();
    Interview interview = Interview.PENDING;
    String interviewError;
    /** Incremented when an interview starts or is abandoned, so stale steps stop. */
    int interviewGeneration;
    int interviewAttempts;
    ClockScheduler.Timer interviewRetry;
    /** The interview step in flight, failed at once when the interview is abandoned. */
    java.util.concurrent.CompletableFuture<?> interviewStep;
    DeviceDefinition definition;
    List<BoundCapability> capabilities = List.of();
    final Map<Long, ZclValue> attributes = new HashMap<>();
    final Map<String, Object> state = new LinkedHashMap<>();
    final Set<String> optimistic = new LinkedHashSet<>();
    final Map<String, Object> options = new LinkedHashMap<>();
    /** Counts the STATE events published for this device, so a command can tell whether one went out since it was sent. */
    long stateSeq;
    /** The state (or its optimistic names) changed since the last STATE event: a command's confirmation applied it silently. */
    boolean unpublished;
    /**
     * Names a command confirmation just published (by default response, or optimistically): the device's own
     * attribute report of the same, unchanged values is that command's echo, folded in without a second event.
     */
    final Set<String> echo = new LinkedHashSet<>();
    long echoUntilNanos;
    /** State names the commands in flight expect, with how many commands expect each. */
    final Map<String, Integer> commanded = new HashMap<>();
    long lastSeenWallMillis;
    long lastSeenNanos;
    boolean available = true;
    /** Unavailable only because its radio is down: available again when the radio is back. */
    boolean downWithRadio;
    boolean pingInFlight;
    long lastPingNanos;
    boolean removed;

    Device(long ieee, int nwk) {
        this.ieee = ieee;
        this.nwk = nwk;
        this.name = ieeeString(ieee);
    }

    static String ieeeString(long ieee) {
        return String.format("0x%016x", ieee);
    }

    String ieeeString() {
        return ieeeString(ieee);
    }

    static long attrKey(int cluster, int attr) {
        return ((long) cluster << 16) | (attr & 0xFFFF);
    }

    /** Battery devices are judged by silence; mains devices and routers are pinged. */
    boolean mainsPowered() {
        return "Router".equals(type) || "Mains".equals(powerSource) || "DC".equals(powerSource);
    }

    /** The first endpoint that has {@code cluster} as a server cluster, or 1. */
    int endpointFor(int cluster) {
        for (SimpleDescriptor sd : endpoints) {
            if (sd.inputClusters().contains(cluster)) {
                return sd.endpoint();
            }
        }
        return endpoints.isEmpty() ? 1 : endpoints.get(0).endpoint();
    }

    BoundCapability capability(String name) {
        for (BoundCapability b : capabilities) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        return null;
    }

    /** Rebuilds the capabilities from the definition with the current attribute cache. */
    void bindCapabilities(HubMetrics metrics) {
        capabilities = definition == null ? List.of() : definition.capabilities(ec -> context(ec, metrics));
    }

    /** A converter context over this device for an exposed cluster (or bare options). */
    ConverterContext context(ExposedCluster ec, HubMetrics metrics) {
        int ep = ec == null ? 1 : ec.endpoint();
        ClusterOptions opts = ec == null ? ClusterOptions.NONE : ec.options();
        Device self = this;
        return new ConverterContext() {
            public int endpoint() {
                return ep;
            }

            public ClusterOptions options() {
                return opts;
            }

            public ZclValue attribute(int clusterId, int attributeId) {
                return self.attributes.get(attrKey(clusterId, attributeId));
            }

            public Map<String, Object> state() {
                return java.util.Collections.unmodifiableMap(self.state);
            }

            public void drop(String reason, String message) {
                metrics.dropped(reason);
                org.tinylog.Logger.warn("{}: dropped attribute: {}", self.name, message);
            }
        };
    }

    List<String> capabilityNames() {
        List<String> out = new ArrayList<>();
        capabilities.forEach(b -> out.add(b.name()));
        return out;
    }
}
