package io.tetheritall.hub.daemon.core;

import io.tetheritall.hub.drivers.zigbee.cluster.BasicConverter;
import io.tetheritall.hub.drivers.zigbee.cluster.ClusterConverter;
import io.tetheritall.hub.drivers.zigbee.cluster.ConverterContext;
import io.tetheritall.hub.drivers.zigbee.cluster.Converters;
import io.tetheritall.hub.drivers.zigbee.cluster.IasZoneConverter;
import io.tetheritall.hub.drivers.zigbee.definition.ExposedCluster;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclFormatException;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclFrame;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReadRecord;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclHeader;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclStatus;
import io.tetheritall.hub.radios.api.IncomingMessage;
import io.tetheritall.hub.radios.api.OutgoingMessage;
import io.tetheritall.hub.radios.api.Priority;
import io.tetheritall.hub.radios.api.SendOptions;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns incoming APS frames into answers for pending requests, attribute cache entries and state.
 * Anything it cannot use is dropped with a log line and a {@code frames.dropped.<reason>} count:
 * unknown_device, truncated, malformed, unknown_type, unsupported_command, unsupported_cluster,
 * wrong_type, no_definition.
 */
final class IncomingHandler {
    private static final SendOptions DEFAULT_RSP_OPTIONS =
            new SendOptions(Priority.BACKGROUND, null, null, Duration.ofSeconds(5));

    private final HubContext hub;
    private final AvailabilityMonitor availability;

    IncomingHandler(HubContext hub, AvailabilityMonitor availability) {
        this.hub = hub;
        this.availability = availability;
    }

    void handle(IncomingMessage m) {
        Device d = hub.registry.byNwk(m.srcNwk());
        if (d == null) {
            drop("unknown_device", String.format("frame from unknown device 0x%04x cluster 0x%04x", m.srcNwk(),
                    m.clusterId()));
            return;
        }
        availability.seen(d, m.lqi());
        ZclFrame frame;
        try {
            frame = ZclFrame.decode(m.payload());
        } catch (ZclFormatException e) {
            drop(e.reason(), d.name + ": " + e.getMessage());
            return;
        }
        ZclHeader h = frame.header();
        if (frame.global()) {
            handleGlobal(d, m, frame);
        } else {
            // A cluster-specific answer (e.g. Add Group Response) completes its request; a
            // notification (e.g. IAS zone status change) becomes state.
            boolean answered = hub.transactions.answer(m.srcNwk(), m.clusterId(), frame);
            if (!answered && m.clusterId() == IasZoneConverter.CLUSTER
                    && h.commandId() == IasZoneConverter.CMD_ZONE_ENROLL_REQUEST && h.serverToClient()) {
                enrollResponse(d, m, h);
            } else if (!answered) {
                handleClusterCommand(d, m, frame);
                sendDefaultResponse(d, m, h, ZclStatus.SUCCESS);
            }
        }
    }

    private void handleGlobal(Device d, IncomingMessage m, ZclFrame frame) {
        ZclGlobal.Command cmd;
        try {
            cmd = ZclGlobal.decode(frame);
        } catch (ZclFormatException e) {
            // A waiting request is not completed: it times out and is retried by its owner.
            drop(e.reason(), d.name + String.format(" cluster 0x%04x: ", m.clusterId()) + e.getMessage());
            return;
        }
        if (cmd instanceof ZclGlobal.ReportAttributes rep) {
            attributes(d, m, rep.attributes(), true);
            sendDefaultResponse(d, m, frame.header(), ZclStatus.SUCCESS);
        } else if (cmd instanceof ZclGlobal.ReadAttributesResponse rsp) {
            List<AttributeValue> ok = new ArrayList<>();
            for (ReadRecord r : rsp.records()) {
                if (r.success()) {
                    ok.add(new AttributeValue(r.attributeId(), r.value()));
                }
            }
            attributes(d, m, ok, false);
            hub.transactions.answer(m.srcNwk(), m.clusterId(), frame);
        } else if (cmd instanceof ZclGlobal.DefaultResponse
                || cmd instanceof ZclGlobal.WriteAttributesResponse
                || cmd instanceof ZclGlobal.ConfigureReportingResponse
                || cmd instanceof ZclGlobal.DiscoverAttributesResponse) {
            if (!hub.transactions.answer(m.srcNwk(), m.clusterId(), frame)) {
                Logger.debug("{}: unsolicited {} (tsn {})", d.name, cmd.getClass().getSimpleName(),
                        frame.header().tsn());
            }
        } else {
            Logger.debug("{}: ignoring global command 0x{} from device", d.name,
                    Integer.toHexString(frame.header().commandId()));
        }
    }

