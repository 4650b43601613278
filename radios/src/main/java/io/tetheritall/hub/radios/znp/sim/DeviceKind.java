package io.tetheritall.hub.radios.znp.sim;

import java.util.List;

/**
 * The simulated device catalogue (DEVICES.md): Basic-cluster identity, type and server clusters.
 * Everything is on endpoint 1, profile 0x0104 (Home Automation).
 */
public enum DeviceKind {
    COLOUR_BULB("IKEA of Sweden", "TRADFRI bulb E27 CWS opal 600lm", false, 0x010D,
            List.of(0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0300), 0x0019, 250, 454),
    WHITE_SPECTRUM_BULB("IKEA of Sweden", "TRADFRI bulb E27 WS opal 980lm", false, 0x010C,
            List.of(0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0300), 0x0010, 250, 454),
    HUE_COLOUR_BULB("Signify Netherlands B.V.", "LCT015", false, 0x010D,
            List.of(0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0300), 0x001F, 153, 500),
    METERING_PLUG("innr", "SP 120", false, 0x0051,
            List.of(0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0702, 0x0B04), 0, 0, 0),
    WEATHER_SENSOR("LUMI", "lumi.weather", true, 0x0302,
            List.of(0x0000, 0x0001, 0x0003, 0x0402, 0x0403, 0x0405), 0, 0, 0),
    MOTION_SENSOR("Signify Netherlands B.V.", "SML001", true, 0x0107,
            List.of(0x0000, 0x0001, 0x0003, 0x0400, 0x0402, 0x0406), 0, 0, 0),
    CONTACT_SENSOR("eWeLink", "DS01", true, 0x0402,
            List.of(0x0000, 0x0001, 0x0003, 0x0500), 0, 0, 0),
    WATER_LEAK_SENSOR("LUMI", "lumi.sensor_wleak.aq1", true, 0x0402,
            List.of(0x0000, 0x0001, 0x0003, 0x0500), 0, 0, 0);

    private final String manufacturer;
    private final String model;
    private final boolean sleepy;
    private final int deviceId;
    private final List<Integer> serverClusters;
    private final int colorCapabilities;
    private final int minMireds;
    private final int maxMireds;

    DeviceKind(String manufacturer, String model, boolean sleepy, int deviceId, List<Integer> serverClusters,
               int colorCapabilities, int minMireds, int maxMireds) {
        this.manufacturer = manufacturer;
        this.model = model;
        this.sleepy = sleepy;
        this.deviceId = deviceId;
        this.serverClusters = serverClusters;
        this.colorCapabilities = colorCapabilities;
        this.minMireds = minMireds;
        this.maxMireds = maxMireds;
    }

    public String manufacturer() {
        return manufacturer;
    }

    public String model() {
        return model;
    }

    /** Battery end device that polls its parent (rx-off-when-idle); otherwise a mains router. */
    public boolean sleepy() {
        return sleepy;
    }

    /** HA device id of endpoint 1. */
    public int deviceId() {
        return deviceId;
    }

    public List<Integer> serverClusters() {
        return serverClusters;
    }

    /** Color cluster colorCapabilities (0x400A): bit0 hue/sat, bit1 enhanced hue, bit3 xy, bit4 colour temperature. */
    public int colorCapabilities() {
        return colorCapabilities;
    }

    public int minMireds() {
        return minMireds;
    }

    public int maxMireds() {
        return maxMireds;
    }

    /** Client clusters on endpoint 1 (OTA upgrade for the mains devices, as real ones have). */
    public List<Integer> clientClusters() {
        return sleepy ? List.of(0x0019) : List.of(0x0019, 0x0020);
    }
}
