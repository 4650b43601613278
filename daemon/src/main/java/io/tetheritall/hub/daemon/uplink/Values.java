package io.tetheritall.hub.daemon.uplink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * JSON and CBOR mapping of the hub's plain values (Boolean, Number, String, Map, List), shared by
 * the MQTT and CoAP uplinks. Parse errors become {@link BadPayloadException} with a message a client
 * can act on (where the problem is), never a stack trace on the wire.
 */
public final class Values {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

    private Values() {
    }

    /** A payload that could not be parsed or has the wrong shape. */
    public static final class BadPayloadException extends Exception {
        private static final long serialVersionUID = 1L;

        public BadPayloadException(String message) {
            super(message);
        }
    }

    public static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-serialisable: " + e.getOriginalMessage(), e);
        }
    }

    public static String jsonString(Object value) {
        return new String(json(value), StandardCharsets.UTF_8);
    }

    public static byte[] cbor(Object value) {
        try {
            return CBOR.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not CBOR-serialisable: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses a JSON object. */
    public static Map<String, Object> parseJsonObject(byte[] payload) throws BadPayloadException {
        return parseObject(JSON, payload, "JSON");
    }

    /** Parses a CBOR map. */
    public static Map<String, Object> parseCborObject(byte[] payload) throws BadPayloadException {
        return parseObject(CBOR, payload, "CBOR");
    }

    /** Parses any JSON value (object, array, string, number, boolean, null). */
    public static Object parseJsonValue(byte[] payload) throws BadPayloadException {
        return parseValue(JSON, payload, "JSON");
    }

    public static Object parseCborValue(byte[] payload) throws BadPayloadException {
        return parseValue(CBOR, payload, "CBOR");
    }

    /**
     * A plain MQTT {@code /set/<capability>} payload in Zigbee2MQTT style: a JSON scalar or object if
     * it parses as one ({@code 120}, {@code true}, {@code "ON"}, {@code {"x":0.3}}), else the raw text
     * ({@code ON}).
     */
    public static Object parsePlain(byte[] payload) {
        String s = new String(payload, StandardCharsets.UTF_8).trim();
        try {
            return JSON.readValue(s, Object.class);
        } catch (IOException e) {
            return s;
        }
    }

    private static Map<String, Object> parseObject(ObjectMapper m, byte[] payload, String what)
            throws BadPayloadException {
        Object v = parseValue(m, payload, what);
        if (!(v instanceof Map)) {
            throw new BadPayloadException("expected a " + what + " object, got "
                    + (v == null ? "null" : v instanceof java.util.List ? "an array" : "a " + v.getClass().getSimpleName().toLowerCase()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) v;
        return map;
    }

    private static Object parseValue(ObjectMapper m, byte[] payload, String what) throws BadPayloadException {
        if (payload == null || payload.length == 0) {
            throw new BadPayloadException("empty payload, expected " + what);
        }
        try {
            return m.readValue(payload, Object.class);
        } catch (JsonProcessingException e) {
            String loc = e.getLocation() == null ? "" : " at offset " + e.getLocation().getByteOffset();
            throw new BadPayloadException("malformed " + what + loc + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadPayloadException("malformed " + what + ": " + e.getMessage());
        }
    }
}
