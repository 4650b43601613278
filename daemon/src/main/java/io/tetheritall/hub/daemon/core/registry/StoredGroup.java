package io.tetheritall.hub.daemon.core.registry;

import java.util.List;

/**
 * A group as persisted.
 *
 * @param name    friendly name
 * @param groupId 16-bit group id
 * @param members {@code ieee/endpoint}
 */
public record StoredGroup(String name, int groupId, List<String> members) {
    public StoredGroup {
        members = List.copyOf(members);
    }
}
