package io.tetheritall.hub.drivers.capability;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CapabilityValidationTest {
    private final NumericCapability brightness = NumericCapability.of("brightness", "rsg", 1, null, 0d, 254d, true);

    @Test
    void numericOutOfRangeNamesCapabilityAndRange() {
        ValueValidationException e = assertThrows(ValueValidationException.class, () -> brightness.validate(300));
        assertEquals("brightness", e.capability());
        assertTrue(e.getMessage().contains("brightness") && e.getMessage().contains("0..254"), e.getMessage());
    }

    @Test
    void numericWrongTypeAndFractions() {
        ValueValidationException e = assertThrows(ValueValidationException.class, () -> brightness.validate("bright"));
        assertTrue(e.getMessage().contains("0..254"), e.getMessage());
        assertThrows(ValueValidationException.class, () -> brightness.validate(true));
        assertThrows(ValueValidationException.class, () -> brightness.validate(12.5));
        assertThrows(ValueValidationException.class, () -> brightness.validate(Double.NaN));
        assertEquals(120L, brightness.validate(120));
        assertEquals(120L, brightness.validate("120"));
    }

    @Test
    void binaryOnOff() {
        BinaryCapability state = BinaryCapability.onOff("state", "rsg", 1);
        assertEquals("ON", state.validate("on"));
        assertEquals("TOGGLE", state.validate("toggle"));
        assertEquals("OFF", state.validate(false));
        ValueValidationException e = assertThrows(ValueValidationException.class, () -> state.validate("maybe"));
        assertTrue(e.getMessage().startsWith("state:") && e.getMessage().contains("[ON, OFF, TOGGLE]"));
        assertThrows(ValueValidationException.class, () -> state.validate(1));
    }

    @Test
    void enumAndText() {
        EnumCapability mode = EnumCapability.of("mode", "s", 1, "auto", "manual");
        assertEquals("auto", mode.validate("AUTO"));
        assertThrows(ValueValidationException.class, () -> mode.validate("off"));
        TextCapability t = new TextCapability("label", Capability.access("s"), 1, 3);
        assertThrows(ValueValidationException.class, () -> t.validate("long"));
    }

    @Test
    void compositeColorFormsAndFeatureRanges() {
        CompositeCapability color = new CompositeCapability("color", Capability.access("rsg"), 1, List.of(
                NumericCapability.of("x", "rsg", 1, null, 0d, 1d, false),
                NumericCapability.of("y", "rsg", 1, null, 0d, 1d, false),
                NumericCapability.of("hue", "rsg", 1, null, 0d, 360d, false),
                NumericCapability.of("saturation", "rsg", 1, null, 0d, 100d, false)),
                List.of(List.of("x", "y"), List.of("hue", "saturation")));
        assertEquals(Map.of("x", 0.3, "y", 0.4), color.validate(Map.of("x", 0.3, "y", 0.4)));
        assertNotNull(color.validate(Map.of("hue", 120, "saturation", 50)));
        ValueValidationException e = assertThrows(ValueValidationException.class,
                () -> color.validate(Map.of("x", 1.5, "y", 0.2)));
        assertEquals("color.x", e.capability());
        assertTrue(e.getMessage().contains("0..1"));
        assertThrows(ValueValidationException.class, () -> color.validate(Map.of("x", 0.3)));
        assertThrows(ValueValidationException.class, () -> color.validate(Map.of("z", 0.3)));
        assertThrows(ValueValidationException.class, () -> color.validate("red"));
    }

    @Test
    void accessFlags() {
        assertTrue(brightness.settable() && brightness.readable() && brightness.reported());
        assertFalse(BinaryCapability.bool("contact", "r", 1).settable());
        assertThrows(IllegalArgumentException.class, () -> Capability.access("x"));
    }
}
