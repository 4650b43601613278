package io.tetheritall.hub.daemon.core.api;

import java.util.List;

/**
 * A Zigbee group.
 *
 * @param name    friendly name
 * @param groupId 16-bit group id
 * @param members members as {@code ieee/endpoint}
 */
public record GroupView(String name, int groupId, List<String> members) {
}
