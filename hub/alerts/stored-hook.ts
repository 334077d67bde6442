/**
 * The ingest -> alert engine hook: after a batch of points is confirmed by InfluxDB, the engine
 * hears which patients have new readings. The drainer deals in line protocol, so the patient ids
 * are read back from the `patient` tag (hub/storage/reading-points.ts); unassigned readings
 * (`_unassigned`) concern nobody.
 */
import { UNASSIGNED_PATIENT } from '../storage/reading-points.js';

export type OnStored = (patientIds: readonly string[]) => void;

// Line protocol: measurement[,tag=value...] fields timestamp; ',', '=' and ' ' in tags are escaped with '\'.
const PATIENT_TAG = Buffer.from(',patient=');
const NEWLINE = 0x0a;
const SPACE = 0x20;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;

/**
 * Distinct patient ids of the points in a line-protocol body, in order of first appearance. Reads
 * the bytes the drainer sent (a batch is up to 5,000 points, for every write while alerts are on)
 * without decoding the body into a string: only each line's tag section is looked at.
 */
export function patientsInLines(body: string | Buffer): string[] {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const out = new Set<string>();
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(NEWLINE, start);
    if (end < 0) end = buf.length;
    // The tags end at the first unescaped space.
    let tagsEnd = start;
    while (tagsEnd < end && !(buf[tagsEnd] === SPACE && buf[tagsEnd - 1] !== BACKSLASH)) tagsEnd++;
    // Searched within this line's tags only, so a line without the tag costs no scan of the rest.
    const found = buf.subarray(start, tagsEnd).indexOf(PATIENT_TAG);
    const at = start + found;
    if (found >= 0) {
      let valueEnd = at + PATIENT_TAG.length;
      while (valueEnd < tagsEnd && !(buf[valueEnd] === COMMA && buf[valueEnd - 1] !== BACKSLASH)) valueEnd++;
      const id = buf.toString('utf8', at + PATIENT_TAG.length, valueEnd).replace(/\\(.)/g, '$1');
      if (id && id !== UNASSIGNED_PATIENT) out.add(id);
    }
    start = end + 1;
  }
  return [...out];
}

/** Wraps a line-protocol writer so that `onStored` hears about each confirmed write. */
export function notifyingWrite(write: (body: string | Buffer) => Promise<void>, onStored: OnStored | undefined): (body: string | Buffer) => Promise<void> {
  if (!onStored) return write;
  return async (body) => {
    await write(body);
    const patients = patientsInLines(body);
    if (patients.length > 0) onStored(patients);
  };
}
