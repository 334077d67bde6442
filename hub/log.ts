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

export function createHubLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { part: 'hub' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination ?? process.stdout);
}

export type { Logger };
