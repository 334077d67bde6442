/** PatientStore over the SQL registry's patient table (hub/registry/sql-patients.ts). */
import type { PatientRecord as RegistryPatientRecord } from '../../hub/registry/registry-admin.js';
import { RegistryError } from '../../hub/registry/registry-admin.js';
import { getPatientRecord, insertPatient, listPatients, updatePatient } from '../../hub/registry/sql-patients.js';
import type { SqlDb } from '../../hub/sql/sql-db.js';
import { PatientExistsError, type PatientRecord, type PatientStore } from '../../dashboard-api/services.js';

function record(r: RegistryPatientRecord): PatientRecord {
  return {
    id: r.id,
    careTeamId: r.careTeamId,
    displayName: r.displayName,
    conditionGroups: r.conditionGroups,
    timeZone: r.timeZone,
    rules: r.rules,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function sqlPatientStore(db: SqlDb, now: () => Date = () => new Date()): PatientStore {
  return {
    async getPatient(patientId) {
      const r = await getPatientRecord(db, patientId);
      // The zone too: trends bucket a patient's readings by their local days.
      return r && { id: r.id, careTeamId: r.careTeamId, displayName: r.displayName, timeZone: r.timeZone };
    },
    async listPatients(careTeamIds) {
      if (careTeamIds === 'all') {
        return (await listPatients(db, 'all')).map((r) => ({ id: r.id, careTeamId: r.careTeamId, displayName: r.displayName, conditionGroups: r.conditionGroups, timeZone: r.timeZone }));
      }
      if (careTeamIds.length === 0) return [];
      // The worklist's hot path: only the columns it shows (the registry's listPatients also
      // parses every patient's rules, about three times the cost for a 200-patient team on PGlite).
      const rows = await db.query<{ id: string; care_team_id: string; display_name: string; condition_groups: string[]; time_zone: string }>(
        'SELECT id, care_team_id, display_name, condition_groups, time_zone FROM patients WHERE care_team_id = ANY($1::text[])',
        [[...careTeamIds]],
      );
      return rows.map((r) => ({ id: r.id, careTeamId: r.care_team_id, displayName: r.display_name, conditionGroups: r.condition_groups, timeZone: r.time_zone }));
    },
    async careTeamExists(careTeamId) {
      return (await db.query('SELECT 1 FROM care_teams WHERE id = $1', [careTeamId])).length > 0;
    },
    async getPatientRecord(patientId) {
      const r = await getPatientRecord(db, patientId);
      return r && record(r);
    },
    async createPatient(patient) {
      try {
        return record(await insertPatient(db, patient));
      } catch (err) {
        if (err instanceof RegistryError && err.code === 'duplicate') throw new PatientExistsError(patient.id);
        throw err;
      }
    },
    async updatePatient(patientId, changes) {
      const r = await updatePatient(db, patientId, changes, now());
      return r && record(r);
    },
  };
}
