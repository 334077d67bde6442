/** Device assignments: which patient a device (and user index) measures, during which period. */
import { SQLSTATE, sqlErrorInfo, type SqlDb } from '../sql/sql-db.js';
import { AssignDeviceInput, DeviceId, RegistryError, UnassignDeviceInput, parseField, parseInput, type AssignmentRecord } from './registry-admin.js';
import type { AssignmentPeriod } from './resolve-assignment.js';
import { requireRow } from './sql-admin-org.js';
import { ASSIGNMENT_COLUMNS, assignmentRecord, type AssignmentRow } from './sql-rows.js';

function who(deviceId: string, userIndex: number | undefined): string {
  return userIndex === undefined ? `device ${deviceId}` : `device ${deviceId} user index ${userIndex}`;
}

export async function assignDevice(db: SqlDb, raw: AssignDeviceInput, now: Date): Promise<AssignmentRecord> {
  const input = parseInput(AssignDeviceInput, raw);
  const from = input.from ? new Date(input.from) : now;
  const subject = who(input.deviceId, input.userIndex);
  return db.transaction(async (tx) => {
    await requireRow(tx, 'patients', input.patientId, 'patient');
    // Devices become known when first assigned; kind/model are kept unless new values are given.
    await tx.query(
      `INSERT INTO devices (id, kind, model) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET kind = coalesce(EXCLUDED.kind, devices.kind), model = coalesce(EXCLUDED.model, devices.model)`,
      [input.deviceId, input.kind ?? null, input.model ?? null],
    );
    const open = (
      await tx.query<AssignmentRow>(
        `SELECT ${ASSIGNMENT_COLUMNS} FROM device_assignments
         WHERE device_id = $1 AND user_index IS NOT DISTINCT FROM $2 AND valid_to IS NULL FOR UPDATE`,
        [input.deviceId, input.userIndex ?? null],
      )
    )[0];
    if (open && input.to === undefined && open.patient_id === input.patientId && open.valid_from <= from) {
      return assignmentRecord(open); // already so: idempotent
    }
    // A bounded period that ends before the open one starts leaves it alone (back-filling history).
    const endsBeforeOpen = open !== undefined && input.to !== undefined && new Date(input.to) <= open.valid_from;
    if (open && !endsBeforeOpen) {
      if (open.valid_from >= from) {
        throw new RegistryError(
          'conflict',
          `${subject} is assigned to patient ${open.patient_id} from ${open.valid_from.toISOString()}, not before ${from.toISOString()}; choose a later --from or unassign it first`,
        );
      }
      // Hand-over: the previous patient's period ends where the new one starts.
      await tx.query('UPDATE device_assignments SET valid_to = $2 WHERE device_id = $1 AND user_index IS NOT DISTINCT FROM $3 AND valid_to IS NULL', [
        input.deviceId,
        from.toISOString(),
        input.userIndex ?? null,
      ]);
    }
    try {
      const rows = await tx.query<AssignmentRow>(
        `INSERT INTO device_assignments (device_id, user_index, patient_id, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5) RETURNING ${ASSIGNMENT_COLUMNS}`,
        [input.deviceId, input.userIndex ?? null, input.patientId, from.toISOString(), input.to ?? null],
      );
      return assignmentRecord(rows[0] as AssignmentRow);
    } catch (err) {
      if (sqlErrorInfo(err).code === SQLSTATE.exclusionViolation) {
        throw new RegistryError('conflict', `${subject} already has an assignment overlapping ${from.toISOString()} – ${input.to ?? 'open end'}`);
      }
      throw err;
    }
  });
}

export async function unassignDevice(db: SqlDb, raw: UnassignDeviceInput, now: Date): Promise<AssignmentRecord> {
  const input = parseInput(UnassignDeviceInput, raw);
  const at = input.at ? new Date(input.at) : now;
  const subject = who(input.deviceId, input.userIndex);
  return db.transaction(async (tx) => {
    const rows = await tx.query<AssignmentRow>(
      `UPDATE device_assignments SET valid_to = $3
       WHERE device_id = $1 AND user_index IS NOT DISTINCT FROM $2 AND valid_to IS NULL AND valid_from < $3
       RETURNING ${ASSIGNMENT_COLUMNS}`,
      [input.deviceId, input.userIndex ?? null, at.toISOString()],
    );
    if (rows[0]) return assignmentRecord(rows[0]);
    const open = await tx.query<AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM device_assignments WHERE device_id = $1 AND user_index IS NOT DISTINCT FROM $2 AND valid_to IS NULL`,
      [input.deviceId, input.userIndex ?? null],
    );
    if (open[0]) {
      throw new RegistryError('conflict', `${subject} is assigned from ${open[0].valid_from.toISOString()}, after ${at.toISOString()}; choose a later --at`);
    }
    throw new RegistryError('not_found', `${subject} has no open assignment`);
  });
}

export async function listAssignments(db: SqlDb, filter: { deviceId?: string; patientId?: string } = {}): Promise<AssignmentRecord[]> {
  const rows = await db.query<AssignmentRow>(
    `SELECT ${ASSIGNMENT_COLUMNS} FROM device_assignments
     WHERE ($1::text IS NULL OR device_id = $1) AND ($2::text IS NULL OR patient_id = $2)
     ORDER BY device_id, user_index NULLS FIRST, valid_from`,
    [filter.deviceId ?? null, filter.patientId ?? null],
  );
  return rows.map(assignmentRecord);
}

/** All periods of one device, for resolveAssignment (hub/registry/resolve-assignment.ts). */
export async function loadAssignmentPeriods(db: SqlDb, deviceId: string): Promise<AssignmentPeriod[]> {
  const id = parseField('deviceId', DeviceId, deviceId);
  const rows = await db.query<AssignmentRow>(`SELECT ${ASSIGNMENT_COLUMNS} FROM device_assignments WHERE device_id = $1`, [id]);
  return rows.map((r) => ({
    userIndex: r.user_index,
    patientId: r.patient_id,
    validFrom: r.valid_from.getTime(),
    validTo: r.valid_to ? r.valid_to.getTime() : null,
  }));
}
