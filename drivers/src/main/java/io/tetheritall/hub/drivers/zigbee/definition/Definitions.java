package io.tetheritall.hub.drivers.zigbee.definition;

import java.util.List;

import static io.tetheritall.hub.drivers.zigbee.definition.DeviceDefinition.builder;

/**
 * The built-in definition table. Model ids are the Basic modelIdentifier strings the devices send
 * (as in Zigbee2MQTT's zigbee-herdsman-converters); vendor model codes are the products' own.
 * The first eight entries are the simulated catalogue (DEVICES.md).
 */
final class Definitions {
    static final int BASIC = 0x0000;
    static final int POWER = 0x0001;
    static final int IDENTIFY = 0x0003;
    static final int GROUPS = 0x0004;
    static final int SCENES = 0x0005;
    static final int ON_OFF = 0x0006;
    static final int LEVEL = 0x0008;
    static final int COLOR = 0x0300;
    static final int ILLUMINANCE = 0x0400;
    static final int TEMPERATURE = 0x0402;
    static final int PRESSURE = 0x0403;
    static final int HUMIDITY = 0x0405;
    static final int OCCUPANCY = 0x0406;
    static final int IAS_ZONE = 0x0500;
    static final int METERING = 0x0702;
    static final int ELECTRICAL = 0x0B04;

    private Definitions() {
    }

    private static DeviceDefinition.Builder light(DeviceDefinition.Builder b, String modes, int ctMin, int ctMax) {
        b.cluster(ON_OFF).cluster(LEVEL).cluster(IDENTIFY).cluster(SCENES);
        if (modes != null) {
            b.cluster(COLOR, "modes", modes, "ctMin", ctMin, "ctMax", ctMax).defaultReporting(ON_OFF, LEVEL);
            // CurrentX/CurrentY reporting only for lights with xy colour: a colour-temperature-only light
            // (colorCapabilities bit 4 alone, like the simulated TRADFRI WS) refuses those records with
            // 0x86 UNSUPPORTED_ATTRIBUTE, which made every interview log a configure failure.
            for (var r : io.tetheritall.hub.drivers.zigbee.cluster.Converters.forCluster(COLOR).defaultReporting()) {
                if (modes.contains("xy") || r.attributeId() == 0x0007) {
                    b.reporting(COLOR, r);
                }
            }
        } else {
            b.defaultReporting(ON_OFF, LEVEL);
        }
        return b;
    }

