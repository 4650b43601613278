package io.tetheritall.hub.drivers.zigbee.zcl;

import java.util.ArrayList;
import java.util.List;

/**
 * The ZCL global ("foundation") commands the hub uses (ZCL 2.5), as records that encode their
 * payload and decode from a {@link ZclFrame}.
 *
 * <p>Decoding is all-or-nothing: a payload cut mid-record throws {@link ZclFormatException}
 * ("truncated") and nothing of the frame is applied.
 */
public final class ZclGlobal {
    public static final int READ_ATTRIBUTES = 0x00;
    public static final int READ_ATTRIBUTES_RESPONSE = 0x01;
    public static final int WRITE_ATTRIBUTES = 0x02;
    public static final int WRITE_ATTRIBUTES_UNDIVIDED = 0x03;
    public static final int WRITE_ATTRIBUTES_RESPONSE = 0x04;
    public static final int WRITE_ATTRIBUTES_NO_RESPONSE = 0x05;
    public static final int CONFIGURE_REPORTING = 0x06;
    public static final int CONFIGURE_REPORTING_RESPONSE = 0x07;
    public static final int REPORT_ATTRIBUTES = 0x0A;
    public static final int DEFAULT_RESPONSE = 0x0B;
    public static final int DISCOVER_ATTRIBUTES = 0x0C;
    public static final int DISCOVER_ATTRIBUTES_RESPONSE = 0x0D;

    private ZclGlobal() {
    }

    /** A global command that can be put in a frame. */
    public sealed interface Command permits ReadAttributes, ReadAttributesResponse, WriteAttributes,
            WriteAttributesResponse, ConfigureReporting, ConfigureReportingResponse, ReportAttributes,
            DefaultResponse, DiscoverAttributes, DiscoverAttributesResponse {
        int commandId();

        /** Whether a device sends this (server to client) rather than receives it. */
        boolean serverToClient();

        void writePayload(ZclWriter w);

        default byte[] payload() {
            ZclWriter w = new ZclWriter();
            writePayload(w);
            return w.toByteArray();
        }

        /** A frame carrying this command. */
        default ZclFrame toFrame(int tsn, boolean disableDefaultResponse) {
            return new ZclFrame(new ZclHeader(false, -1, serverToClient(), disableDefaultResponse, tsn, commandId()),
                    payload());
        }
    }

    /** An attribute id with a typed value (Write, Report). */
    public record AttributeValue(int attributeId, ZclValue value) {
    }

    /** One read-attributes-response record: a status and, on success, the value. */
    public record ReadRecord(int attributeId, int status, ZclValue value) {
        public boolean success() {
            return status == ZclStatus.SUCCESS;
        }
    }

    /** One write-attributes-response record. */
    public record WriteStatus(int status, int attributeId) {
    }

    /**
     * One configure-reporting record (direction 0: we ask the device to report).
     *
     * @param reportableChange minimum change to report for analog types; ignored for discrete ones
     */
    public record ReportingRecord(int attributeId, ZclDataType type, int minInterval, int maxInterval,
                                  Number reportableChange) {
    }

    /** One configure-reporting-response record. */
    public record ReportingStatus(int status, int direction, int attributeId) {
    }

    /** Discovered attribute: id and type. */
    public record DiscoveredAttribute(int attributeId, ZclDataType type) {
    }

    /** 0x00 Read Attributes: attribute ids. */
    public record ReadAttributes(List<Integer> attributeIds) implements Command {
        public ReadAttributes {
            attributeIds = List.copyOf(attributeIds);
        }

        public int commandId() {
            return READ_ATTRIBUTES;
        }

        public boolean serverToClient() {
            return false;
        }

        public void writePayload(ZclWriter w) {
            attributeIds.forEach(w::u16);
        }

        static ReadAttributes read(ZclReader r) {
            List<Integer> ids = new ArrayList<>();
            while (r.hasRemaining()) {
                ids.add(r.u16());
            }
            return new ReadAttributes(ids);
        }
    }

    /** 0x01 Read Attributes Response: {attr, status, [type, value] if status is SUCCESS}. */
    public record ReadAttributesResponse(List<ReadRecord> records) implements Command {
        public ReadAttributesResponse {
            records = List.copyOf(records);
        }

        public int commandId() {
            return READ_ATTRIBUTES_RESPONSE;
        }

        public boolean serverToClient() {
            return true;
        }

        public void writePayload(ZclWriter w) {
            for (ReadRecord rr : records) {
                w.u16(rr.attributeId()).u8(rr.status());
                if (rr.success()) {
                    w.typedValue(rr.value());
                }
            }
        }

        static ReadAttributesResponse read(ZclReader r) {
            List<ReadRecord> out = new ArrayList<>();
            while (r.hasRemaining()) {
                int id = r.u16();
                int status = r.u8();
                out.add(new ReadRecord(id, status, status == ZclStatus.SUCCESS ? r.typedValue() : null));
            }
            return new ReadAttributesResponse(out);
        }
    }

