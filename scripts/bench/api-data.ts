/**
 * Benchmark data for the API: P patients × D days of readings of four kinds, six a day each
 * (blood pressure, SpO2, heart rate, weight), ending now, written through the hub's own point
 * mapping in 5,000-point batches with four writes in flight. Values are deterministic.
 */
import type { Reading, VitalKind } from '../../contract/index.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { toLineProtocol } from '../../hub/storage/reading-points.js';

export const BENCH_KINDS: readonly VitalKind[] = ['blood_pressure', 'spo2', 'heart_rate', 'body_weight'];
/** UTC hours of the six daily measurements. */
const HOURS = [6, 8, 11, 14, 17, 20];
const BATCH = 5_000;
const IN_FLIGHT = 4;
const DAY = 86_400_000;

export const patientId = (i: number) => `p-${String(i).padStart(5, '0')}`;
export const teamOf = (i: number) => `team-${String(Math.floor(i / 200)).padStart(2, '0')}`;

/** A small deterministic hash in [0, 1) so runs load identical data. */
function noise(a: number, b: number, c: number): number {
  let h = (a * 374761393 + b * 668265263 + c * 2147483647) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function components(kind: VitalKind, p: number, t: number): Reading['components'] {
  const n = noise(p, t, kind.length);
  switch (kind) {
    case 'blood_pressure':
      return [
        { name: 'systolic', code: '8480-6', value: Math.round(115 + (p % 30) + n * 25), unit: 'mm[Hg]' },
        { name: 'diastolic', code: '8462-4', value: Math.round(70 + (p % 15) + n * 12), unit: 'mm[Hg]' },
      ];
    case 'spo2':
      return [{ name: 'spo2', code: '59408-5', value: Math.round(91 + n * 8), unit: '%' }];
    case 'heart_rate':
      return [{ name: 'heartRate', code: '8867-4', value: Math.round(58 + n * 35), unit: '/min' }];
    default:
      return [{ name: 'weight', code: '29463-7', value: Math.round((60 + (p % 40) + n * 1.5) * 10) / 10, unit: 'kg' }];
  }
}

export interface LoadResult {
  readonly points: number;
  readonly ms: number;
}

export async function loadBenchData(influx: InfluxV1Client, patients: number, days: number, end: Date, progress: (done: number, total: number) => void): Promise<LoadResult> {
  const total = patients * days * BENCH_KINDS.length * HOURS.length;
  const firstDay = Math.floor(end.getTime() / DAY) - days;
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  let batch: string[] = [];
  let written = 0;
  const flush = async () => {
    const lines = batch;
    batch = [];
    const write = influx.write(lines).then(() => {
      written += lines.length;
      inFlight.delete(write);
      if (written % (BATCH * 40) < BATCH) progress(written, total);
    });
    inFlight.add(write);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  };
  for (let p = 0; p < patients; p++) {
    const patient = patientId(p);
    const device = `sn-BENCH-${String(p).padStart(5, '0')}`;
    const gatewayId = `home-${String(p).padStart(5, '0')}`;
    for (let d = 0; d < days; d++) {
      for (const hour of HOURS) {
        for (const kind of BENCH_KINDS) {
          const t = (firstDay + d) * DAY + hour * 3_600_000 + Math.floor(noise(p, d, hour) * 1_800_000);
          if (t > end.getTime()) continue;
          const at = new Date(t).toISOString();
          const reading: Reading = {
            id: `b-${p}-${kind}-${t}`,
            kind,
            device: { id: device },
            components: components(kind, p, t),
            measuredAt: at,
            receivedAt: at,
            timeSource: 'device',
            clockSuspect: false,
            late: false,
          };
          batch.push(toLineProtocol({ reading, gatewayId, patientId: patient, implausible: false }));
          if (batch.length >= BATCH) await flush();
        }
      }
    }
  }
  if (batch.length > 0) await flush();
  await Promise.all(inFlight);
  progress(written, total);
  return { points: written, ms: Date.now() - started };
}
