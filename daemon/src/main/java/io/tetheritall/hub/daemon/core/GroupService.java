package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.daemon.core.api.CommandError;
import io.tetheritall.hub.daemon.core.api.CommandException;
import io.tetheritall.hub.daemon.core.api.GroupView;
import io.tetheritall.hub.daemon.core.api.HubEvent;
import io.tetheritall.hub.daemon.core.registry.StoredGroup;
import io.tetheritall.hub.drivers.capability.ValueValidationException;
import io.tetheritall.hub.drivers.zigbee.cluster.ConverterContext;
import io.tetheritall.hub.drivers.zigbee.cluster.Converters;
import io.tetheritall.hub.drivers.zigbee.cluster.GroupsConverter;
import io.tetheritall.hub.drivers.zigbee.cluster.ZclRequest;
import io.tetheritall.hub.drivers.zigbee.definition.BoundCapability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclFrame;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclHeader;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclStatus;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.Priority;
import io.tetheritall.hub.radios.api.SendOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Zigbee groups: membership through the Groups cluster (Add Group / Remove Group, confirmed by the
 * device's response), and group commands sent once to the group address rather than N unicasts.
 * Group commands cannot be confirmed per member, so members' state is set optimistically.
 */
final class GroupService {
    private final HubContext hub;

    GroupService(HubContext hub) {
        this.hub = hub;
    }

    CompletableFuture<GroupView> add(String name, Integer groupId) {
        if (name == null || name.isBlank() || name.contains("+") || name.contains("#")) {
            return Errors.failed(CommandError.INVALID_VALUE, "invalid group name '" + name + "'");
        }
        StoredGroup g;
        synchronized (hub.registry) {
            if (hub.registry.group(name) != null) {
                return Errors.failed(CommandError.INVALID_VALUE, "group '" + name + "' exists");
            }
            int id;
            if (groupId != null) {
                if (groupId < 1 || groupId > 0xFFF7) {
                    return Errors.failed(CommandError.INVALID_VALUE, "group id must be 1..0xFFF7, but was " + groupId);
                }
                if (hub.registry.groupById(groupId) != null) {
                    return Errors.failed(CommandError.INVALID_VALUE, "group id " + groupId + " is taken");
                }
                id = groupId;
            } else {
                id = 1;
                while (hub.registry.groupById(id) != null) {
                    id++;
                }
            }
            g = new StoredGroup(name, id, List.of());
            hub.registry.saveGroup(g);
        }
        hub.publish(HubEvent.Type.GROUPS_CHANGED, null, Map.of());
        return CompletableFuture.completedFuture(DeviceRegistry.view(g));
    }

    CompletableFuture<Void> remove(String name) {
        StoredGroup g = hub.registry.group(name);
        if (g == null) {
            return Errors.failed(CommandError.NOT_FOUND, "no group '" + name + "'");
        }
        // Best effort: tell members to leave the group; the group goes away regardless.
        List<CompletableFuture<GroupView>> leaves = new ArrayList<>();
        for (String m : g.members()) {
            String[] p = m.split("/");
            leaves.add(member(name, p[0], Integer.parseInt(p[1]), false).exceptionally(e -> null));
        }
        return CompletableFuture.allOf(leaves.toArray(CompletableFuture[]::new)).thenRun(() -> {
            hub.registry.deleteGroup(name);
            hub.publish(HubEvent.Type.GROUPS_CHANGED, null, Map.of());
        });
    }

    /** Adds or removes a member through the Groups cluster; the registry changes once the device confirms. */
    CompletableFuture<GroupView> member(String groupName, String device, Integer endpoint, boolean add) {
        StoredGroup g = hub.registry.group(groupName);
        if (g == null) {
            return Errors.failed(CommandError.NOT_FOUND, "no group '" + groupName + "'");
        }
        Device d = hub.registry.find(device);
        if (d == null) {
            return Errors.failed(CommandError.NOT_FOUND, "no device '" + device + "'");
        }
        int ep;
        synchronized (hub.registry) {
            ep = endpoint != null ? endpoint : d.endpointFor(GroupsConverter.CLUSTER);
            boolean hasGroups = d.endpoints.stream().anyMatch(sd -> sd.endpoint() == ep
                    && sd.inputClusters().contains(GroupsConverter.CLUSTER));
            if (!hasGroups) {
                return Errors.failed(CommandError.NOT_ALLOWED, d.name + " endpoint " + ep
                        + " has no Groups cluster");
            }
        }
        ZclRequest r = add ? Converters.GROUPS.addGroup(g.groupId(), "") : Converters.GROUPS.removeGroup(g.groupId());
        SendOptions opts = new SendOptions(Priority.INTERACTIVE, null, null, hub.config.commandTimeout());
        String key = d.ieeeString() + "/" + ep;
        return hub.send(d, ep, r, true, hub.config.commandTimeout(), opts, d.name + (add ? " add to " : " remove from ")
                + groupName).handle((frame, e) -> {
            if (e != null) {
                throw Errors.toCommand(e, d.name);
            }
            int status = frame.header().clusterSpecific()
                    ? Converters.GROUPS.parseResponse(frame.header().commandId(), frame.payload()).status()
                    : ZclGlobal.decode(frame) instanceof ZclGlobal.DefaultResponse dr ? dr.status()
                    : ZclStatus.SUCCESS;
            // DUPLICATE_EXISTS on add and NOT_FOUND on remove mean it is already as we want it.
            if (status != ZclStatus.SUCCESS && !(add && status == ZclStatus.DUPLICATE_EXISTS)
                    && !(!add && status == ZclStatus.NOT_FOUND)) {
                throw new CommandException(CommandError.INVALID_VALUE, d.name + " refused group change: "
                        + ZclStatus.name(status));
            }
            StoredGroup updated;
            synchronized (hub.registry) {
                StoredGroup cur = hub.registry.group(groupName);
                if (cur == null) {
                    throw new CommandException(CommandError.NOT_FOUND, "group '" + groupName + "' was removed");
                }
                List<String> members = new ArrayList<>(cur.members());
                members.remove(key);
                if (add) {
                    members.add(key);
                }
                updated = new StoredGroup(cur.name(), cur.groupId(), members);
                hub.registry.saveGroup(updated);
            }
            hub.publish(HubEvent.Type.GROUPS_CHANGED, null, Map.of());
            return DeviceRegistry.view(updated);
        });
    }

    CompletableFuture<Map<String, Object>> set(String groupName, Map<String, Object> values, String clientId) {
        StoredGroup g = hub.registry.group(groupName);
        if (g == null) {
            return Errors.failed(CommandError.NOT_FOUND, "no group '" + groupName + "'");
        }
        List<Device> members = new ArrayList<>();
        for (String m : g.members()) {
            Device d = hub.registry.find(m.split("/")[0]);
            if (d != null) {
                members.add(d);
            }
        }
        if (values == null || values.isEmpty()) {
            return Errors.failed(CommandError.INVALID_VALUE, groupName + ": nothing to set");
        }
        // Validate against the first member that has each capability; build the ZCL once.
        Map<String, Object> valid = new LinkedHashMap<>();
        List<ZclRequest> requests = new ArrayList<>();
        try {
            synchronized (hub.registry) {
                Map<String, BoundCapability> caps = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : values.entrySet()) {
                    String k = e.getKey();
                    if (k.equals("transition")) {
                        valid.put(k, CommandService.TRANSITION.validate(e.getValue()));
                        continue;
                    }
                    BoundCapability b = null;
                    for (Device d : members) {
                        b = d.capability(k);
                        if (b != null) {
                            break;
                        }
                    }
                    if (b == null) {
                        throw new CommandException(CommandError.NOT_FOUND, "no member of group '" + groupName
                                + "' has capability '" + k + "'");
                    }
                    if (!b.capability().settable()) {
                        throw new CommandException(CommandError.NOT_ALLOWED, "'" + k + "' cannot be set");
                    }
                    valid.put(k, b.capability().validate(e.getValue()));
                    caps.put(k, b);
                }
                for (Map.Entry<String, BoundCapability> e : caps.entrySet()) {
                    BoundCapability b = e.getValue();
                    ConverterContext ctx = ConverterContext.simple(0xFF, b.cluster().options(), Map.of());
                    requests.addAll(b.converter().toZcl(e.getKey(), valid.get(e.getKey()), valid, ctx));
                }
            }
        } catch (ValueValidationException ve) {
            return Errors.failed(CommandError.INVALID_VALUE, groupName + ": " + ve.getMessage());
        } catch (CommandException ce) {
            return CompletableFuture.failedFuture(ce);
        } catch (UnsupportedOperationException uoe) {
            return Errors.failed(CommandError.NOT_ALLOWED, groupName + ": " + uoe.getMessage());
        }
        // Each member's STATE event count before the send: a member answered with one event even if nothing changed.
        Map<Device, Long> seqs = new java.util.HashMap<>();
        members.forEach(d -> seqs.put(d, hub.commandStarted(d, List.of())));
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        Map<String, Object> expected = new LinkedHashMap<>();
        for (ZclRequest r : requests) {
            // ZCL: a group (multicast) command gets no default response, so ask for none.
            ZclFrame f = new ZclFrame(new ZclHeader(r.clusterSpecific(), -1, false, true, hub.transactions.nextTsn(),
                    r.commandId()), r.payload());
            SendOptions opts = new SendOptions(Priority.INTERACTIVE, r.coalesceKey(), clientId,
                    hub.config.commandTimeout());
            sends.add(hub.within(hub.safeSend(OutgoingMessage.group(g.groupId(), r.clusterId(), f.encode()), opts),
                    hub.config.commandTimeout(), groupName + " " + r));
            expected.putAll(r.expectedState());
        }
        hub.metrics.increment("commands.group");
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            if (e != null) {
                throw Errors.toCommand(e, groupName);
            }
            for (Device d : members) {
                Map<String, Object> mine = new LinkedHashMap<>();
                synchronized (hub.registry) {
                    expected.forEach((k, x) -> {
                        if (d.capability(k) != null) {
                            mine.put(k, x);
                        }
                    });
                }
                if (!mine.isEmpty()) {
                    // Optimistic (a group command has no default response): each member's own report of the same
                    // values is the echo, folded in without a second STATE event.
                    hub.applyCommanded(d, mine, true, true);
                    hub.commandDone(d, List.of(), seqs.get(d), true);
                }
            }
            return java.util.Collections.unmodifiableMap(expected);
        });
    }
}
