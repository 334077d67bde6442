/**
 * `rpm-gateway decode <characteristic> <hex>`: what a device's bytes say, field by field in the device's
 * own units, and the contract readings the gateway would make of them.
 *
 * The CLI has no connection, so readings carry the placeholder device `mac-unknown` (a real session uses
 * the System ID, serial number or BLE address), are received "now" (or `ctx.now`) and convert device
 * local time with `ctx.timeZone` (default UTC). Clock-suspect and late thresholds are the gateway's
 * defaults (300 s and 1800 s, gateway/config.ts).
 */
import type { Reading } from '../../contract/index.js';
import { shortUuid } from '../ble/adapter.js';
import type { ReadingContext } from '../readings/from-blood-pressure.js';
import { formatLocal, type LocalDateTime } from './date-time.js';
import { assertTimeZone } from '../time/zoned-time.js';
import { DESCRIBERS } from './describe-table.js';
import { parseHex } from './hex.js';
import { decodeFloat, decodeSfloat } from './ieee11073.js';

export interface DescribeContext {
  readonly timeZone?: string;
  readonly now?: Date;
}

export interface Described {
  readonly characteristic: string;
  readonly fields: Record<string, unknown>;
  readonly readings: Reading[];
}

export type DescribeResult = { readonly ok: true; readonly output: Described } | { readonly ok: false; readonly reason: string };

export const PLACEHOLDER_DEVICE_ID = 'mac-unknown';

function isLocalDateTime(v: object): v is LocalDateTime {
  const keys = Object.keys(v);
  return keys.length === 6 && ['year', 'month', 'day', 'hours', 'minutes', 'seconds'].every((k) => typeof (v as Record<string, unknown>)[k] === 'number');
}

/** Decoded value -> JSON-friendly fields: device times as `YYYY-MM-DDTHH:mm:ss`, everything else as decoded. */
export function toFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toFields);
  if (value !== null && typeof value === 'object') {
    if (isLocalDateTime(value)) return formatLocal(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toFields(v)]));
  }
  return value;
}

function describeBare(kind: 'sfloat' | 'float', bytes: Uint8Array): DescribeResult {
  const size = kind === 'sfloat' ? 2 : 4;
  if (bytes.length !== size) return { ok: false, reason: `${kind} needs exactly ${size} bytes (little-endian), got ${bytes.length}` };
  const raw = Buffer.from(bytes).readUIntLE(0, size);
  const value = kind === 'sfloat' ? decodeSfloat(raw) : decodeFloat(raw);
  const exponent = kind === 'sfloat' ? ((raw >> 12) << 28) >> 28 : (raw >>> 24) << 24 >> 24;
  const mantissaBits = kind === 'sfloat' ? raw & 0x0fff : raw & 0xffffff;
  const mantissa = kind === 'sfloat' ? (mantissaBits << 20) >> 20 : (mantissaBits << 8) >> 8;
  return { ok: true, output: { characteristic: kind, fields: { value, mantissa, exponent, raw: `0x${raw.toString(16).padStart(size * 2, '0')}` }, readings: [] } };
}

export function describeCharacteristic(characteristicArg: string, hex: string, ctx: DescribeContext = {}): DescribeResult {
  const parsed = parseHex(hex);
  if (!parsed.ok) return parsed;
  const arg = characteristicArg.trim().toLowerCase();
  if (arg === 'sfloat' || arg === 'float') return describeBare(arg, parsed.value);

  const uuid = shortUuid(arg);
  if (!uuid) return { ok: false, reason: `unknown characteristic "${characteristicArg}": give a 16-bit UUID like 2a35, its 128-bit form, sfloat or float` };
  const describer = DESCRIBERS[uuid];
  if (!describer) {
    return { ok: false, reason: `no decoder for characteristic 0x${uuid} (known: ${Object.keys(DESCRIBERS).sort().join(', ')}, sfloat, float)` };
  }
  const timeZone = ctx.timeZone ?? 'UTC';
  try {
    assertTimeZone(timeZone);
  } catch {
    return { ok: false, reason: `unknown time zone "${timeZone}" (expected an IANA name like Europe/Copenhagen)` };
  }
  const decoded = describer.decode(parsed.value);
  if (!decoded.ok) return { ok: false, reason: `${describer.name} (0x${uuid}): ${decoded.reason}` };

  const fields = toFields(decoded.value) as Record<string, unknown>;
  const units = describer.units && Object.fromEntries(Object.entries(describer.units).filter(([field]) => field in fields));
  const readingContext: ReadingContext = {
    device: { id: PLACEHOLDER_DEVICE_ID },
    raw: parsed.value,
    receivedAt: ctx.now ?? new Date(),
    timeZone,
    clockSuspectAfterS: 300,
    lateAfterS: 1800,
  };
  const readings = describer.readings ? describer.readings(decoded.value, readingContext) : [];
  return {
    ok: true,
    output: { characteristic: `${describer.name} (0x${uuid})`, fields: { ...fields, ...(units && Object.keys(units).length > 0 && { units }) }, readings },
  };
}
