/**
 * Persistence of devices and groups behind the narrow
 * {@link io.tetheritall.hub.daemon.core.registry.DeviceRepository}: a JSON file written atomically
 * for now, the store module's cache later.
 */
package io.tetheritall.hub.daemon.core.registry;
