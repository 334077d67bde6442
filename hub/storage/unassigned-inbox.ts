/**
 * The unassigned-readings inbox: readings stored with the patient tag `_unassigned` because their
 * device was not assigned to anyone at the measurement time, summarised per device and gateway
 * so that an admin can see what is waiting and assign it (quarantine.ts moves them).
 */
import { CATALOGUE, VITAL_KINDS, type VitalKind } from '../../contract/index.js';
import { META_FIELDS, UNASSIGNED_PATIENT } from './reading-points.js';
import { quoteIdent, type InfluxSeries, type InfluxV1Client } from './influx-v1.js';

export interface UnassignedDevice {
  readonly deviceId: string;
  readonly gatewayId: string;
  readonly kinds: readonly VitalKind[];
  readonly count: number;
  readonly firstMeasuredAt: string;
  readonly lastMeasuredAt: string;
}

interface Acc {
  deviceId: string;
  gatewayId: string;
  kinds: Set<VitalKind>;
  count: number;
  first: number;
  last: number;
}

/** Devices with readings waiting, the most recently measuring first. */
export async function listUnassignedDevices(influx: InfluxV1Client): Promise<UnassignedDevice[]> {
  const measurements = VITAL_KINDS.map((k) => quoteIdent(CATALOGUE[k].measurement)).join(', ');
  const kindOf = new Map(VITAL_KINDS.map((k) => [CATALOGUE[k].measurement, k]));
  const field = quoteIdent(META_FIELDS.id); // every reading point has reading_id
  const q = (fn: string) =>
    influx.query(`SELECT ${fn}(${field}) FROM ${measurements} WHERE "patient" = $patient GROUP BY "device", "gateway"`, { patient: UNASSIGNED_PATIENT });
  // Three queries: beside count(), first()/last() would not return their times.
  const [counts, firsts, lasts] = await Promise.all([q('COUNT'), q('FIRST'), q('LAST')]);
  const acc = new Map<string, Acc>();
  const entry = (s: InfluxSeries): Acc | undefined => {
    const deviceId = s.tags?.device;
    const gatewayId = s.tags?.gateway;
    const kind = kindOf.get(s.name);
    if (!deviceId || !gatewayId || !kind) return undefined;
    const key = `${deviceId}\u0000${gatewayId}`;
    let a = acc.get(key);
    if (!a) {
      a = { deviceId, gatewayId, kinds: new Set(), count: 0, first: Infinity, last: -Infinity };
      acc.set(key, a);
    }
    a.kinds.add(kind);
    return a;
  };
  for (const s of counts) {
    const a = entry(s);
    const n = s.values[0]?.[1];
    if (a && typeof n === 'number') a.count += n;
  }
  for (const s of firsts) {
    const a = entry(s);
    const t = Number(s.values[0]?.[0]);
    if (a && Number.isFinite(t)) a.first = Math.min(a.first, t);
  }
  for (const s of lasts) {
    const a = entry(s);
    const t = Number(s.values[0]?.[0]);
    if (a && Number.isFinite(t)) a.last = Math.max(a.last, t);
  }
  return [...acc.values()]
    .filter((a) => a.count > 0 && Number.isFinite(a.first) && Number.isFinite(a.last))
    .map((a) => ({
      deviceId: a.deviceId,
      gatewayId: a.gatewayId,
      kinds: VITAL_KINDS.filter((k) => a.kinds.has(k)),
      count: a.count,
      firstMeasuredAt: new Date(a.first).toISOString(),
      lastMeasuredAt: new Date(a.last).toISOString(),
    }))
    .sort((x, y) => Date.parse(y.lastMeasuredAt) - Date.parse(x.lastMeasuredAt) || x.deviceId.localeCompare(y.deviceId));
}
