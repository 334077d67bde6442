/**
 * Who measured, for each reading of a message, and how that was decided (contract/attribution.ts),
 * in DESIGN's order: the device's user index (its own assignment), else — on a community room's
 * gateway — the resident checked in at the instant of measurement, else the device-wide assignment;
 * never guessed: without any of them the reading goes to the unassigned inbox. All from memory (the
 * assignment cache and the room session index): no I/O per reading.
 */
import type { Attribution } from '../../contract/attribution.js';
import type { Reading } from '../../contract/index.js';
import type { DeviceDirectory } from '../registry/registry.js';
import { assignmentBasis, type AssignmentPeriod } from '../registry/resolve-assignment.js';
import type { RoomSessionLookup } from '../rooms/room-session-index.js';
import { instantMs } from '../storage/instant-ms.js';

/**
 * Fills `attributions` (and overrides `patients` where a room session decides) in place. `patients`
 * are the assignment answers of resolve-patients.ts for the same readings.
 */
export function attributeReadings(
  devices: DeviceDirectory,
  rooms: RoomSessionLookup | undefined,
  gatewayId: string,
  readings: readonly Reading[],
  patients: (string | undefined)[],
  attributions: (Attribution | undefined)[],
): void {
  const room = rooms?.isRoom(gatewayId) === true;
  let device: string | undefined;
  let periods: readonly AssignmentPeriod[] | undefined;
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    const assigned = patients[i];
    if (!assigned && !room) {
      attributions[i] = undefined;
      continue;
    }
    // Without a user index only a device-wide assignment can have given the patient: no need to
    // parse the time again or scan the periods (the common case at home).
    if (!room && r.device.userIndex === undefined) {
      attributions[i] = 'device_assignment';
      continue;
    }
    const at = instantMs(r.measuredAt);
    if (r.device.id !== device) {
      device = r.device.id;
      // Loaded by now: resolvePatients went through the same cache.
      periods = devices.knownAssignments?.(device);
    }
    let basis: Attribution | undefined = assigned && periods ? assignmentBasis(periods, r.device.userIndex, at) : undefined;
    if (room && basis !== 'user_index') {
      const session = rooms?.sessionAt(gatewayId, at);
      if (session) {
        patients[i] = session.patientId;
        basis = 'session';
      }
    }
    attributions[i] = patients[i] ? basis : undefined;
  }
}
