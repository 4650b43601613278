package io.tetheritall.hub.drivers.zigbee.zcl;

import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReadRecord;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ZclCodecTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void onCommandMatchesProtocolsA7Vector() {
        // protocols.md A7: AF_DATA_REQUEST OnOff.On tsn5 carries ZCL "01 05 01"
        ZclFrame f = new ZclFrame(ZclHeader.toServer(true, 5, 0x01, false), new byte[0]);
        assertEquals("010501", hex(f.encode()));
    }

    @Test
    void headerWithManufacturerCodeAndDirectionBits() {
        ZclHeader h = new ZclHeader(false, 0x115F, true, true, 0x42, 0x0A);
        ZclFrame f = new ZclFrame(h, hex("0100"));
        assertEquals("1c5f11420a0100", hex(f.encode()));
        ZclFrame back = ZclFrame.decode(f.encode());
        assertEquals(h, back.header());
        assertEquals(0x1C, back.header().frameControl());
    }

    @Test
    void readAttributesGolden() {
        ZclFrame f = new ZclGlobal.ReadAttributes(List.of(0x0004, 0x0005)).toFrame(0x10, false);
        assertEquals("0010000400 0500".replace(" ", ""), hex(f.encode()));
    }

    @Test
    void readAttributesResponseWithStringsAndUnsupported() {
        // 18 tsn 01 | 0400 00 42 04 "IKEA" | 0500 86
        byte[] wire = hex("1810 01 0400 00 42 04 494b4541 0500 86");
        ZclFrame f = ZclFrame.decode(wire);
        assertTrue(f.header().serverToClient());
        assertTrue(f.header().disableDefaultResponse());
        var rsp = (ZclGlobal.ReadAttributesResponse) ZclGlobal.decode(f);
        assertEquals(List.of(new ReadRecord(4, 0, ZclValue.of(ZclDataType.CHAR_STRING, "IKEA")),
                new ReadRecord(5, ZclStatus.UNSUPPORTED_ATTRIBUTE, null)), rsp.records());
        assertEquals(hex(wire), hex(rsp.toFrame(0x10, true).encode()));
    }

    @Test
    void reportAttributesSignedTemperatureRoundTrip() {
        // temperature -5.25 °C = -525 = 0xFDF3 little-endian f3 fd
        byte[] wire = hex("18 07 0a 0000 29 f3fd");
        var rep = (ZclGlobal.ReportAttributes) ZclGlobal.decode(ZclFrame.decode(wire));
        assertEquals(-525L, rep.attributes().get(0).value().value());
        assertEquals(hex(wire), hex(rep.toFrame(7, true).encode()));
    }

    @Test
    void defaultResponseGolden() {
        byte[] wire = hex("18 05 0b 01 00");
        var dr = (ZclGlobal.DefaultResponse) ZclGlobal.decode(ZclFrame.decode(wire));
        assertEquals(1, dr.answeredCommand());
        assertEquals(0, dr.status());
        assertEquals(hex(wire), hex(dr.toFrame(5, true).encode()));
    }

    @Test
    void writeAndWriteResponse() {
        var w = new ZclGlobal.WriteAttributes(List.of(new AttributeValue(0x0010,
                ZclValue.of(ZclDataType.IEEE_ADDRESS, 0x00124b0001020304L))));
        assertEquals("00030210 00f0 0403020100 4b1200".replace(" ", ""), hex(w.toFrame(3, false).encode()));
        var ok = (ZclGlobal.WriteAttributesResponse) ZclGlobal.decode(ZclFrame.decode(hex("1803 04 00")));
        assertTrue(ok.allSucceeded());
        var bad = (ZclGlobal.WriteAttributesResponse) ZclGlobal.decode(ZclFrame.decode(hex("1803 04 88 1000")));
        assertFalse(bad.allSucceeded());
        assertEquals(0x0010, bad.records().get(0).attributeId());
    }

    @Test
    void configureReportingAnalogHasChangeDiscreteDoesNot() {
        var cr = new ZclGlobal.ConfigureReporting(List.of(
                new ZclGlobal.ReportingRecord(0x0000, ZclDataType.BOOLEAN, 0, 3600, null),
                new ZclGlobal.ReportingRecord(0x0000, ZclDataType.UINT8, 1, 3600, 1)));
        assertEquals(("000906" + "00 0000 10 0000 100e" + "00 0000 20 0100 100e 01").replace(" ", ""),
                hex(cr.toFrame(9, false).encode()), "golden");
        var back = (ZclGlobal.ConfigureReporting) ZclGlobal.decode(cr.toFrame(9, false));
        assertEquals(hex(cr.payload()), hex(back.payload()));
        assertEquals(1L, back.records().get(1).reportableChange());
        var rsp = (ZclGlobal.ConfigureReportingResponse) ZclGlobal.decode(ZclFrame.decode(hex("1809 07 00")));
        assertTrue(rsp.allSucceeded());
    }

    @Test
    void discoverAttributesRoundTrip() {
        var d = new ZclGlobal.DiscoverAttributes(0, 16);
        assertEquals("000c0c000010", hex(d.toFrame(0x0c, false).encode()));
        byte[] wire = hex("180c 0d 01 0000 10 4000 21");
        var rsp = (ZclGlobal.DiscoverAttributesResponse) ZclGlobal.decode(ZclFrame.decode(wire));
        assertTrue(rsp.complete());
        assertEquals(ZclDataType.UINT16, rsp.attributes().get(1).type());
        assertEquals(hex(wire), hex(rsp.toFrame(0x0c, true).encode()));
    }

    @Test
    void dataTypesRoundTrip() {
        Object[][] cases = {
                {ZclDataType.UINT24, 0x123456L, "563412"}, {ZclDataType.INT24, -2L, "feffff"},
                {ZclDataType.UINT48, 0x010203040506L, "060504030201"}, {ZclDataType.INT8, -128L, "80"},
                {ZclDataType.BITMAP16, 0x8001L, "0180"}, {ZclDataType.ENUM8, 0x15L, "15"},
                {ZclDataType.BOOLEAN, true, "01"}, {ZclDataType.SINGLE_FLOAT, 1.5d, "0000c03f"},
                {ZclDataType.SEMI_FLOAT, 1.0d, "003c"}, {ZclDataType.CHAR_STRING, "ab", "026162"},
                {ZclDataType.LONG_CHAR_STRING, "a", "010061"}, {ZclDataType.INT16, -32767L, "0180"},
        };
        for (Object[] c : cases) {
            ZclDataType t = (ZclDataType) c[0];
            byte[] enc = new ZclWriter().value(t, c[1]).toByteArray();
            assertEquals(c[2], hex(enc), t.name());
            assertEquals(c[1], new ZclReader(enc).value(t), t.name());
        }
    }

    @Test
    void structDecodes() {
        // struct of 2: uint8 0x21, bool true
        byte[] wire = hex("0200 20 21 10 01");
        @SuppressWarnings("unchecked")
        List<ZclValue> v = (List<ZclValue>) new ZclReader(wire).value(ZclDataType.STRUCT);
        assertEquals(List.of(ZclValue.of(ZclDataType.UINT8, 0x21L), ZclValue.of(ZclDataType.BOOLEAN, true)), v);
    }

    @Test
    void nonValuesAreRecognised() {
        assertTrue(ZclValue.of(ZclDataType.INT16, -32768L).isNonValue());
        assertTrue(ZclValue.of(ZclDataType.UINT8, 0xFFL).isNonValue());
        assertFalse(ZclValue.of(ZclDataType.UINT8, 0xFEL).isNonValue());
        assertNull(new ZclReader(hex("ff")).value(ZclDataType.BOOLEAN));
    }

    // --- bad input ---

    @Test
    void truncatedMidAttributeIsRefusedWhole() {
        // report: temperature attribute whose int16 value has only one byte
        byte[] wire = hex("18 07 0a 0000 29 f3");
        ZclFormatException e = assertThrows(ZclFormatException.class, () -> ZclGlobal.decode(ZclFrame.decode(wire)));
        assertEquals("truncated", e.reason());
        // a string whose length prefix promises more than there is
        byte[] str = hex("18 01 01 0500 00 42 10 4142");
        assertEquals("truncated", assertThrows(ZclFormatException.class,
                () -> ZclGlobal.decode(ZclFrame.decode(str))).reason());
    }

    @Test
    void truncatedHeaderAndReservedFrameType() {
        assertEquals("truncated", assertThrows(ZclFormatException.class, () -> ZclFrame.decode(hex("18 01"))).reason());
        assertEquals("truncated", assertThrows(ZclFormatException.class, () -> ZclFrame.decode(hex("04 34"))).reason());
        assertEquals("malformed", assertThrows(ZclFormatException.class, () -> ZclFrame.decode(hex("02 01 00"))).reason());
    }

    @Test
    void unknownDataTypeAndUnsupportedCommand() {
        assertEquals("unknown_type", assertThrows(ZclFormatException.class,
                () -> ZclGlobal.decode(ZclFrame.decode(hex("18 07 0a 0000 77 01")))).reason());
        assertEquals("unsupported_command", assertThrows(ZclFormatException.class,
                () -> ZclGlobal.decode(ZclFrame.decode(hex("18 07 11 00")))).reason());
    }

    @Test
    void encodingRefusesValuesThatDoNotFit() {
        assertEquals("out_of_range", assertThrows(ZclFormatException.class,
                () -> new ZclWriter().value(ZclDataType.UINT8, 256)).reason());
        assertEquals("wrong_type", assertThrows(ZclFormatException.class,
                () -> new ZclWriter().value(ZclDataType.UINT16, "x")).reason());
        assertThrows(ZclFormatException.class, () -> ZclValue.of(ZclDataType.CHAR_STRING, "x").asLong());
    }
}
