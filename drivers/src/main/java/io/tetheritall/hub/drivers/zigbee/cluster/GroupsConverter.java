package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclReader;

import java.util.List;
import java.util.Map;

/**
 * Groups (0x0004). No capability: the hub uses {@link #addGroup} and {@link #removeGroup} to manage
 * membership and {@link #parseResponse} to read the device's answer.
 */
public final class GroupsConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0004;
    public static final int CMD_ADD_GROUP = 0x00;
    public static final int CMD_VIEW_GROUP = 0x01;
    public static final int CMD_GET_MEMBERSHIP = 0x02;
    public static final int CMD_REMOVE_GROUP = 0x03;
    public static final int CMD_REMOVE_ALL = 0x04;

    public GroupsConverter() {
        super(CLUSTER, "groups");
    }

    /** A group command's answer: status and group id. */
    public record GroupResponse(int commandId, int status, int groupId) {
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        return List.of();
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        return Map.of();
    }

    /** Add Group: group id (u16), group name (char string; ZCL allows an empty name). */
    public ZclRequest addGroup(int groupId, String name) {
        return command(CMD_ADD_GROUP, w().u16(groupId).value(
                io.tetheritall.hub.drivers.zigbee.zcl.ZclDataType.CHAR_STRING, name == null ? "" : name).toByteArray(),
                Map.of(), null);
    }

    /** Remove Group: group id (u16). */
    public ZclRequest removeGroup(int groupId) {
        return command(CMD_REMOVE_GROUP, w().u16(groupId).toByteArray(), Map.of(), null);
    }

    /** Parses an Add/View/Remove Group response (status u8, group id u16). */
    public GroupResponse parseResponse(int commandId, byte[] payload) {
        ZclReader r = new ZclReader(payload);
        return new GroupResponse(commandId, r.u8(), r.u16());
    }
}