    static final List<DeviceDefinition> ALL = List.of(
            // --- simulated catalogue (DEVICES.md) ---
            light(builder("IKEA", "LED1624G9", "TRADFRI bulb E27/E26, colour and white spectrum, opal, 600 lm",
                    "TRADFRI bulb E27 CWS opal 600lm", "TRADFRI bulb E26 CWS opal 600lm"), "xy,hs,ct", 153, 500).build(),
            light(builder("IKEA", "LED1545G12", "TRADFRI bulb E27, white spectrum, opal, 980 lm",
                    "TRADFRI bulb E27 WS opal 980lm", "TRADFRI bulb E26 WS opal 980lm"), "ct", 250, 454).build(),
            light(builder("Philips", "9290012573A", "Hue white and color ambiance E26/E27/E14", "LCT015"),
                    "xy,hs,ct", 153, 500).build(),
            builder("Innr", "SP 120", "Smart plug with power metering", "SP 120")
                    .cluster(ON_OFF).cluster(IDENTIFY).cluster(ELECTRICAL).cluster(METERING)
                    .defaultReporting(ON_OFF, ELECTRICAL, METERING).build(),
            builder("Xiaomi", "WSDCGQ11LM", "Aqara temperature, humidity and pressure sensor", "lumi.weather")
                    .cluster(TEMPERATURE).cluster(HUMIDITY).cluster(PRESSURE).cluster(POWER)
                    .quirk(Quirk.NO_CONFIGURE).build(),
            // Endpoint 1 is a ZLL (0xC05E) on/off sensor with Basic only; the sensors are on endpoint 2 (HA), and
            // they report only once bound and configured there, as zigbee-herdsman-converters does.
            builder("Philips", "9290012607", "Hue motion sensor", "SML001")
                    .clusterOn(2, OCCUPANCY).clusterOn(2, ILLUMINANCE).clusterOn(2, TEMPERATURE).clusterOn(2, POWER)
                    .defaultReporting(OCCUPANCY, ILLUMINANCE, TEMPERATURE, POWER).build(),
            builder("SONOFF", "SNZB-04", "Contact sensor", "DS01").cluster(IAS_ZONE, "zoneType", "contact")
                    .cluster(POWER).defaultReporting(POWER).build(),
            builder("Xiaomi", "SJCGQ11LM", "Aqara water leak sensor", "lumi.sensor_wleak.aq1")
                    .cluster(IAS_ZONE, "zoneType", "water").cluster(POWER).quirk(Quirk.NO_CONFIGURE).build(),
            // --- other common real devices ---
            light(builder("IKEA", "LED1536G5", "TRADFRI bulb E12/E14, white spectrum, opal, 400 lm",
                    "TRADFRI bulb E14 WS opal 400lm", "TRADFRI bulb E12 WS opal 400lm"), "ct", 250, 454).build(),
            builder("IKEA", "E1603/E1702/E1708", "TRADFRI control outlet", "TRADFRI control outlet")
                    .cluster(ON_OFF).defaultReporting(ON_OFF).build(),
            light(builder("Philips", "8718699673147", "Hue white A60 bulb B22/E26/E27", "LWB010"), null, 0, 0)
                    .build(),
            light(builder("Philips", "9290011370", "Hue white and color ambiance E26/E27 (1st gen)", "LCT001"),
                    "xy,hs,ct", 153, 500).build(),
            light(builder("Philips", "8718696548738", "Hue white ambiance E26/E27", "LTW010"), "ct", 153, 454)
                    .build(),
            builder("Xiaomi", "MCCGQ11LM", "Aqara door and window contact sensor", "lumi.sensor_magnet.aq2")
                    .cluster(ON_OFF, "contact", true).cluster(POWER).quirk(Quirk.NO_CONFIGURE).build(),
            builder("Xiaomi", "RTCGQ11LM", "Aqara human body movement and illuminance sensor", "lumi.sensor_motion.aq2")
                    .cluster(OCCUPANCY).cluster(ILLUMINANCE, "directValue", true).cluster(POWER)
                    .quirk(Quirk.NO_CONFIGURE).build(),
            builder("Xiaomi", "WSDCGQ01LM", "MiJia temperature and humidity sensor", "lumi.sensor_ht")
                    .cluster(TEMPERATURE).cluster(HUMIDITY).cluster(POWER).quirk(Quirk.NO_CONFIGURE).build(),
            builder("Xiaomi", "SP-EUC01", "Aqara EU smart plug", "lumi.plug.maeu01")
                    .cluster(ON_OFF).cluster(ELECTRICAL).cluster(METERING).defaultReporting(ON_OFF).build(),
            builder("SONOFF", "BASICZBR3", "Zigbee smart switch", "BASICZBR3")
                    .cluster(ON_OFF).quirk(Quirk.NO_CONFIGURE).build(),
            builder("SONOFF", "S31ZB", "Zigbee smart plug (US version)", "S31 Lite zb")
                    .cluster(ON_OFF).defaultReporting(ON_OFF).build(),
            builder("SONOFF", "SNZB-02", "Temperature and humidity sensor", "TH01")
                    .cluster(TEMPERATURE).cluster(HUMIDITY).cluster(POWER)
                    .defaultReporting(TEMPERATURE, HUMIDITY, POWER).build(),
            builder("SONOFF", "SNZB-03", "Motion sensor", "MS01").cluster(IAS_ZONE, "zoneType", "motion")
                    .cluster(POWER).defaultReporting(POWER).build()
    );
}
