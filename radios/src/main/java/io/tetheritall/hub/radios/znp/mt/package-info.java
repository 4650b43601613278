/**
 * TI Monitor and Test (MT) protocol over UNPI frames: the command catalogue ({@link
 * io.tetheritall.hub.radios.znp.mt.MtCommand}), status bytes and their meaning ({@link
 * io.tetheritall.hub.radios.znp.mt.ZnpStatus}), and request correlation ({@link
 * io.tetheritall.hub.radios.znp.mt.MtSession}: one SREQ in flight, SRSP matching, RPC errors, AREQ
 * waits, one deadline table). It knows commands as header bytes and payloads as bytes; what the
 * commands mean for a Zigbee network is {@code radios.znp}'s business.
 */
package io.tetheritall.hub.radios.znp.mt;
