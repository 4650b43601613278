package io.tetheritall.hub.radios.znp.sim;

import java.util.List;

/**
 * The simulated device catalogue (DEVICES.md): Basic-cluster identity, type, server clusters and endpoint
 * layout. Every kind has its clusters on endpoint 1, profile 0x0104 (Home Automation), except the Hue
 * motion sensor, which has them on endpoint 2 behind a ZLL endpoint 1 (see {@link #endpoints()}).
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

    /** Home Automation profile. */
    public static final int PROFILE_HA = 0x0104;
    /** ZigBee Light Link profile. */
    public static final int PROFILE_ZLL = 0xC05E;

    /**
     * One endpoint as its Simple_Desc_rsp describes it.
     *
     * @param id          endpoint number
     * @param profile     application profile id
     * @param deviceId    application device id
     * @param inClusters  server (input) clusters
     * @param outClusters client (output) clusters
     */
    public record Endpoint(int id, int profile, int deviceId, List<Integer> inClusters, List<Integer> outClusters) {
    }

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

    /** HA device id of the endpoint with the device's clusters ({@link #appEndpoint()}). */
    public int deviceId() {
        return deviceId;
    }

    /** Server clusters of the endpoint with the device's clusters ({@link #appEndpoint()}). */
    public List<Integer> serverClusters() {
        return serverClusters;
    }

    /** Color cluster colorCapabilities (0x400A): bit0 hue/sat, bit1 enhanced hue, bit3 xy, bit4 colour temperature. */
    public int colorCapabilities() {
        return colorCapabilities;
    }

    /** The Zigbee manufacturer code of the node descriptor (and of manufacturer-specific ZCL frames). */
    public int manufacturerCode() {
        return switch (manufacturer) {
            case "IKEA of Sweden" -> 0x117C;
            case "Signify Netherlands B.V." -> 0x100B;
            case "LUMI" -> 0x115F;
            case "innr" -> 0x1166;
            default -> 0x0000;
        };
    }

    public int minMireds() {
        return minMireds;
    }

    public int maxMireds() {
        return maxMireds;
    }

    /** Client clusters of {@link #appEndpoint()} (OTA upgrade for the mains devices, as real ones have). */
    public List<Integer> clientClusters() {
        return sleepy ? List.of(0x0019) : List.of(0x0019, 0x0020);
    }

    /**
     * The endpoint that holds {@link #serverClusters()}, sends the device's reports and answers for them:
     * 2 for the Hue motion sensor, 1 for every other kind.
     */
    public int appEndpoint() {
        return this == MOTION_SENSOR ? 2 : 1;
    }

    /**
     * The device's endpoints in the order its Active_EP_rsp lists them.
     *
     * <p>The Hue motion sensor SML001 has two (zigpy's quirk signature for SML001/SML002, the Hue bridge's
     * sensor ids {@code <ieee>-02-0406/0400/0402}, zigbee-herdsman-converters binding and reporting on
     * endpoint 2): endpoint 2, HA profile, occupancy sensor 0x0107 with Basic, Power Configuration,
     * Identify, Illuminance, Temperature and Occupancy servers and an OTA client; and endpoint 1, ZLL
     * profile 0xC05E, on/off sensor 0x0850 with a Basic server and Basic, Identify, Groups, Scenes, On/Off,
     * Level and Color clients (the remote-control side the Hue bridge uses). An interview log of a real
     * one (Tasmota's Zigbee documentation) shows the active endpoints as 2 then 1.
     */
    public List<Endpoint> endpoints() {
        Endpoint app = new Endpoint(appEndpoint(), PROFILE_HA, deviceId, serverClusters, clientClusters());
        if (this == MOTION_SENSOR) {
            return List.of(app, new Endpoint(1, PROFILE_ZLL, 0x0850, List.of(0x0000),
                    List.of(0x0000, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0300)));
        }
        return List.of(app);
    }

    /** The endpoint {@code id}, or null if the device has none. */
    public Endpoint endpoint(int id) {
        for (Endpoint e : endpoints()) {
            if (e.id() == id) {
                return e;
            }
        }
        return null;
    }
}
