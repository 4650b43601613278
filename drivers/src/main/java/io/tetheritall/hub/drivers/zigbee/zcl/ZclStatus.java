package io.tetheritall.hub.drivers.zigbee.zcl;

/** ZCL status codes (ZCL 2.6.3, table 2-12) that the hub acts on or shows. */
public final class ZclStatus {
    public static final int SUCCESS = 0x00;
    public static final int FAILURE = 0x01;
    public static final int NOT_AUTHORIZED = 0x7E;
    public static final int MALFORMED_COMMAND = 0x80;
    public static final int UNSUP_CLUSTER_COMMAND = 0x81;
    public static final int UNSUP_GENERAL_COMMAND = 0x82;
    public static final int UNSUP_MANUF_CLUSTER_COMMAND = 0x83;
    public static final int UNSUP_MANUF_GENERAL_COMMAND = 0x84;
    public static final int INVALID_FIELD = 0x85;
    public static final int UNSUPPORTED_ATTRIBUTE = 0x86;
    public static final int INVALID_VALUE = 0x87;
    public static final int READ_ONLY = 0x88;
    public static final int INSUFFICIENT_SPACE = 0x89;
    public static final int DUPLICATE_EXISTS = 0x8A;
    public static final int NOT_FOUND = 0x8B;
    public static final int UNREPORTABLE_ATTRIBUTE = 0x8C;
    public static final int INVALID_DATA_TYPE = 0x8D;
    public static final int INVALID_SELECTOR = 0x8E;
    public static final int TIMEOUT = 0x94;
    public static final int HARDWARE_FAILURE = 0xC0;
    public static final int SOFTWARE_FAILURE = 0xC1;

    private ZclStatus() {
    }

    /** A readable name for logs and error messages. */
    public static String name(int status) {
        return switch (status) {
            case SUCCESS -> "SUCCESS";
            case FAILURE -> "FAILURE";
            case NOT_AUTHORIZED -> "NOT_AUTHORIZED";
            case MALFORMED_COMMAND -> "MALFORMED_COMMAND";
            case UNSUP_CLUSTER_COMMAND -> "UNSUP_CLUSTER_COMMAND";
            case UNSUP_GENERAL_COMMAND -> "UNSUP_GENERAL_COMMAND";
            case UNSUP_MANUF_CLUSTER_COMMAND -> "UNSUP_MANUF_CLUSTER_COMMAND";
            case UNSUP_MANUF_GENERAL_COMMAND -> "UNSUP_MANUF_GENERAL_COMMAND";
            case INVALID_FIELD -> "INVALID_FIELD";
            case UNSUPPORTED_ATTRIBUTE -> "UNSUPPORTED_ATTRIBUTE";
            case INVALID_VALUE -> "INVALID_VALUE";
            case READ_ONLY -> "READ_ONLY";
            case INSUFFICIENT_SPACE -> "INSUFFICIENT_SPACE";
            case DUPLICATE_EXISTS -> "DUPLICATE_EXISTS";
            case NOT_FOUND -> "NOT_FOUND";
            case UNREPORTABLE_ATTRIBUTE -> "UNREPORTABLE_ATTRIBUTE";
            case INVALID_DATA_TYPE -> "INVALID_DATA_TYPE";
            case INVALID_SELECTOR -> "INVALID_SELECTOR";
            case TIMEOUT -> "TIMEOUT";
            case HARDWARE_FAILURE -> "HARDWARE_FAILURE";
            case SOFTWARE_FAILURE -> "SOFTWARE_FAILURE";
            default -> String.format("0x%02x", status);
        };
    }
}
