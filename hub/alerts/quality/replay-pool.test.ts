import { afterAll, describe, expect, it } from 'vitest';
import type { PatientReading } from '../patient-readings.js';
import { contextFromConfig } from '../patient-step.js';
import type { PatientContext } from '../rules/index.js';
import { prepareReadings, replayPatient } from './replay.js';
import { ReplayPool, ReplayTimeout } from './replay-pool.js';

const DAY = 86_400_000;
const FROM = new Date('2026-03-20T00:00:00Z');
const TO = new Date(FROM.getTime() + 14 * DAY);
const TICK = 240 * 60_000;

/** Two weeks (plus 16 days of history) of morning and evening blood pressure; one patient's rises. */
function month(p: number): PatientReading[] {
  const out: PatientReading[] = [];
  for (let d = -16; d < 14; d++) {
    for (const [h, n] of [
      [7.5, 0],
      [18.25, 1],
    ] as const) {
      const at = new Date(FROM.getTime() + d * DAY + h * 3_600_000 + p * 60_000);
      const systolic = 130 + ((d * 7 + n * 13 + p * 5) % 25) + (p === 2 && d > 5 ? 40 : 0);
      out.push({ id: `r-${p}-${d}-${n}`, kind: 'blood_pressure', measuredAt: at, deviceId: `cuff-${p}`, gatewayId: `home-${p}`, components: [{ name: 'systolic', value: systolic }, { name: 'diastolic', value: 80 }], late: false, implausible: false });
      out.push({ id: `h-${p}-${d}-${n}`, kind: 'heart_rate', measuredAt: at, deviceId: `cuff-${p}`, gatewayId: `home-${p}`, components: [{ name: 'heartRate', value: 70 + (d % 9) }], late: false, implausible: false });
    }
  }
  return out;
}

const contexts = (p: number): PatientContext[] =>
  [{}, { thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 150, severity: 'medium' }] } }, schedules: [{ kind: 'blood_pressure', type: 'daily', by: '09:00' }] }].map((json) => {
    const parsed = contextFromConfig({ id: `p-${p}`, careTeamId: 't', displayName: `P ${p}` }, json);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.value;
  });

const pool = new ReplayPool(2);
afterAll(() => pool.close());

describe('the replay pool', () => {
  it('replays on worker threads exactly what replayPatient gives on this thread', async () => {
    const patients = [0, 1, 2, 3, 4];
    const replies = await Promise.all(
      patients.map((p) => pool.run({ patient: { id: `p-${p}`, careTeamId: 't' }, contexts: contexts(p), readings: month(p), from: FROM, to: TO, tickMs: TICK, deadline: Date.now() + 60_000 })),
    );
    for (const [i, p] of patients.entries()) {
      const prepared = prepareReadings(month(p));
      const here = contexts(p).map((c) => replayPatient({ id: `p-${p}`, careTeamId: 't' }, c, prepared, { from: FROM, to: TO, tickMs: TICK }));
      expect(replies[i]).toEqual(here);
    }
    // The data are not trivial: the rising patient alerts under the candidate.
    expect(replies[2]![1]!.some((a) => a.ruleId === 'threshold:blood_pressure.systolic')).toBe(true);
  }, 60_000);

  it('a replay past its deadline is rejected as a timeout, and the pool keeps working', async () => {
    const job = { patient: { id: 'p-0', careTeamId: 't' }, contexts: contexts(0), readings: month(0), from: FROM, to: TO, tickMs: 60_000, deadline: Date.now() - 1 };
    await expect(pool.run(job)).rejects.toBeInstanceOf(ReplayTimeout);
    await expect(pool.run({ ...job, tickMs: TICK, deadline: Date.now() + 60_000 })).resolves.toHaveLength(2);
  }, 60_000);
});
