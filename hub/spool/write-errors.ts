/**
 * What a failed InfluxDB write means for the drainer, pure. Only a 400 blames the points themselves
 * (bad line protocol, a field type conflict); everything else is about InfluxDB or the path to it, so
 * the batch is kept and retried: dead-lettering readings because a password was wrong would be loss.
 */
import { InfluxError } from '../storage/influx-v1.js';
import { backoffMs } from '../../contract/backoff.js';

/** Label values of the rpm_influx_write_errors_total metric. */
export type WriteErrorKind = 'unreachable' | 'server_error' | 'throttled' | 'bad_request' | 'too_large' | 'auth' | 'not_found' | 'other';

export interface WriteFailure {
  readonly kind: WriteErrorKind;
  /** retry: keep the batch and try again after a backoff; reject: the points are at fault; split: send it in halves. */
  readonly action: 'retry' | 'reject' | 'split';
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
}

export function classifyWriteError(err: unknown): WriteFailure {
  if (!(err instanceof InfluxError)) return { kind: 'other', action: 'retry', status: undefined, retryAfterMs: undefined };
  const { status, retryAfterMs } = err;
  const base = { status, retryAfterMs };
  if (status === undefined) return { kind: 'unreachable', action: 'retry', ...base };
  // InfluxDB 1.x /write: 400 = unparsable points or a field type conflict (partial write).
  if (status === 400) return { kind: 'bad_request', action: 'reject', ...base };
  if (status === 413) return { kind: 'too_large', action: 'split', ...base };
  if (status === 429) return { kind: 'throttled', action: 'retry', ...base };
  if (status === 401 || status === 403) return { kind: 'auth', action: 'retry', ...base };
  if (status === 404) return { kind: 'not_found', action: 'retry', ...base };
  if (status >= 500) return { kind: 'server_error', action: 'retry', ...base };
  return { kind: 'other', action: 'retry', ...base };
}

/**
 * InfluxDB's 400 message quotes the offending line (`unable to parse '<line>': reason`), and a line
 * carries the patient tag: keep only the reason, for dead letters an admin reads beside the point.
 */
export function reasonWithoutPoint(message: string): string {
  const quoted = message.indexOf("unable to parse '");
  if (quoted < 0) return message.slice(0, 300);
  const close = message.lastIndexOf("': ");
  const why = close > quoted ? message.slice(close + 3) : 'unparsable point';
  return `${message.slice(0, quoted)}unable to parse the point: ${why}`.slice(0, 300);
}

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** Longest wait a server's Retry-After may impose: beyond it we probe anyway. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so that hubs restarted together
 * do not retry in lock-step, and never sooner than the server's Retry-After (429/503).
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number, retryAfterMs?: number): number {
  const jittered = backoffMs(attempt, { ...policy, jitter: { kind: 'equal' } }, random);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}
