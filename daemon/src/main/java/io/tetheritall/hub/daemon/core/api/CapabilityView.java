package io.tetheritall.hub.daemon.core.api;

import java.util.List;

/**
 * One capability in the spirit of Zigbee2MQTT's "exposes".
 *
 * @param name      e.g. {@code state}, {@code brightness}, {@code color_xy}, {@code temperature}
 * @param kind      binary, numeric, enum, text or composite
 * @param unit      e.g. °C, %, W; null if none
 * @param min       lowest allowed value for numeric, else null
 * @param max       highest allowed value for numeric, else null
 * @param values    allowed values for enum (and ON/OFF for binary), else empty
 * @param readable  can be read with get
 * @param settable  can be set
 * @param reported  the device reports it by itself
 * @param endpoint  the endpoint it lives on
 */
public record CapabilityView(String name, String kind, String unit, Double min, Double max, List<String> values,
                             boolean readable, boolean settable, boolean reported, int endpoint) {
}
