/**
 * An alert's summary as a structured message — a key and its parameters — so the web page can say
 * it in the user's language. The engine writes English `summary` text; everything a translation
 * needs is already in the alert (its rule id, evidence values and cause), so the message is derived
 * here on the way out and nothing new is stored. Rules without a key (none today, but a rule added
 * later) get no message and the page shows the English summary. Pure.
 */
import { componentSpec, isVitalKind } from '../../../contract/index.js';

export const MESSAGE_KEYS = [
  'threshold',
  'thresholdBackfilled',
  'news2',
  'missing',
  'gatewayOffline',
  'batteryLow',
  'clockDrift',
  'weightGain',
  'baseline',
  'implausible',
] as const;
export type MessageKey = (typeof MESSAGE_KEYS)[number];
export type MessageParam = string | number | boolean;

export interface AlertMessage {
  readonly key: MessageKey;
  readonly params: Readonly<Record<string, MessageParam>>;
}

export interface MessageSource {
  readonly ruleId: string;
  readonly evidence: { readonly values: Readonly<Record<string, string | number | boolean | null>> };
  readonly cause?: string;
  readonly deviceId?: string;
  readonly gatewayId?: string;
}

type Values = MessageSource['evidence']['values'];

/** `threshold:blood_pressure.systolic` → kind, component and the catalogue's UCUM unit. */
function component(key: string): { vital: string; component: string; unit: string } | undefined {
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const vital = key.slice(0, dot);
  const name = key.slice(dot + 1);
  if (!isVitalKind(vital)) return undefined;
  const spec = componentSpec(vital, name);
  return spec ? { vital, component: name, unit: spec.unit } : undefined;
}

/** Only the listed evidence values, and only those present (null and absent are left out). */
function pick(values: Values, names: readonly string[]): Record<string, MessageParam> {
  const out: Record<string, MessageParam> = {};
  for (const n of names) {
    const v = values[n];
    if (v !== null && v !== undefined) out[n] = v;
  }
  return out;
}

function has(values: Values, names: readonly string[]): boolean {
  return names.every((n) => typeof values[n] === 'number');
}

const message = (key: MessageKey, params: Record<string, MessageParam>): AlertMessage => ({ key, params });

export function alertMessage(a: MessageSource): AlertMessage | undefined {
  const v = a.evidence.values;
  const [rule, rest = '', extra] = a.ruleId.split(':');
  switch (rule) {
    case 'threshold': {
      const c = component(rest);
      if (!c) return undefined;
      if (extra === 'backfilled') return has(v, ['value', 'limit']) ? message('thresholdBackfilled', { ...c, ...pick(v, ['value', 'limit', 'wouldBe']) }) : undefined;
      if (extra !== undefined || !has(v, ['value', 'limit']) || typeof v.op !== 'string') return undefined;
      return message('threshold', { ...c, ...pick(v, ['value', 'op', 'limit', 'readings']), direction: v.op.startsWith('>') ? 'high' : 'low' });
    }
    case 'news2':
      return has(v, ['total']) ? message('news2', pick(v, ['total', 'risk', 'scale', 'complete', 'missing', 'redScore'])) : undefined;
    case 'missing':
      return isVitalKind(rest) ? message('missing', { vital: rest, ...pick(v, ['missed', 'dueAt', 'lastReadingAt']), ...(a.cause && { cause: a.cause }) }) : undefined;
    case 'gateway_offline':
      return message('gatewayOffline', { gatewayId: a.gatewayId ?? '', ...pick(v, ['since', 'reason']) });
    case 'battery_low':
      return has(v, ['batteryPercent']) ? message('batteryLow', { deviceId: a.deviceId ?? rest, ...pick(v, ['batteryPercent']) }) : undefined;
    case 'clock_drift':
      return has(v, ['clockOffsetS']) ? message('clockDrift', { deviceId: a.deviceId ?? rest, ...pick(v, ['clockOffsetS']), direction: (v.clockOffsetS as number) > 0 ? 'ahead' : 'behind' }) : undefined;
    case 'trend':
      return rest === 'weight_gain' && has(v, ['gainKg', 'fromKg', 'toKg', 'hours']) ? message('weightGain', pick(v, ['gainKg', 'fromKg', 'toKg', 'hours', 'limitKg', 'windowHours'])) : undefined;
    case 'baseline': {
      const c = component(rest);
      return c && has(v, ['value', 'median', 'deviation']) ? message('baseline', { ...c, ...pick(v, ['value', 'median', 'deviation', 'method', 'count']) }) : undefined;
    }
    case 'implausible':
      return isVitalKind(rest) && has(v, ['count']) ? message('implausible', { vital: rest, ...pick(v, ['count', 'component', 'value']) }) : undefined;
    default:
      return undefined;
  }
}
