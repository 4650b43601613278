package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.CommandException;
import io.tetheritall.hub.drivers.capability.NumericCapability;
import io.tetheritall.hub.drivers.capability.ValueValidationException;
import io.tetheritall.hub.drivers.zigbee.cluster.ZclRequest;
import io.tetheritall.hub.drivers.zigbee.definition.BoundCapability;
import io.tetheritall.hub.drivers.zigbee.definition.Quirk;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclFrame;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclStatus;
import io.tetheritall.hub.radios.api.Priority;
import io.tetheritall.hub.radios.api.SendOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@code set} and {@code get} on one device. Values are validated against the device's
 * capabilities before anything is sent. A set completes when the device confirms each command —
 * by a default response (matched by TSN) or by an attribute report showing the expected value —
 * and fails with a typed {@link CommandException}. Devices that cannot confirm (quirk
 * NO_DEFAULT_RESPONSE, or the device option {@code optimistic=true}) get optimistic state, listed
 * in the device's {@code optimistic} names.
 */
final class CommandService {
    /** Keys of a set call that tune the commands rather than name a capability. */
    static final NumericCapability TRANSITION = NumericCapability.of("transition", "s", 0, "s", 0d, 6553d, false);
    static final NumericCapability SCENE_GROUP = NumericCapability.of("scene_group", "s", 0, null, 0d, 65535d, true);

    private final HubContext hub;

    CommandService(HubContext hub) {
        this.hub = hub;
    }

    /** A capability and the requests it became. */
    record Planned(BoundCapability capability, List<ZclRequest> requests) {
    }

    /** Validates {@code values}; returns the normalised values or throws CommandException. */
    static Map<String, Object> validate(Device d, Map<String, Object> values) {
        if (values == null || values.isEmpty()) {
            throw new CommandException(CommandError.INVALID_VALUE, d.name + ": nothing to set");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            try {
                if (key.equals(TRANSITION.name())) {
                    out.put(key, TRANSITION.validate(e.getValue()));
                    continue;
                }
                if (key.equals(SCENE_GROUP.name())) {
                    out.put(key, SCENE_GROUP.validate(e.getValue()));
                    continue;
                }
                BoundCapability b = d.capability(key);
                if (b == null) {
                    throw new CommandException(CommandError.NOT_FOUND, d.name + " has no capability '" + key
                            + "' (has " + d.capabilityNames() + ")");
                }
                if (!b.capability().settable()) {
                    throw new CommandException(CommandError.NOT_ALLOWED, d.name + ": '" + key + "' cannot be set");
                }
                out.put(key, b.capability().validate(e.getValue()));
            } catch (ValueValidationException ve) {
                throw new CommandException(CommandError.INVALID_VALUE, d.name + ": " + ve.getMessage(), 0, ve);
            }
        }
        return out;
    }

    CompletableFuture<Map<String, Object>> set(Device d, Map<String, Object> values, String clientId) {
        List<Planned> plan = new ArrayList<>();
        boolean optimistic;
        try {
            synchronized (hub.registry) {
                if (d.removed) {
                    throw new CommandException(CommandError.NOT_FOUND, d.name + " was removed");
                }
                if (d.definition == null) {
                    throw new CommandException(CommandError.NOT_ALLOWED, d.name + " is not interviewed yet");
                }
                Map<String, Object> valid = validate(d, values);
                for (Map.Entry<String, Object> e : valid.entrySet()) {
                    BoundCapability b = d.capability(e.getKey());
                    if (b == null) {
                        continue; // transition, scene_group
                    }
                    try {
                        plan.add(new Planned(b, b.converter().toZcl(e.getKey(), e.getValue(), valid,
                                d.context(b.cluster(), hub.metrics))));
                    } catch (UnsupportedOperationException uoe) {
                        throw new CommandException(CommandError.NOT_ALLOWED, d.name + ": " + uoe.getMessage());
                    }
                }
                optimistic = d.definition.has(Quirk.NO_DEFAULT_RESPONSE)
                        || Boolean.TRUE.equals(d.options.get("optimistic"));
            }
        } catch (CommandException ce) {
            hub.metrics.increment("commands.refused." + ce.error().name().toLowerCase());
            return CompletableFuture.failedFuture(ce);
        }
        // Reports of what this command sets, until it is done, go out with its one STATE event.
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        plan.forEach(p -> p.requests().forEach(r -> names.addAll(r.expectedState().keySet())));
        long seq = hub.commandStarted(d, names);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (Planned p : plan) {
            for (ZclRequest r : p.requests()) {
                sends.add(sendOne(d, p.capability().capability().endpoint(), r, optimistic, clientId));
            }
        }
        hub.metrics.increment("commands.set");
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                .handle((v, e) -> {
                    // One STATE event for the whole set, also when part of it failed (what was confirmed is state).
                    hub.commandDone(d, names, seq, e == null);
                    if (e != null) {
                        CommandException ce = Errors.toCommand(e, d.name);
                        hub.metrics.increment("commands.failed." + ce.error().name().toLowerCase());
                        throw ce;
                    }
                    synchronized (hub.registry) {
                        return DeviceRegistry.deepCopy(d.state);
                    }
                });
    }

