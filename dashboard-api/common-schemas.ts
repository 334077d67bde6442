/** Schemas shared by several resources: ids, instants, time ranges. */
import { z } from 'zod';

/** Patient ids as the registry allows them; never starting with '_', so they cannot collide with the `_unassigned` tag in InfluxDB. */
export const PatientId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a patient id (1-64 characters of A-Z a-z 0-9 . _ -)');

export const PatientParams = z.object({ patientId: PatientId });

/** Other ids (care teams, devices, gateways): the contract's Identifier. */
export const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'expected 1-128 characters of A-Z a-z 0-9 _ . : -');

/** ISO 8601 with a zone offset or Z, on the way in. */
export const InstantIn = z.iso.datetime({ offset: true });

/** ISO 8601 UTC, on the way out. */
export const InstantOut = z.string().describe('ISO 8601 UTC instant');

export const DAY_MS = 86_400_000;

/** `from`/`to` of a query, with defaults, as Dates; refuses an empty or inverted range. */
export function timeRange(query: { from?: string | undefined; to?: string | undefined }, defaultWindowMs: number, now = new Date()): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - defaultWindowMs);
  return { from, to };
}

/** Cross-field check for query schemas with from/to. */
export const fromBeforeTo: [(q: { from?: string | undefined; to?: string | undefined }) => boolean, { message: string; path: string[] }] = [
  (q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to),
  { message: 'from must be before to', path: ['from'] },
];