    /** 0x02 Write Attributes. */
    public record WriteAttributes(List<AttributeValue> attributes) implements Command {
        public WriteAttributes {
            attributes = List.copyOf(attributes);
        }

        public int commandId() {
            return WRITE_ATTRIBUTES;
        }

        public boolean serverToClient() {
            return false;
        }

        public void writePayload(ZclWriter w) {
            for (AttributeValue a : attributes) {
                w.u16(a.attributeId()).typedValue(a.value());
            }
        }

        static WriteAttributes read(ZclReader r) {
            List<AttributeValue> out = new ArrayList<>();
            while (r.hasRemaining()) {
                out.add(new AttributeValue(r.u16(), r.typedValue()));
            }
            return new WriteAttributes(out);
        }
    }

    /**
     * 0x04 Write Attributes Response. ZCL 2.5.5.1: "if all the write attribute records succeeded, a
     * single record with status SUCCESS is sent and the attribute identifier field is omitted".
     */
    public record WriteAttributesResponse(List<WriteStatus> records) implements Command {
        public WriteAttributesResponse {
            records = List.copyOf(records);
        }

        public int commandId() {
            return WRITE_ATTRIBUTES_RESPONSE;
        }

        public boolean serverToClient() {
            return true;
        }

        public boolean allSucceeded() {
            return records.stream().allMatch(s -> s.status() == ZclStatus.SUCCESS);
        }

        public void writePayload(ZclWriter w) {
            if (allSucceeded()) {
                w.u8(ZclStatus.SUCCESS);
                return;
            }
            for (WriteStatus s : records) {
                if (s.status() != ZclStatus.SUCCESS) {
                    w.u8(s.status()).u16(s.attributeId());
                }
            }
        }

        static WriteAttributesResponse read(ZclReader r) {
            List<WriteStatus> out = new ArrayList<>();
            if (r.remaining() == 1) {
                out.add(new WriteStatus(r.u8(), -1));
                return new WriteAttributesResponse(out);
            }
            while (r.hasRemaining()) {
                out.add(new WriteStatus(r.u8(), r.u16()));
            }
            return new WriteAttributesResponse(out);
        }
    }

    /** 0x06 Configure Reporting, direction 0 records only (the hub never receives reports it configured). */
    public record ConfigureReporting(List<ReportingRecord> records) implements Command {
        public ConfigureReporting {
            records = List.copyOf(records);
        }

        public int commandId() {
            return CONFIGURE_REPORTING;
        }

        public boolean serverToClient() {
            return false;
        }

        public void writePayload(ZclWriter w) {
            for (ReportingRecord rr : records) {
                w.u8(0).u16(rr.attributeId()).u8(rr.type().id()).u16(rr.minInterval()).u16(rr.maxInterval());
                if (rr.type().analog()) {
                    w.value(rr.type(), rr.reportableChange() == null ? 0 : rr.reportableChange());
                }
            }
        }

        static ConfigureReporting read(ZclReader r) {
            List<ReportingRecord> out = new ArrayList<>();
            while (r.hasRemaining()) {
                int direction = r.u8();
                int attr = r.u16();
                if (direction != 0) {
                    r.u16(); // timeout period: a record about reports we would receive; skipped
                    continue;
                }
                ZclDataType t = ZclDataType.byId(r.u8());
                int min = r.u16();
                int max = r.u16();
                Number change = t.analog() ? (Number) r.value(t) : null;
                out.add(new ReportingRecord(attr, t, min, max, change));
            }
            return new ConfigureReporting(out);
        }
    }

    /**
     * 0x07 Configure Reporting Response. Like write: a single SUCCESS status when every record
     * succeeded (ZCL 2.5.8.1).
     */
    public record ConfigureReportingResponse(List<ReportingStatus> records) implements Command {
        public ConfigureReportingResponse {
            records = List.copyOf(records);
        }

        public int commandId() {
            return CONFIGURE_REPORTING_RESPONSE;
        }

        public boolean serverToClient() {
            return true;
        }

        public boolean allSucceeded() {
            return records.stream().allMatch(s -> s.status() == ZclStatus.SUCCESS);
        }

        public void writePayload(ZclWriter w) {
            if (allSucceeded()) {
                w.u8(ZclStatus.SUCCESS);
                return;
            }
            for (ReportingStatus s : records) {
                w.u8(s.status()).u8(s.direction()).u16(s.attributeId());
            }
        }

        static ConfigureReportingResponse read(ZclReader r) {
            List<ReportingStatus> out = new ArrayList<>();
            if (r.remaining() == 1) {
                out.add(new ReportingStatus(r.u8(), 0, -1));
                return new ConfigureReportingResponse(out);
            }
            while (r.hasRemaining()) {
                out.add(new ReportingStatus(r.u8(), r.u8(), r.u16()));
            }
            return new ConfigureReportingResponse(out);
        }
    }

