package io.tetheritall.hub.radios.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinksTest {

    @Test
    void devicePathsBecomeSerialLinks() {
        SerialLink l = assertInstanceOf(SerialLink.class, Links.create("/dev/ttyUSB0", 115200, false));
        assertEquals("/dev/ttyUSB0", l.name());
        assertEquals(115200, l.baud());
        assertFalse(l.rtsCts());
        SerialLink byId = assertInstanceOf(SerialLink.class,
                Links.create("/dev/serial/by-id/usb-ITead_Sonoff_Zigbee_3.0_USB_Dongle_Plus_a1b2-if00-port0", 115200, true));
        assertTrue(byId.rtsCts());
        assertEquals("target/tmp/pty/a", Links.create("target/tmp/pty/a", 57600, false).name());
        assertFalse(Links.create("/dev/ttyACM0", 115200, false).isUp(), "create() does not open");
    }

    @Test
    void tcpSpecsBecomeTcpLinks() {
        TcpLink t = assertInstanceOf(TcpLink.class, Links.create("tcp://192.168.1.20:6638", 115200, false));
        assertEquals("192.168.1.20", t.host());
        assertEquals(6638, t.port());
        assertEquals("tcp://192.168.1.20:6638", t.name());
        TcpLink named = assertInstanceOf(TcpLink.class, Links.create("TCP://slzb-06.local:6638/", 115200, false));
        assertEquals("slzb-06.local", named.host());
        TcpLink v6 = assertInstanceOf(TcpLink.class, Links.create("tcp://[::1]:2001", 115200, false));
        assertEquals("::1", v6.host());
        assertEquals("tcp://[::1]:2001", v6.name());
        assertEquals(2001, v6.port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://host", "tcp://:6638", "tcp://host:0", "tcp://host:70000", "tcp://host:port",
            "udp://host:6638", "socket://host:6638", "tcp:host:6638", "serial:/dev/ttyUSB0", "tcp://host:6638/x",
            "tcp://host:6638?baud=1", "tcp://user@host:6638", "tcp://ho st:1"})
    void badSpecsAreRejectedNamingTheSpec(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Links.create(spec, 115200, false));
        assertTrue(e.getMessage().contains("'" + spec + "'"), e.getMessage());
    }

    @Test
    void blankSpecsAndBadBaudsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Links.create(null, 115200, false));
        assertThrows(IllegalArgumentException.class, () -> Links.create("", 115200, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Links.create("   ", 115200, false));
        assertTrue(e.getMessage().contains("'   '"), e.getMessage());
        IllegalArgumentException baud = assertThrows(IllegalArgumentException.class, () -> Links.create("/dev/ttyUSB0", 0, false));
        assertTrue(baud.getMessage().contains("/dev/ttyUSB0"), baud.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Links.reconnecting("udp://x:1", 115200, false, Backoff.DEFAULT, null));
    }
}
