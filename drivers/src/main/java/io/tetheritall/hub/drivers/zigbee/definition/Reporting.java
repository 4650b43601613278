package io.tetheritall.hub.drivers.zigbee.definition;

import io.tetheritall.hub.drivers.zigbee.zcl.ZclGlobal.ReportingRecord;

/**
 * Reporting the commissioning configures (after binding the cluster to the coordinator).
 *
 * @param endpoint  the device endpoint
 * @param clusterId the cluster
 * @param record    attribute, type, min/max interval, reportable change
 */
public record Reporting(int endpoint, int clusterId, ReportingRecord record) {
}
