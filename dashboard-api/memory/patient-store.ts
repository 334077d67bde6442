/**
 * Patients held in memory: tests and the demo, until the SQL registry implements PatientStore.
 * Behaves like the SQL one: ids are unique, records are copies (callers cannot mutate the store).
 */
import type { PatientSummary } from '../../hub/registry/registry.js';
import { PatientExistsError, type NewPatient, type PatientChanges, type PatientRecord, type PatientStore } from '../services.js';

export class MemoryPatientStore implements PatientStore {
  private readonly patients = new Map<string, PatientRecord>();

  constructor(
    seed: readonly (PatientSummary & { rules?: Record<string, unknown> })[] = [],
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const p of seed) {
      const at = this.now().toISOString();
      this.patients.set(p.id, { id: p.id, careTeamId: p.careTeamId, displayName: p.displayName, rules: p.rules ?? {}, createdAt: at, updatedAt: at });
    }
  }

  async getPatient(patientId: string): Promise<PatientSummary | undefined> {
    const p = this.patients.get(patientId);
    return p && { id: p.id, careTeamId: p.careTeamId, displayName: p.displayName };
  }

  async listPatients(careTeamIds: readonly string[] | 'all'): Promise<PatientSummary[]> {
    return [...this.patients.values()]
      .filter((p) => careTeamIds === 'all' || careTeamIds.includes(p.careTeamId))
      .map((p) => ({ id: p.id, careTeamId: p.careTeamId, displayName: p.displayName }));
  }

  /** Without a care team table, a team exists here while some patient belongs to it. */
  async careTeamExists(careTeamId: string): Promise<boolean> {
    for (const p of this.patients.values()) if (p.careTeamId === careTeamId) return true;
    return false;
  }

  async getPatientRecord(patientId: string): Promise<PatientRecord | undefined> {
    const p = this.patients.get(patientId);
    return p && structuredClone(p);
  }

  async createPatient(patient: NewPatient): Promise<PatientRecord> {
    if (this.patients.has(patient.id)) throw new PatientExistsError(patient.id);
    const at = this.now().toISOString();
    const record: PatientRecord = { ...structuredClone(patient), createdAt: at, updatedAt: at };
    this.patients.set(patient.id, record);
    return structuredClone(record);
  }

  async updatePatient(patientId: string, changes: PatientChanges): Promise<PatientRecord | undefined> {
    const current = this.patients.get(patientId);
    if (!current) return undefined;
    const next: PatientRecord = {
      ...current,
      ...(changes.careTeamId !== undefined && { careTeamId: changes.careTeamId }),
      ...(changes.displayName !== undefined && { displayName: changes.displayName }),
      ...(changes.rules !== undefined && { rules: structuredClone(changes.rules) }),
      updatedAt: this.now().toISOString(),
    };
    this.patients.set(patientId, next);
    return structuredClone(next);
  }
}
