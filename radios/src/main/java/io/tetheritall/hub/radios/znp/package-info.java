/**
 * A TI Z-Stack (ZNP) coordinator as a {@link io.tetheritall.hub.radios.api.ZigbeeRadio}: network
 * formation and restore, endpoint registration, ZDO interview, AF data with confirm correlation,
 * device events, and recovery after a link drop or a stick reset. Built on {@code radios.znp.mt}.
 */
package io.tetheritall.hub.radios.znp;
