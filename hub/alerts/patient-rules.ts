/**
 * Where a patient's rule configuration (PatientRuleConfig JSON) lives. The SQL registry keeps it in
 * its `patients.rules` column (written by the patients API and the admin CLI), so with it the engine
 * reads and writes there: one source of truth. Registries without such a column (the in-memory one
 * of the demo and tests) use the alert engine's own table alert_patient_rules (migration 021).
 */
import { getPatientRecord, updatePatient } from '../registry/sql-patients.js';
import type { SqlDb } from '../sql/sql-db.js';
import type { AlertConfigStore, StoredConfig } from './config-store.js';

export interface PatientRulesStore {
  rulesOf(patientId: string): Promise<StoredConfig | undefined>;
  /** Stores a configuration the caller has validated. */
  setRules(patientId: string, config: unknown, actor: string, at: Date): Promise<void>;
}

/** The alert engine's own table. */
export function alertTableRules(config: AlertConfigStore): PatientRulesStore {
  return {
    rulesOf: (patientId) => config.patientRules(patientId),
    setRules: (patientId, json, actor, at) => config.setPatientRules(patientId, json, actor, at),
  };
}

/** The SQL registry's patients.rules column (hub/registry/sql-patients.ts). */
export function registryRules(db: SqlDb): PatientRulesStore {
  return {
    async rulesOf(patientId) {
      const p = await getPatientRecord(db, patientId);
      // The registry keeps no author per change; its audit log does.
      return p && { config: p.rules, updatedAt: new Date(p.updatedAt), updatedBy: 'registry' };
    },
    async setRules(patientId, json, _actor, at) {
      const updated = await updatePatient(db, patientId, { rules: json as Record<string, unknown> }, at);
      if (!updated) throw new Error(`no patient ${patientId} in the registry`);
    },
  };
}
