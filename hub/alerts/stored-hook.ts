/**
 * The ingest -> alert engine hook: after a batch of points is confirmed by InfluxDB, the engine
 * hears which patients have new readings. The drainer deals in line protocol, so the patient ids
 * are read back from the `patient` tag (hub/storage/reading-points.ts); unassigned readings
 * (`_unassigned`) concern nobody.
 */
import { UNASSIGNED_PATIENT } from '../storage/reading-points.js';

export type OnStored = (patientIds: readonly string[]) => void;

// Line protocol: measurement[,tag=value...] fields timestamp; ',', '=' and ' ' in tags are escaped with '\'.
const PATIENT_TAG = /,patient=((?:\\.|[^,\\ ])+)/;

/** Distinct patient ids of the points in a line-protocol body, in order of first appearance. */
export function patientsInLines(body: string): string[] {
  const out = new Set<string>();
  for (const line of body.split('\n')) {
    const m = PATIENT_TAG.exec(line);
    if (!m?.[1]) continue;
    const id = m[1].replace(/\\(.)/g, '$1');
    if (id !== UNASSIGNED_PATIENT) out.add(id);
  }
  return [...out];
}

/** Wraps a line-protocol writer so that `onStored` hears about each confirmed write. */
export function notifyingWrite(write: (body: string | Buffer) => Promise<void>, onStored: OnStored | undefined): (body: string | Buffer) => Promise<void> {
  if (!onStored) return write;
  return async (body) => {
    await write(body);
    const patients = patientsInLines(typeof body === 'string' ? body : body.toString('utf8'));
    if (patients.length > 0) onStored(patients);
  };
}
