package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.drivers.zigbee.cluster.BasicConverter;
import io.tetheritall.hub.radios.api.Priority;
import io.tetheritall.hub.radios.api.SendOptions;
import org.tinylog.Logger;

import java.util.List;
import java.util.Map;

/**
 * Availability as Zigbee2MQTT does it: a router or mains device silent for
 * {@link CoreConfig#mainsPingAfter()} (10 min) is pinged with a read of Basic zclVersion, and
 * marked unavailable if the ping fails; a battery device silent for
 * {@link CoreConfig#batteryUnavailableAfter()} (25 h) is marked unavailable. Any frame from a
 * device makes it available again. Driven by {@link #check()} from the hub's tick.
 */
final class AvailabilityMonitor {
    private final HubContext hub;

    AvailabilityMonitor(HubContext hub) {
        this.hub = hub;
    }

    /** A frame arrived from {@code d}. */
    void seen(Device d, int lqi) {
        boolean back;
        synchronized (hub.registry) {
            d.lastSeenNanos = hub.clock.nanos();
            d.lastSeenWallMillis = hub.wallMillis.getAsLong();
            back = !d.available;
            d.available = true;
            d.downWithRadio = false;
            if (back) {
                hub.registry.markDirty(d);
            }
        }
        if (back) {
            Logger.info("{}: available again", d.name);
            hub.publish(HubEvent.Type.AVAILABILITY, d, Map.of("available", true));
        }
    }

    /**
     * The radio went down (breaker open, link lost, recovery running): every device behind it is
     * unreachable now, whatever its last report said. The reason goes with the event.
     */
    void radioDown(String reason) {
        for (Device d : hub.registry.all()) {
            boolean changed;
            synchronized (hub.registry) {
                changed = d.available && !d.removed;
                if (changed) {
                    d.available = false;
                    d.downWithRadio = true;
                    hub.registry.markDirty(d);
                }
            }
            if (changed) {
                hub.publish(HubEvent.Type.AVAILABILITY, d, Map.of("available", false, "reason", "radio down: " + reason));
            }
        }
        hub.metrics.increment("availability.radio_down");
    }

    /** The radio is back: devices that went down only with it come back with it. */
    void radioUp() {
        for (Device d : hub.registry.all()) {
            boolean changed;
            synchronized (hub.registry) {
                changed = d.downWithRadio && !d.removed;
                if (changed) {
                    d.available = true;
                    d.downWithRadio = false;
                    hub.registry.markDirty(d);
                }
            }
            if (changed) {
                hub.publish(HubEvent.Type.AVAILABILITY, d, Map.of("available", true));
            }
        }
    }

    void setUnavailable(Device d, String why) {
        synchronized (hub.registry) {
            if (!d.available || d.removed) {
                return;
            }
            d.available = false;
            hub.registry.markDirty(d);
        }
        hub.metrics.increment("availability.unavailable");
        Logger.info("{}: unavailable ({})", d.name, why);
        hub.publish(HubEvent.Type.AVAILABILITY, d, Map.of("available", false));
    }

    /** One pass over every interviewed device; returns how many pings it sent. */
    int check() {
        long now = hub.clock.nanos();
        long pingAfter = hub.config.mainsPingAfter().toNanos();
        long batteryAfter = hub.config.batteryUnavailableAfter().toNanos();
        List<Device> devices = hub.registry.all();
        int pings = 0;
        for (Device d : devices) {
            boolean ping = false;
            boolean expire = false;
            synchronized (hub.registry) {
                if (d.interview != Device.Interview.SUCCESSFUL || d.removed) {
                    continue;
                }
                long silence = now - d.lastSeenNanos;
                if (d.mainsPowered()) {
                    if (silence >= pingAfter && !d.pingInFlight
                            && (d.lastPingNanos == 0 || now - d.lastPingNanos >= pingAfter)) {
                        d.pingInFlight = true;
                        d.lastPingNanos = now;
                        ping = true;
                    }
                } else if (d.available && silence >= batteryAfter) {
                    expire = true;
                }
            }
            if (expire) {
                setUnavailable(d, "no frame for " + hub.config.batteryUnavailableAfter());
            }
            if (ping) {
                pings++;
                ping(d);
            }
        }
        return pings;
    }

    private void ping(Device d) {
        int ep;
        synchronized (hub.registry) {
            ep = d.endpointFor(BasicConverter.CLUSTER);
        }
        hub.metrics.increment("availability.ping");
        hub.read(d, ep, BasicConverter.CLUSTER, List.of(BasicConverter.ZCL_VERSION), hub.config.stepTimeout(),
                new SendOptions(Priority.POLL, "ping", null, hub.config.stepTimeout()), d.name + " ping")
                .whenComplete((f, e) -> {
                    synchronized (hub.registry) {
                        d.pingInFlight = false;
                    }
                    if (e != null) {
                        setUnavailable(d, "ping failed: " + Errors.reason(e));
                    }
                });
    }
}
