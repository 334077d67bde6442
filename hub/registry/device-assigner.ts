/**
 * Assigning a device and moving its quarantined readings, in that order: first the registry knows
 * the patient (so new readings go to their series), then the readings waiting under `_unassigned`
 * that the registry's rule now gives to a patient are moved there (hub/storage/quarantine.ts).
 * Used by `rpm-hub admin quarantine assign` and `quarantine move`.
 */
import { earliestUnassigned, retagUnassigned, type RetagResult } from '../storage/quarantine.js';
import type { InfluxV1Client } from '../storage/influx-v1.js';
import type { AssignDeviceInput, AssignmentRecord, RegistryAdmin } from './registry-admin.js';
import { periodsFromRecords, resolveAssignment } from './resolve-assignment.js';

type Admin = Pick<RegistryAdmin, 'assignDevice' | 'listAssignments'>;

/** Re-tags the device's quarantined readings by its current assignments. Safe to run again. */
export async function moveQuarantinedReadings(admin: Admin, influx: InfluxV1Client, deviceId: string): Promise<RetagResult> {
  const periods = periodsFromRecords(await admin.listAssignments({ deviceId }));
  return retagUnassigned(influx, deviceId, (userIndex, at) => resolveAssignment(periods, userIndex, at.getTime()));
}

export interface AssignAndMoveResult extends RetagResult {
  readonly assignment: AssignmentRecord;
}

/**
 * Assigns, then moves. Without `from` the assignment starts at the device's earliest quarantined
 * reading (for that user index), so that all of them join the patient; with none waiting, now.
 */
export async function assignAndMoveReadings(admin: Admin, influx: InfluxV1Client, input: AssignDeviceInput): Promise<AssignAndMoveResult> {
  const from = input.from ?? (await earliestUnassigned(influx, input.deviceId, input.userIndex))?.toISOString();
  const assignment = await admin.assignDevice({ ...input, ...(from && { from }) });
  return { assignment, ...(await moveQuarantinedReadings(admin, influx, input.deviceId)) };
}
