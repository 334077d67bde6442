/**
 * Errors that cross from one part to another (the hub's stores to the dashboard API) are recognised
 * by a stable code they carry, not by their class: the API then needs no hub class to map them to
 * problems (DESIGN.md, "Layout"), and a class renamed or duplicated by a bundler cannot silently turn
 * a 409 into a 500. The hub's error classes set `partError`; `partErrorOf` reads it from anything.
 */
export const PART_ERROR_CODES = [
  /** The input names a field or record that is wrong (an unknown care team, a malformed id). */
  'invalid_input',
  /** The record exists already, or the change contradicts the stored state. */
  'conflict',
  /** The record does not exist (or the caller may not know that it does). */
  'not_found',
  /** A storage backend (InfluxDB) is unreachable or failing; retrying later may succeed. */
  'storage_unavailable',
  /** The audit log cannot take entries now: patient data must not be served. */
  'audit_unavailable',
] as const;
export type PartErrorCode = (typeof PART_ERROR_CODES)[number];

/** What an error that crosses parts carries. */
export interface PartError {
  readonly partError: PartErrorCode;
  /** For invalid_input: the input field at fault as the API names it (`body.until`), when known. */
  readonly partErrorField?: string;
}

/** The error's stable cross-part code, or undefined for an error that carries none. */
export function partErrorOf(err: unknown): PartErrorCode | undefined {
  if (typeof err !== 'object' || err === null || !('partError' in err)) return undefined;
  const code = (err).partError;
  return typeof code === 'string' && (PART_ERROR_CODES as readonly string[]).includes(code) ? (code as PartErrorCode) : undefined;
}

/** The input field an invalid_input error names, if it names one. */
export function partErrorFieldOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('partErrorField' in err)) return undefined;
  const field: unknown = err.partErrorField;
  return typeof field === 'string' ? field : undefined;
}