    private void attributes(Device d, IncomingMessage m, List<AttributeValue> attrs, boolean report) {
        ClusterConverter conv = Converters.forCluster(m.clusterId());
        Map<String, Object> updates;
        synchronized (hub.registry) {
            for (AttributeValue av : attrs) {
                d.attributes.put(Device.attrKey(m.clusterId(), av.attributeId()), av.value());
            }
            if (conv == null) {
                if (report) {
                    dropLocked("unsupported_cluster", String.format("%s: report for unsupported cluster 0x%04x",
                            d.name, m.clusterId()));
                }
                return;
            }
            if (d.definition == null) {
                return; // still interviewing: the cache is all we keep
            }
            ExposedCluster ec = d.definition.exposed(m.srcEndpoint(), m.clusterId());
            if (ec == null) {
                ec = firstExposed(d, m.clusterId());
            }
            if (ec == null) {
                // Basic reports (Xiaomi's heartbeat in 0xFF01, swBuildId...) only feed the cache.
                if (report && m.clusterId() != BasicConverter.CLUSTER) {
                    dropLocked("unsupported_cluster", String.format("%s: report for cluster 0x%04x the definition "
                            + "does not expose", d.name, m.clusterId()));
                }
                return;
            }
            ConverterContext ctx = d.context(ec, hub.metrics);
            updates = new LinkedHashMap<>(conv.fromAttributes(attrs, ctx));
            updates.put("linkquality", (long) m.lqi());
        }
        // Only an unsolicited report can be a command's echo: a read response answers a get, which wants the state.
        hub.applyReported(d, updates, report);
    }

    private static ExposedCluster firstExposed(Device d, int cluster) {
        for (ExposedCluster ec : d.definition.clusters()) {
            if (ec.clusterId() == cluster) {
                return ec;
            }
        }
        return null;
    }

    private void handleClusterCommand(Device d, IncomingMessage m, ZclFrame frame) {
        ClusterConverter conv = Converters.forCluster(m.clusterId());
        Map<String, Object> updates;
        synchronized (hub.registry) {
            if (conv == null || d.definition == null) {
                dropLocked("unsupported_cluster", String.format("%s: command 0x%02x for unsupported cluster 0x%04x",
                        d.name, frame.header().commandId(), m.clusterId()));
                return;
            }
            ExposedCluster ec = firstExposed(d, m.clusterId());
            ConverterContext ctx = d.context(ec, hub.metrics);
            try {
                updates = new LinkedHashMap<>(conv.fromCommand(frame.header().commandId(), frame.payload(), ctx));
            } catch (ZclFormatException e) {
                dropLocked(e.reason(), d.name + ": " + e.getMessage());
                return;
            }
            if (updates.isEmpty()) {
                return;
            }
            updates.put("linkquality", (long) m.lqi());
        }
        hub.applyReported(d, updates, false);
    }

    /**
     * ZCL 2.5.12.2: a default response is sent for a unicast command unless its "disable default
     * response" bit is set or the command was itself a response.
     */
    private void sendDefaultResponse(Device d, IncomingMessage m, ZclHeader h, int status) {
        if (h.disableDefaultResponse() || m.broadcast() || m.groupId() != 0) {
            return;
        }
        ZclGlobal.DefaultResponse rsp = new ZclGlobal.DefaultResponse(h.commandId(), status, false);
        ZclFrame f = new ZclFrame(new ZclHeader(false, h.manufacturerCode(), !h.serverToClient(), true, h.tsn(),
                ZclGlobal.DEFAULT_RESPONSE), rsp.payload());
        OutgoingMessage out = new OutgoingMessage(io.tetheritall.hub.radios.api.AddressMode.NWK, m.srcNwk(),
                m.srcEndpoint(), m.dstEndpoint() == 0 ? 1 : m.dstEndpoint(), OutgoingMessage.PROFILE_HA,
                m.clusterId(), f.encode(), false);
        hub.safeSend(out, DEFAULT_RSP_OPTIONS).exceptionally(e -> {
            Logger.debug("{}: default response not sent: {}", d.name, e.getMessage());
            return null;
        });
    }

    /**
     * IAS Zone 8.2.2.3.1: a zone that has our CIE address asks to enroll; answer Zone Enroll Response
     * (command 0x00: enroll response code 0x00 success, zone id) so it starts sending notifications.
     */
    private void enrollResponse(Device d, IncomingMessage m, ZclHeader h) {
        byte[] payload = new byte[]{0x00, 0x01};
        ZclFrame f = new ZclFrame(new ZclHeader(true, -1, false, true, h.tsn(), 0x00), payload);
        OutgoingMessage out = OutgoingMessage.unicast(m.srcNwk(), m.srcEndpoint(), m.clusterId(), f.encode());
        hub.metrics.increment("ias.enrolled");
        hub.safeSend(out, DEFAULT_RSP_OPTIONS).exceptionally(e -> {
            Logger.warn("{}: zone enroll response not sent: {}", d.name, e.getMessage());
            return null;
        });
    }

    private void drop(String reason, String message) {
        hub.metrics.dropped(reason);
        Logger.warn("dropped frame ({}): {}", reason, message);
    }

    private void dropLocked(String reason, String message) {
        drop(reason, message);
    }
}
