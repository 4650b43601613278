package io.tetheritall.hub.drivers.zigbee.cluster;

import io.tetheritall.hub.drivers.capability.Capability;
import io.tetheritall.hub.drivers.capability.NumericCapability;
import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * Scenes (0x0005): {@code scene_store} and {@code scene_recall} (scene id 0..255, set only) in the
 * group given by the {@code scene_group} key of the same call, default 0 (the global scene group).
 */
public final class ScenesConverter extends AbstractConverter {
    public static final int CLUSTER = 0x0005;
    public static final int CMD_STORE_SCENE = 0x04;
    public static final int CMD_RECALL_SCENE = 0x05;

    public ScenesConverter() {
        super(CLUSTER, "scenes");
    }

    @Override
    public List<Capability> capabilities(ConverterContext ctx) {
        int ep = ctx.endpoint();
        return List.of(NumericCapability.of("scene_store", "s", ep, null, 0d, 255d, true),
                NumericCapability.of("scene_recall", "s", ep, null, 0d, 255d, true));
    }

    @Override
    public Map<String, Object> fromAttributes(List<AttributeValue> attributes, ConverterContext ctx) {
        return Map.of();
    }

    @Override
    public List<ZclRequest> toZcl(String capability, Object value, Map<String, Object> all, ConverterContext ctx) {
        int scene = ((Number) value).intValue();
        int group = all.get("scene_group") instanceof Number n ? n.intValue() : 0;
        return switch (capability) {
            case "scene_store" -> List.of(command(CMD_STORE_SCENE, w().u16(group).u8(scene).toByteArray(), Map.of(),
                    null));
            case "scene_recall" -> List.of(command(CMD_RECALL_SCENE, w().u16(group).u8(scene).toByteArray(),
                    Map.of(), "scene"));
            default -> super.toZcl(capability, value, all, ctx);
        };
    }
}
