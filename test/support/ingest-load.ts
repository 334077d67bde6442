/**
 * Load for ingest tests and the ingest benchmark: simulated gateways (registry seed with hashed
 * secrets, one assigned cuff each) and their reading batches, with ids and measurement times unique
 * per device so that every reading is its own InfluxDB point.
 */
import { hashSecret } from '../../hub/registry/secrets.js';
import type { RegistrySeed } from '../../hub/registry/memory-registry.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';

export interface SimGateway {
  readonly gatewayId: string;
  readonly secret: string;
  readonly deviceId: string;
  readonly patientId: string;
}

export function simGateways(count: number, prefix = 'load'): SimGateway[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return { gatewayId: `${prefix}-${n}`, secret: `gw_${prefix}-secret-${n}-0123456789abcdef0123`, deviceId: `sn-${prefix}-${n}`, patientId: `p-${prefix}-${n}` };
  });
}

export async function seedFor(gateways: readonly SimGateway[]): Promise<RegistrySeed> {
  return {
    gateways: await Promise.all(gateways.map(async (g) => ({ id: g.gatewayId, secretHash: await hashSecret(g.secret) }))),
    patients: gateways.map((g) => ({ id: g.patientId, careTeamId: 'team-load', displayName: `Load ${g.gatewayId}` })),
    assignments: gateways.map((g) => ({ deviceId: g.deviceId, patientId: g.patientId, from: '2020-01-01T00:00:00Z' })),
  };
}

/** Reading id of the i-th reading of a device in a run. */
export function readingId(runId: string, deviceId: string, i: number): string {
  return `r-${runId}-${deviceId}-${i}`;
}

/**
 * `messages` batches of `perMessage` blood-pressure readings for one gateway's cuff, measured one
 * second apart from `t0` (ms), as MQTT payloads.
 */
export function readingPayloads(runId: string, gateway: SimGateway, messages: number, perMessage: number, t0: number): string[] {
  const payloads: string[] = [];
  for (let m = 0; m < messages; m++) {
    const readings = [];
    for (let k = 0; k < perMessage; k++) {
      const i = m * perMessage + k;
      const at = new Date(t0 + i * 1000).toISOString();
      readings.push({
        id: readingId(runId, gateway.deviceId, i),
        kind: 'blood_pressure',
        device: { id: gateway.deviceId },
        components: [
          { name: 'systolic', code: '8480-6', value: 110 + (i % 50), unit: 'mm[Hg]' },
          { name: 'diastolic', code: '8462-4', value: 70 + (i % 20), unit: 'mm[Hg]' },
        ],
        measuredAt: at,
        receivedAt: at,
        timeSource: 'device',
      });
    }
    payloads.push(JSON.stringify({ v: 1, sentAt: new Date(t0).toISOString(), readings }));
  }
  return payloads;
}

/** Points and distinct reading ids per device in a measurement (InfluxQL COUNT, COUNT(DISTINCT)). */
export async function countsByDevice(influx: InfluxV1Client, measurement = 'blood_pressure'): Promise<Map<string, { points: number; distinctIds: number }>> {
  const [points, distinct] = await Promise.all([
    influx.query(`SELECT count("reading_id") FROM "${measurement}" GROUP BY "device"`),
    influx.query(`SELECT count(distinct("reading_id")) FROM "${measurement}" GROUP BY "device"`),
  ]);
  const out = new Map<string, { points: number; distinctIds: number }>();
  for (const s of points) out.set(s.tags?.device ?? '', { points: Number(s.values[0]?.[1] ?? 0), distinctIds: 0 });
  for (const s of distinct) {
    const entry = out.get(s.tags?.device ?? '');
    if (entry) entry.distinctIds = Number(s.values[0]?.[1] ?? 0);
  }
  return out;
}

export async function totalPoints(influx: InfluxV1Client, measurement = 'blood_pressure'): Promise<number> {
  const series = await influx.query(`SELECT count("reading_id") FROM "${measurement}"`);
  return Number(series[0]?.values[0]?.[1] ?? 0);
}
