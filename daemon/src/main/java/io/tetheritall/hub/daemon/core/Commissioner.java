package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.drivers.zigbee.cluster.BasicConverter;
import io.tetheritall.hub.drivers.zigbee.cluster.ClusterConverter;
import io.tetheritall.hub.drivers.zigbee.cluster.Converters;
import io.tetheritall.hub.drivers.zigbee.cluster.IasZoneConverter;
import io.tetheritall.hub.drivers.zigbee.definition.DeviceDefinition;
import io.tetheritall.hub.drivers.zigbee.definition.ExposedCluster;
import io.tetheritall.hub.drivers.zigbee.definition.Quirk;
import io.tetheritall.hub.drivers.zigbee.definition.Reporting;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclFrame;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReadRecord;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclStatus;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclValue;
import io.tetheritall.hub.radios.api.NetworkInfo;
import io.tetheritall.hub.radios.api.NodeDescriptor;
import io.tetheritall.hub.radios.api.Priority;
import io.tetheritall.hub.radios.api.SendOptions;
import io.tetheritall.hub.radios.api.SimpleDescriptor;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The join flow: joined → interview (node descriptor, active endpoints, simple descriptors,
 * Basic identity, the attributes converters need) → bind and configure reporting where the
 * definition asks → ready. Each step is a future with a deadline on the hub clock; a failed
 * interview is retried with doubling backoff up to {@link CoreConfig#interviewRetries()} times and
 * can be restarted on request. A device that leaves abandons its interview.
 *
 * <p>Failures while configuring (bind, reporting, IAS CIE address) do not fail the interview: the
 * device is usable, it just may not report by itself; they are logged and counted.
 */
final class Commissioner {
    private final HubContext hub;

    Commissioner(HubContext hub) {
        this.hub = hub;
    }

    private SendOptions options() {
        return new SendOptions(Priority.BACKGROUND, null, null, hub.config.stepTimeout());
    }

    void joined(int nwk, long ieee) {
        Device d;
        boolean interview;
        synchronized (hub.registry) {
            d = hub.registry.upsert(ieee, nwk);
            interview = d.interview != Device.Interview.SUCCESSFUL && d.interview != Device.Interview.IN_PROGRESS;
        }
        hub.publish(HubEvent.Type.DEVICE_JOINED, d, HubContext.data("nwk", nwk));
        if (interview) {
            hub.publish(HubEvent.Type.DEVICES_CHANGED, null, Map.of());
            start(d, false);
        }
    }

    void announced(int nwk, long ieee) {
        Device d;
        boolean known;
        synchronized (hub.registry) {
            known = hub.registry.byIeee(ieee) != null;
            d = hub.registry.upsert(ieee, nwk);
        }
        hub.publish(HubEvent.Type.DEVICE_ANNOUNCE, d, HubContext.data("nwk", nwk));
        boolean interview;
        synchronized (hub.registry) {
            interview = !known || d.interview == Device.Interview.PENDING || d.interview == Device.Interview.FAILED;
        }
        if (interview) {
            start(d, false);
        }
    }

    /** The device left: its interview is abandoned; unless it will rejoin it is removed from the registry. */
    void left(int nwk, long ieee, boolean rejoin) {
        Device d = hub.registry.byIeee(ieee);
        if (d == null) {
            d = hub.registry.byNwk(nwk);
        }
        if (d == null) {
            hub.metrics.dropped("unknown_device");
            Logger.info("leave from unknown device 0x{} / {}", Long.toHexString(ieee), nwk);
            return;
        }
        abandon(d, "device left the network");
        hub.publish(HubEvent.Type.DEVICE_LEAVE, d, HubContext.data("rejoin", rejoin));
        if (!rejoin) {
            hub.registry.remove(d);
            hub.transactions.failAll(nwk, new Errors.AbandonedException("device left the network"));
            hub.publish(HubEvent.Type.DEVICE_REMOVED, d, HubContext.data("reason", "leave"));
            hub.publish(HubEvent.Type.DEVICES_CHANGED, null, Map.of());
        }
    }

    /** Stops any running interview and pending retry for {@code d}. */
    void abandon(Device d, String why) {
        CompletableFuture<?> step;
        synchronized (hub.registry) {
            d.interviewGeneration++;
            if (d.interview == Device.Interview.IN_PROGRESS) {
                d.interview = Device.Interview.FAILED;
                d.interviewError = why;
            }
            if (d.interviewRetry != null) {
                d.interviewRetry.cancel();
                d.interviewRetry = null;
            }
            step = d.interviewStep;
            d.interviewStep = null;
        }
        if (step != null) {
            step.completeExceptionally(new Errors.AbandonedException(why));
        }
    }

    /** Starts (or restarts) an interview; {@code manual} resets the retry count. */
    CompletableFuture<Void> start(Device d, boolean manual) {
        int gen;
        synchronized (hub.registry) {
            if (d.removed) {
                return CompletableFuture.failedFuture(new Errors.AbandonedException("device removed"));
            }
            if (d.interviewRetry != null) {
                d.interviewRetry.cancel();
                d.interviewRetry = null;
            }
            if (manual) {
                d.interviewAttempts = 0;
            }
            d.interviewAttempts++;
            gen = ++d.interviewGeneration;
            d.interview = Device.Interview.IN_PROGRESS;
            d.interviewError = null;
        }
        hub.metrics.increment("interview.started");
        hub.publish(HubEvent.Type.INTERVIEW_STARTED, d, HubContext.data("status", "started"));
        long t0 = hub.clock.nanos();
        CompletableFuture<Void> done = new CompletableFuture<>();
        step(d, gen, "node descriptor", () -> hub.radio.nodeDescriptor(nwk(d)))
                .thenAccept(nd -> nodeDescriptor(d, nd))
                .thenCompose(v -> step(d, gen, "active endpoints", () -> hub.radio.activeEndpoints(nwk(d))))
                .thenCompose(eps -> simpleDescriptors(d, gen, eps, 0, new ArrayList<>()))
                .thenCompose(v -> basic(d, gen))
                .thenCompose(v -> interviewAttributes(d, gen))
                .thenCompose(v -> configure(d, gen))
                .whenComplete((v, e) -> {
                    finish(d, gen, e, hub.clock.nanos() - t0);
                    if (e == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(e);
                    }
                });
        return done;
    }

    private int nwk(Device d) {
        synchronized (hub.registry) {
            return d.nwk;
        }
    }

    /** Runs one step with the step deadline, refusing to run or continue if the interview was abandoned. */
    private <T> CompletableFuture<T> step(Device d, int gen, String what, Supplier<CompletableFuture<T>> action) {
        if (!current(d, gen)) {
            return CompletableFuture.failedFuture(new Errors.AbandonedException("interview abandoned before " + what));
        }
        CompletableFuture<T> f;
        try {
            f = action.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> bounded = hub.within(f, hub.config.stepTimeout(), what);
        boolean stale;
        synchronized (hub.registry) {
            d.interviewStep = bounded;
            stale = d.removed || d.interviewGeneration != gen;
        }
        if (stale) {
            // abandoned while the request was being made (e.g. the device left in between)
            bounded.completeExceptionally(new Errors.AbandonedException("device left the network during " + what));
        }
        return bounded.thenApply(v -> {
            if (!current(d, gen)) {
                throw new Errors.AbandonedException("interview abandoned during " + what);
            }
            return v;
        });
    }

    private boolean current(Device d, int gen) {
        synchronized (hub.registry) {
            return !d.removed && d.interviewGeneration == gen;
        }
    }

    private void nodeDescriptor(Device d, NodeDescriptor nd) {
        synchronized (hub.registry) {
            d.type = nd.logicalType() == 0 ? "Coordinator" : nd.logicalType() == 1 ? "Router" : "EndDevice";
            d.manufacturerCode = nd.manufacturerCode();
            d.powerSource = nd.mainsPowered() ? "Mains" : "Battery";
        }
    }

    private CompletableFuture<Void> simpleDescriptors(Device d, int gen, List<Integer> eps, int i,
                                                      List<SimpleDescriptor> acc) {
        if (i >= eps.size()) {
            synchronized (hub.registry) {
                d.endpoints = List.copyOf(acc);
            }
            if (acc.isEmpty()) {
                return CompletableFuture.failedFuture(new IllegalStateException("device has no endpoints"));
            }
            return CompletableFuture.completedFuture(null);
        }
        int ep = eps.get(i);
        return step(d, gen, "simple descriptor of endpoint " + ep, () -> hub.radio.simpleDescriptor(nwk(d), ep))
                .thenCompose(sd -> {
                    // Zigbee Green Power (242) and other non-HA endpoints carry nothing the hub uses.
                    if (sd.profileId() == 0x0104 || sd.profileId() == 0xC05E) {
                        acc.add(sd);
                    }
                    return simpleDescriptors(d, gen, eps, i + 1, acc);
                });
    }

    private CompletableFuture<Void> basic(Device d, int gen) {
        int ep;
        synchronized (hub.registry) {
            ep = d.endpointFor(BasicConverter.CLUSTER);
        }
        List<Integer> attrs = List.of(BasicConverter.MANUFACTURER_NAME, BasicConverter.MODEL_IDENTIFIER,
                BasicConverter.POWER_SOURCE);
        return step(d, gen, "Basic attributes", () -> hub.read(d, ep, BasicConverter.CLUSTER, attrs,
                hub.config.stepTimeout(), options(), d.name + " interview Basic")).thenAccept(frame -> {
            List<AttributeValue> ok = new ArrayList<>();
            for (ReadRecord r : ((ZclGlobal.ReadAttributesResponse) ZclGlobal.decode(frame)).records()) {
                if (r.success()) {
                    ok.add(new AttributeValue(r.attributeId(), r.value()));
                }
            }
            synchronized (hub.registry) {
                Map<String, Object> id = Converters.BASIC.identity(ok, d.context(null, hub.metrics));
                d.manufacturer = (String) id.getOrDefault("manufacturer", d.manufacturer);
                d.model = (String) id.getOrDefault("model", d.model);
                if (id.get("powerSource") instanceof String ps && !ps.equals("Unknown")) {
                    d.powerSource = ps;
                }
                d.definition = hub.definitions.resolve(d.manufacturer, d.model, d.endpoints);
            }
        });
    }

    /** Reads what converters need (divisors, zone type, colour capabilities); failures are tolerated. */
    private CompletableFuture<Void> interviewAttributes(Device d, int gen) {
        List<ExposedCluster> clusters;
        synchronized (hub.registry) {
            clusters = d.definition.clusters();
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (ExposedCluster ec : clusters) {
            ClusterConverter conv = Converters.forCluster(ec.clusterId());
            List<Integer> attrs = conv == null ? List.of() : conv.interviewAttributes();
            if (attrs.isEmpty()) {
                continue;
            }
            chain = chain.thenCompose(v -> tolerate(step(d, gen, conv.name() + " attributes", () -> hub.read(d,
                    ec.endpoint(), ec.clusterId(), attrs, hub.config.stepTimeout(), options(),
                    d.name + " interview " + conv.name())), d, gen, "read " + conv.name()));
        }
        return chain;
    }

    /** Binds and configures reporting as the definition asks; writes the IAS CIE address. */
    private CompletableFuture<Void> configure(Device d, int gen) {
        DeviceDefinition def;
        long ieee;
        synchronized (hub.registry) {
            def = d.definition;
            ieee = d.ieee;
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        if (def.has(Quirk.NO_CONFIGURE)) {
            return chain;
        }
        NetworkInfo net = hub.radio.network();
        for (ExposedCluster ec : def.clusters()) {
            if (ec.clusterId() == IasZoneConverter.CLUSTER && net != null) {
                byte[] payload = new ZclGlobal.WriteAttributes(List.of(new AttributeValue(
                        IasZoneConverter.IAS_CIE_ADDRESS, ZclValue.of(ZclDataType.IEEE_ADDRESS,
                        net.coordinatorIeee())))).payload();
                chain = chain.thenCompose(v -> tolerate(step(d, gen, "IAS CIE address", () -> hub.request(d,
                        ec.endpoint(), IasZoneConverter.CLUSTER, false, ZclGlobal.WRITE_ATTRIBUTES, payload, true,
                        hub.config.stepTimeout(), options(), null, d.name + " write CIE address")), d, gen,
                        "write CIE address"));
            }
        }
        Map<String, List<ReportingRecord>> byCluster = new LinkedHashMap<>();
        for (Reporting r : def.reporting()) {
            byCluster.computeIfAbsent(r.endpoint() + "/" + r.clusterId(), k -> new ArrayList<>()).add(r.record());
        }
        for (Map.Entry<String, List<ReportingRecord>> e : byCluster.entrySet()) {
            String[] k = e.getKey().split("/");
            int ep = Integer.parseInt(k[0]);
            int cluster = Integer.parseInt(k[1]);
            String what = String.format("cluster 0x%04x", cluster);
            byte[] payload = new ZclGlobal.ConfigureReporting(e.getValue()).payload();
            chain = chain.thenCompose(v -> tolerate(step(d, gen, "bind " + what,
                    () -> hub.radio.bind(nwk(d), ieee, ep, cluster))
                    .thenCompose(x -> step(d, gen, "configure reporting " + what, () -> hub.request(d, ep, cluster,
                            false, ZclGlobal.CONFIGURE_REPORTING, payload, true, hub.config.stepTimeout(), options(),
                            null, d.name + " configure reporting " + what)))
                    .thenAccept(this::checkConfigureResponse), d, gen, "configure " + what));
        }
        return chain;
    }

    private void checkConfigureResponse(ZclFrame f) {
        if (f == null) {
            return;
        }
        ZclGlobal.Command c = ZclGlobal.decode(f);
        if (c instanceof ZclGlobal.ConfigureReportingResponse r && !r.allSucceeded()) {
            throw new IllegalStateException("configure reporting refused: " + r.records());
        }
        if (c instanceof ZclGlobal.DefaultResponse dr && dr.status() != ZclStatus.SUCCESS) {
            throw new IllegalStateException("configure reporting refused: " + ZclStatus.name(dr.status()));
        }
    }

    /** Turns a failed optional step into a log line and a count, unless the interview was abandoned. */
    private <T> CompletableFuture<Void> tolerate(CompletableFuture<T> f, Device d, int gen, String what) {
        return f.handle((v, e) -> {
            if (e != null) {
                if (!current(d, gen)) {
                    throw new Errors.AbandonedException("interview abandoned during " + what);
                }
                hub.metrics.increment("configure.failed");
                Logger.warn("{}: {} failed: {}", d.name, what, Errors.reason(e));
            }
            return null;
        });
    }

    private void finish(Device d, int gen, Throwable e, long elapsedNanos) {
        if (e == null) {
            synchronized (hub.registry) {
                if (!current(d, gen)) {
                    return;
                }
                d.interview = Device.Interview.SUCCESSFUL;
                d.interviewAttempts = 0;
                d.available = true;
                d.bindCapabilities(hub.metrics);
                hub.registry.persistNow(d);
            }
            hub.metrics.increment("interview.successful");
            Logger.info("{}: interview successful ({}), {} ms", d.name, d.definition.displayName(),
                    elapsedNanos / 1_000_000);
            hub.publish(HubEvent.Type.INTERVIEW_SUCCESSFUL, d, HubContext.data("status", "successful",
                    "definition", d.definition.displayName(), "supported", !d.definition.generic(),
                    "durationMs", elapsedNanos / 1_000_000));
            hub.publish(HubEvent.Type.DEVICES_CHANGED, null, Map.of());
            return;
        }
        String reason = Errors.reason(e);
        boolean abandoned = e instanceof Errors.AbandonedException
                || e.getCause() instanceof Errors.AbandonedException || !current(d, gen);
        Duration retryIn = null;
        synchronized (hub.registry) {
            if (d.interviewGeneration == gen || d.removed) {
                d.interview = Device.Interview.FAILED;
                d.interviewError = reason;
            }
            if (!abandoned && !d.removed && d.interviewAttempts <= hub.config.interviewRetries()) {
                retryIn = hub.config.interviewBackoff().multipliedBy(1L << Math.min(16, d.interviewAttempts - 1));
                Duration delay = retryIn;
                d.interviewRetry = hub.scheduler.schedule(delay, () -> start(d, false));
            }
            if (!d.removed) {
                hub.registry.persistNow(d);
            }
        }
        hub.metrics.increment("interview.failed");
        Logger.warn("{}: interview failed: {}{}", d.name, reason, retryIn == null ? "" : ", retry in " + retryIn);
        hub.publish(HubEvent.Type.INTERVIEW_FAILED, d, HubContext.data("status", "failed", "reason", reason,
                "retryInSeconds", retryIn == null ? -1 : retryIn.toSeconds()));
    }
}