    private CompletableFuture<Void> sendOne(Device d, int endpoint, ZclRequest r, boolean optimistic,
                                            String clientId) {
        SendOptions opts = new SendOptions(Priority.INTERACTIVE, r.coalesceKey(), clientId, hub.config.commandTimeout());
        String what = d.name + " " + r;
        return hub.send(d, endpoint, r, !optimistic, hub.config.commandTimeout(), opts, what).thenAccept(frame -> {
            if (frame != null) {
                ZclGlobal.Command c = ZclGlobal.decode(frame);
                if (c instanceof ZclGlobal.DefaultResponse dr && dr.status() != ZclStatus.SUCCESS) {
                    throw new CommandException(CommandError.INVALID_VALUE, d.name + ": device rejected "
                            + String.format("command 0x%02x on cluster 0x%04x: ", r.commandId(), r.clusterId())
                            + ZclStatus.name(dr.status()));
                }
            }
            // Confirmed by a default response (its report, if one follows, is an echo), by a report (already
            // applied and published), or sent with no way to confirm (optimistic; a later report is an echo).
            hub.applyCommanded(d, r.expectedState(), optimistic, frame != null || optimistic);
        });
    }

    CompletableFuture<Map<String, Object>> get(Device d, List<String> names, String clientId) {
        Map<String, List<Integer>> reads = new LinkedHashMap<>();
        List<String> wanted = new ArrayList<>();
        try {
            synchronized (hub.registry) {
                if (d.removed) {
                    throw new CommandException(CommandError.NOT_FOUND, d.name + " was removed");
                }
                List<String> list = names == null || names.isEmpty() ? readable(d) : names;
                for (String n : list) {
                    BoundCapability b = d.capability(n);
                    if (b == null) {
                        throw new CommandException(CommandError.NOT_FOUND, d.name + " has no capability '" + n + "'");
                    }
                    List<Integer> attrs = b.converter().readAttributes(n);
                    if (!b.capability().readable() || attrs.isEmpty()) {
                        throw new CommandException(CommandError.NOT_ALLOWED, d.name + ": '" + n + "' cannot be read");
                    }
                    wanted.add(n);
                    List<Integer> acc = reads.computeIfAbsent(b.cluster().endpoint() + "/" + b.cluster().clusterId(),
                            k -> new ArrayList<>());
                    attrs.stream().filter(a -> !acc.contains(a)).forEach(acc::add);
                }
            }
        } catch (CommandException ce) {
            return CompletableFuture.failedFuture(ce);
        }
        List<CompletableFuture<ZclFrame>> fs = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : reads.entrySet()) {
            String[] k = e.getKey().split("/");
            SendOptions opts = new SendOptions(Priority.INTERACTIVE, null, clientId, hub.config.commandTimeout());
            fs.add(hub.read(d, Integer.parseInt(k[0]), Integer.parseInt(k[1]), e.getValue(),
                    hub.config.commandTimeout(), opts, d.name + " get " + wanted));
        }
        return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            if (e != null) {
                throw Errors.toCommand(e, d.name);
            }
            Map<String, Object> out = new TreeMap<>();
            synchronized (hub.registry) {
                for (String n : wanted) {
                    if (d.state.containsKey(n)) {
                        out.put(n, d.state.get(n));
                    }
                }
            }
            return out;
        });
    }

    private static List<String> readable(Device d) {
        List<String> out = new ArrayList<>();
        for (BoundCapability b : d.capabilities) {
            if (b.capability().readable() && !b.converter().readAttributes(b.name()).isEmpty()) {
                out.add(b.name());
            }
        }
        return out;
    }
}