    /** 0x0A Report Attributes: {attr, type, value}... */
    public record ReportAttributes(List<AttributeValue> attributes) implements Command {
        public ReportAttributes {
            attributes = List.copyOf(attributes);
        }

        public int commandId() {
            return REPORT_ATTRIBUTES;
        }

        public boolean serverToClient() {
            return true;
        }

        public void writePayload(ZclWriter w) {
            for (AttributeValue a : attributes) {
                w.u16(a.attributeId()).typedValue(a.value());
            }
        }

        static ReportAttributes read(ZclReader r) {
            List<AttributeValue> out = new ArrayList<>();
            while (r.hasRemaining()) {
                out.add(new AttributeValue(r.u16(), r.typedValue()));
            }
            return new ReportAttributes(out);
        }
    }

    /** 0x0B Default Response: the command it answers and a status. */
    public record DefaultResponse(int commandId0, int status, boolean fromServer) implements Command {
        public int commandId() {
            return DEFAULT_RESPONSE;
        }

        /** The command id this response answers. */
        public int answeredCommand() {
            return commandId0;
        }

        public boolean serverToClient() {
            return fromServer;
        }

        public void writePayload(ZclWriter w) {
            w.u8(commandId0).u8(status);
        }

        static DefaultResponse read(ZclReader r, boolean serverToClient) {
            return new DefaultResponse(r.u8(), r.u8(), serverToClient);
        }
    }

    /** 0x0C Discover Attributes: start id and maximum count. */
    public record DiscoverAttributes(int startAttributeId, int maxAttributes) implements Command {
        public int commandId() {
            return DISCOVER_ATTRIBUTES;
        }

        public boolean serverToClient() {
            return false;
        }

        public void writePayload(ZclWriter w) {
            w.u16(startAttributeId).u8(maxAttributes);
        }

        static DiscoverAttributes read(ZclReader r) {
            return new DiscoverAttributes(r.u16(), r.u8());
        }
    }

    /** 0x0D Discover Attributes Response. */
    public record DiscoverAttributesResponse(boolean complete, List<DiscoveredAttribute> attributes)
            implements Command {
        public DiscoverAttributesResponse {
            attributes = List.copyOf(attributes);
        }

        public int commandId() {
            return DISCOVER_ATTRIBUTES_RESPONSE;
        }

        public boolean serverToClient() {
            return true;
        }

        public void writePayload(ZclWriter w) {
            w.u8(complete ? 1 : 0);
            for (DiscoveredAttribute a : attributes) {
                w.u16(a.attributeId()).u8(a.type().id());
            }
        }

        static DiscoverAttributesResponse read(ZclReader r) {
            boolean complete = r.u8() != 0;
            List<DiscoveredAttribute> out = new ArrayList<>();
            while (r.hasRemaining()) {
                out.add(new DiscoveredAttribute(r.u16(), ZclDataType.byId(r.u8())));
            }
            return new DiscoverAttributesResponse(complete, out);
        }
    }

    /**
     * Decodes the payload of a global frame.
     *
     * @throws ZclFormatException on truncation, an unknown data type ("unknown_type"), or a
     *                            command id this codec does not handle ("unsupported_command")
     */
    public static Command decode(ZclFrame frame) {
        if (!frame.global()) {
            throw new ZclFormatException("malformed", "not a global command: " + frame.header());
        }
        ZclReader r = frame.reader();
        return switch (frame.header().commandId()) {
            case READ_ATTRIBUTES -> ReadAttributes.read(r);
            case READ_ATTRIBUTES_RESPONSE -> ReadAttributesResponse.read(r);
            case WRITE_ATTRIBUTES, WRITE_ATTRIBUTES_UNDIVIDED, WRITE_ATTRIBUTES_NO_RESPONSE -> WriteAttributes.read(r);
            case WRITE_ATTRIBUTES_RESPONSE -> WriteAttributesResponse.read(r);
            case CONFIGURE_REPORTING -> ConfigureReporting.read(r);
            case CONFIGURE_REPORTING_RESPONSE -> ConfigureReportingResponse.read(r);
            case REPORT_ATTRIBUTES -> ReportAttributes.read(r);
            case DEFAULT_RESPONSE -> DefaultResponse.read(r, frame.header().serverToClient());
            case DISCOVER_ATTRIBUTES -> DiscoverAttributes.read(r);
            case DISCOVER_ATTRIBUTES_RESPONSE -> DiscoverAttributesResponse.read(r);
            default -> throw new ZclFormatException("unsupported_command",
                    String.format("unsupported global command 0x%02x", frame.header().commandId()));
        };
    }
}
