/**
 * Device definitions: the table that matches a device's Basic identity (manufacturer, model) to
 * its capabilities, reporting and quirks ({@link io.tetheritall.hub.drivers.zigbee.definition.DefinitionRegistry}),
 * with a generic definition built from the device's clusters when no entry matches.
 */
package io.tetheritall.hub.drivers.zigbee.definition;
