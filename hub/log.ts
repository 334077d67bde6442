import { pino, type Logger } from 'pino';

/**
 * The hub's logger. Patient identifiers, reading values, tokens and secrets never reach the log:
 * they are redacted by path, and code logs ids of gateways and devices, not of patients.
 */
export const REDACT_PATHS = [
  'password',
  'secret',
  'token',
  'authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'patientId',
  '*.patientId',
  'patient',
  '*.patient',
  'reading',
  'readings',
  '*.readings',
  'payload',
  '*.payload',
];

/**
 * Patient data can hide inside an error's text, where redaction by path does not reach: PostgreSQL's
 * "Key (patient_id)=(p-17) already exists", a message naming "patient p-17", a personal identity
 * number (Danish CPR ddmmyy-xxxx, Swedish personnummer [yy]yymmdd-xxxx). These are scrubbed from
 * messages and stacks; the stack's frames (file:line) stay, which is what an operator needs.
 */
const SCRUBS: readonly [RegExp, string][] = [
  [/\b(Key \([^)]*\))=\([^)]*\)/g, '$1=([redacted])'],
  [/\b(patient(?:[_ ]?id)?|patientId)(\s*[=:]?\s*)(["'`]?)[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}\3/gi, '$1$2[redacted]'],
  [/\b\d{6}-?\d{4}\b|\b\d{8}-?\d{4}\b/g, '[redacted]'],
];

export function scrubPatientData(text: string): string {
  return SCRUBS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

/**
 * pino's error serializer (type, message, stack, cause chain, own fields) with patient data scrubbed
 * from every string in it. A plain string under `err` (older call sites log `err.message`) is scrubbed too.
 */
export function serializeError(err: unknown): unknown {
  if (typeof err === 'string') return scrubPatientData(err);
  if (!(err instanceof Error)) return err;
  return scrubDeep(pino.stdSerializers.err(err));
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubPatientData(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, REDACTED_KEYS.has(k) ? '[redacted]' : scrubDeep(v, depth + 1)]));
}

/** Own fields of an error that hold patient data outright (pg's `detail` is scrubbed, not dropped). */
const REDACTED_KEYS = new Set(['patientId', 'patient', 'reading', 'readings', 'payload', 'parameters']);

export function createHubLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { part: 'hub' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
    },
    destination ?? process.stdout,
  );
}

export type { Logger };
