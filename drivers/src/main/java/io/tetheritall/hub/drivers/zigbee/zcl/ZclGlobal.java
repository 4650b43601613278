package io.tetheritall.hub.drivers.zigbee.zcl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

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
        void write(ZclWriter w) {
            w.u16(attributeId).typedValue(value);
        }

        static AttributeValue read(ZclReader r) {
            return new AttributeValue(r.u16(), r.typedValue());
        }
    }

    /** One read-attributes-response record: a status and, on success, the value. */
    public record ReadRecord(int attributeId, int status, ZclValue value) {
        public boolean success() {
            return status == ZclStatus.SUCCESS;
        }

        void write(ZclWriter w) {
            w.u16(attributeId).u8(status);
            if (success()) {
                w.typedValue(value);
            }
        }

        static ReadRecord read(ZclReader r) {
            int id = r.u16();
            int status = r.u8();
            return new ReadRecord(id, status, status == ZclStatus.SUCCESS ? r.typedValue() : null);
        }
    }

    /** One write-attributes-response record. */
    public record WriteStatus(int status, int attributeId) {
        /** Only failures are listed (ZCL 2.5.5.1); a success record writes nothing. */
        void write(ZclWriter w) {
            if (status != ZclStatus.SUCCESS) {
                w.u8(status).u16(attributeId);
            }
        }

        static WriteStatus read(ZclReader r) {
            return new WriteStatus(r.u8(), r.u16());
        }
    }

    /**
     * One configure-reporting record (direction 0: we ask the device to report).
     *
     * @param reportableChange minimum change to report for analog types; ignored for discrete ones
     */
    public record ReportingRecord(int attributeId, ZclDataType type, int minInterval, int maxInterval,
                                  Number reportableChange) {
        void write(ZclWriter w) {
            w.u8(0).u16(attributeId).u8(type.id()).u16(minInterval).u16(maxInterval);
            if (type.analog()) {
                w.value(type, reportableChange == null ? 0 : reportableChange);
            }
        }

        /** The next record, or null for a direction-1 record (reports we would receive), which is skipped. */
        static ReportingRecord read(ZclReader r) {
            int direction = r.u8();
            int attr = r.u16();
            if (direction != 0) {
                r.u16(); // timeout period: a record about reports we would receive; skipped
                return null;
            }
            ZclDataType t = ZclDataType.byId(r.u8());
            int min = r.u16();
            int max = r.u16();
            Number change = t.analog() ? (Number) r.value(t) : null;
            return new ReportingRecord(attr, t, min, max, change);
        }
    }

    /** One configure-reporting-response record. */
    public record ReportingStatus(int status, int direction, int attributeId) {
        void write(ZclWriter w) {
            w.u8(status).u8(direction).u16(attributeId);
        }

        static ReportingStatus read(ZclReader r) {
            return new ReportingStatus(r.u8(), r.u8(), r.u16());
        }
    }

    /** Discovered attribute: id and type. */
    public record DiscoveredAttribute(int attributeId, ZclDataType type) {
        void write(ZclWriter w) {
            w.u16(attributeId).u8(type.id());
        }

        static DiscoveredAttribute read(ZclReader r) {
            return new DiscoveredAttribute(r.u16(), ZclDataType.byId(r.u8()));
        }
    }

    /*
     * The record walking every list-shaped command shares. A global command payload is a run of
     * records up to the end of the frame (there is no count field), so a reader takes records while
     * bytes remain; a record cut short fails inside ZclReader ("truncated") and the whole frame is
     * refused.
     */

    /** Reads records until the payload ends; a record reader may return null to skip a record. */
    private static <T> List<T> readRecords(ZclReader r, Function<ZclReader, T> record) {
        List<T> out = new ArrayList<>();
        while (r.hasRemaining()) {
            T t = record.apply(r);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private static <T> void writeRecords(ZclWriter w, List<T> records, BiConsumer<T, ZclWriter> record) {
        for (T t : records) {
            record.accept(t, w);
        }
    }

    private static <T> boolean allSucceeded(List<T> records, ToIntFunction<T> status) {
        return records.stream().allMatch(t -> status.applyAsInt(t) == ZclStatus.SUCCESS);
    }

    /**
     * Writes a status-record response (write, configure reporting): ZCL 2.5.5.1 / 2.5.8.1 send a
     * single SUCCESS status byte, without records, when every record succeeded.
     */
    private static <T> void writeStatusRecords(ZclWriter w, List<T> records, ToIntFunction<T> status,
                                               BiConsumer<T, ZclWriter> record) {
        if (allSucceeded(records, status)) {
            w.u8(ZclStatus.SUCCESS);
            return;
        }
        writeRecords(w, records, record);
    }

    /** Reads a status-record response; a lone byte is the all-succeeded form, made by {@code single}. */
    private static <T> List<T> readStatusRecords(ZclReader r, IntFunction<T> single, Function<ZclReader, T> record) {
        if (r.remaining() == 1) {
            return List.of(single.apply(r.u8()));
        }
        return readRecords(r, record);
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
            return new ReadAttributes(readRecords(r, ZclReader::u16));
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
            writeRecords(w, records, ReadRecord::write);
        }

        static ReadAttributesResponse read(ZclReader r) {
            return new ReadAttributesResponse(readRecords(r, ReadRecord::read));
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
            writeRecords(w, attributes, AttributeValue::write);
        }

        static WriteAttributes read(ZclReader r) {
            return new WriteAttributes(readRecords(r, AttributeValue::read));
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
            return ZclGlobal.allSucceeded(records, WriteStatus::status);
        }

        public void writePayload(ZclWriter w) {
            writeStatusRecords(w, records, WriteStatus::status, WriteStatus::write);
        }

        static WriteAttributesResponse read(ZclReader r) {
            return new WriteAttributesResponse(
                    readStatusRecords(r, status -> new WriteStatus(status, -1), WriteStatus::read));
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
            writeRecords(w, records, ReportingRecord::write);
        }

        static ConfigureReporting read(ZclReader r) {
            return new ConfigureReporting(readRecords(r, ReportingRecord::read));
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
            return ZclGlobal.allSucceeded(records, ReportingStatus::status);
        }

        public void writePayload(ZclWriter w) {
            writeStatusRecords(w, records, ReportingStatus::status, ReportingStatus::write);
        }

        static ConfigureReportingResponse read(ZclReader r) {
            return new ConfigureReportingResponse(
                    readStatusRecords(r, status -> new ReportingStatus(status, 0, -1), ReportingStatus::read));
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
            writeRecords(w, attributes, AttributeValue::write);
        }

        static ReportAttributes read(ZclReader r) {
            return new ReportAttributes(readRecords(r, AttributeValue::read));
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
            writeRecords(w, attributes, DiscoveredAttribute::write);
        }

        static DiscoverAttributesResponse read(ZclReader r) {
            boolean complete = r.u8() != 0;
            return new DiscoverAttributesResponse(complete, readRecords(r, DiscoveredAttribute::read));
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
