/**
 * The unassigned-readings inbox (hub/storage/unassigned-inbox.ts) and device assignment, through
 * the registry's assign-and-move (the same code path as `rpm-hub admin quarantine assign`).
 */
import type { RegistryAdmin } from '../../hub/registry/registry-admin.js';
import { assignAndMoveReadings } from '../../hub/registry/device-assigner.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { listUnassignedDevices } from '../../hub/storage/unassigned-inbox.js';
import type { DeviceAssigner, UnassignedInbox } from '../../dashboard-api/services.js';

export function quarantineInbox(influx: InfluxV1Client): UnassignedInbox {
  return { devices: () => listUnassignedDevices(influx) };
}

/** Records the assignment in the registry, then moves the device's waiting readings by the registry's own rule (hub/registry/device-assigner.ts). */
export function quarantineAssigner(registry: Pick<RegistryAdmin, 'assignDevice' | 'listAssignments'>, influx: InfluxV1Client): DeviceAssigner {
  return {
    async assign(a) {
      const result = await assignAndMoveReadings(registry, influx, {
        deviceId: a.deviceId,
        patientId: a.patientId,
        ...(a.userIndex !== undefined && { userIndex: a.userIndex }),
        ...(a.from && { from: a.from.toISOString() }),
        ...(a.to && { to: a.to.toISOString() }),
      });
      return { readingsMoved: result.moved, from: new Date(result.assignment.validFrom), to: result.assignment.validTo ? new Date(result.assignment.validTo) : undefined };
    },
  };
}
