/**
 * Patients in SQL. The care team's rule configuration (`rules`, PatientRuleConfig input from
 * hub/alerts/rules/config.ts) is validated here and stored as given; condition groups, the
 * hypercapnic flag and the time zone are also kept in columns of their own, derived from the same
 * parse in the same statement, so the two never disagree.
 */
import { parsePatientRuleConfig } from '../alerts/rules/config.js';
import type { SqlDb } from '../sql/sql-db.js';
import { CreatePatientInput, DisplayName, LocalId, RegistryError, TopicId, parseField, parseInput, type PatientRecord } from './registry-admin.js';
import { insertOnce, requireRow } from './sql-admin-org.js';
import { PATIENT_COLUMNS, patientRecord, type PatientRow } from './sql-rows.js';

export interface NewPatientWithRules {
  readonly id: string;
  readonly careTeamId: string;
  readonly displayName: string;
  readonly rules: Readonly<Record<string, unknown>>;
}

export type PatientChanges = Partial<Omit<NewPatientWithRules, 'id'>>;

function derived(rules: unknown): { conditionGroups: string[]; hypercapnic: boolean; timeZone: string } {
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new RegistryError('invalid', 'rules: expected an object');
  const parsed = parsePatientRuleConfig(rules);
  if (!parsed.ok) throw new RegistryError('invalid', `rules: ${parsed.reason}`);
  return { conditionGroups: [...new Set(parsed.value.conditionGroups)], hypercapnic: parsed.value.hypercapnicRespiratoryFailure, timeZone: parsed.value.timeZone };
}

export async function insertPatient(db: SqlDb, patient: NewPatientWithRules): Promise<PatientRecord> {
  const id = parseField('id', LocalId, patient.id);
  const careTeamId = parseField('careTeamId', TopicId, patient.careTeamId);
  const displayName = parseField('displayName', DisplayName, patient.displayName);
  const d = derived(patient.rules);
  return db.transaction(async (tx) => {
    await requireRow(tx, 'care_teams', careTeamId, 'care team');
    const rows = await insertOnce(`patient ${id}`, () =>
      tx.query<PatientRow>(
        `INSERT INTO patients (id, care_team_id, display_name, rules, condition_groups, hypercapnic, time_zone)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7) RETURNING ${PATIENT_COLUMNS}`,
        [id, careTeamId, displayName, JSON.stringify(patient.rules), d.conditionGroups, d.hypercapnic, d.timeZone],
      ),
    );
    return patientRecord(rows[0] as PatientRow);
  });
}

/** The admin CLI's patient: the three clinical fields become the patient's first rule configuration. */
export async function createPatient(db: SqlDb, raw: CreatePatientInput): Promise<PatientRecord> {
  const input = parseInput(CreatePatientInput, raw);
  return insertPatient(db, {
    id: input.id,
    careTeamId: input.careTeamId,
    displayName: input.displayName,
    rules: { timeZone: input.timeZone, conditionGroups: [...new Set(input.conditionGroups)], hypercapnicRespiratoryFailure: input.hypercapnic },
  });
}

export async function getPatientRecord(db: SqlDb, patientId: string): Promise<PatientRecord | undefined> {
  const row = (await db.query<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = $1`, [patientId]))[0];
  return row && patientRecord(row);
}

/** undefined when there is no such patient. */
export async function updatePatient(db: SqlDb, patientId: string, changes: PatientChanges, now: Date): Promise<PatientRecord | undefined> {
  return db.transaction(async (tx) => {
    const current = (await tx.query<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = $1 FOR UPDATE`, [patientId]))[0];
    if (!current) return undefined;
    const careTeamId = changes.careTeamId === undefined ? current.care_team_id : parseField('careTeamId', TopicId, changes.careTeamId);
    const displayName = changes.displayName === undefined ? current.display_name : parseField('displayName', DisplayName, changes.displayName);
    const rules = changes.rules ?? current.rules;
    const d = derived(rules);
    if (careTeamId !== current.care_team_id) await requireRow(tx, 'care_teams', careTeamId, 'care team');
    const rows = await tx.query<PatientRow>(
      `UPDATE patients SET care_team_id = $2, display_name = $3, rules = $4::jsonb, condition_groups = $5, hypercapnic = $6, time_zone = $7, updated_at = $8
       WHERE id = $1 RETURNING ${PATIENT_COLUMNS}`,
      [patientId, careTeamId, displayName, JSON.stringify(rules), d.conditionGroups, d.hypercapnic, d.timeZone, now.toISOString()],
    );
    return patientRecord(rows[0] as PatientRow);
  });
}

/** Patients of these care teams, or all of them. */
export async function listPatients(db: SqlDb, careTeamIds: readonly string[] | 'all'): Promise<PatientRecord[]> {
  const rows =
    careTeamIds === 'all'
      ? await db.query<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients ORDER BY id`)
      : await db.query<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE care_team_id = ANY($1::text[]) ORDER BY id`, [[...careTeamIds]]);
  return rows.map(patientRecord);
}
