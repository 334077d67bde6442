/**
 * Which patient a reading belongs to, from the assignments of its device. Pure, so the hub's ingest
 * (through the SQL registry's cache) and the quarantine re-tagging decide by the same rule:
 *  1. an assignment for the reading's own user index, valid at the measurement time, wins;
 *  2. else a device-wide assignment (user index NULL) valid at that time;
 *  3. else the reading is unassigned.
 * Periods are half-open, [validFrom, validTo): at the instant of a hand-over the new patient owns it.
 */

export interface AssignmentPeriod {
  readonly userIndex: number | null;
  readonly patientId: string;
  /** ms since the epoch */
  readonly validFrom: number;
  /** ms since the epoch; null = open */
  readonly validTo: number | null;
}

function covers(a: AssignmentPeriod, t: number): boolean {
  return a.validFrom <= t && (a.validTo === null || t < a.validTo);
}

export function resolveAssignment(assignments: readonly AssignmentPeriod[], userIndex: number | undefined, at: number): string | undefined {
  let deviceWide: string | undefined;
  for (const a of assignments) {
    if (!covers(a, at)) continue;
    if (a.userIndex === null) deviceWide = a.patientId;
    else if (userIndex !== undefined && a.userIndex === userIndex) return a.patientId;
  }
  return deviceWide;
}

/** Periods from the admin interface's records (ISO instants), e.g. for re-tagging quarantined readings. */
export function periodsFromRecords(
  records: readonly { userIndex: number | null; patientId: string; validFrom: string; validTo: string | null }[],
): AssignmentPeriod[] {
  return records.map((r) => ({
    userIndex: r.userIndex,
    patientId: r.patientId,
    validFrom: Date.parse(r.validFrom),
    validTo: r.validTo === null ? null : Date.parse(r.validTo),
  }));
}

/**
 * Which rule of resolveAssignment gave the reading its patient: its own user index's assignment, or
 * the device-wide one; undefined when unassigned. Same precedence, so it always agrees.
 */
export function assignmentBasis(assignments: readonly AssignmentPeriod[], userIndex: number | undefined, at: number): 'user_index' | 'device_assignment' | undefined {
  let deviceWide = false;
  for (const a of assignments) {
    if (!covers(a, at)) continue;
    if (a.userIndex === null) deviceWide = true;
    else if (userIndex !== undefined && a.userIndex === userIndex) return 'user_index';
  }
  return deviceWide ? 'device_assignment' : undefined;
}
