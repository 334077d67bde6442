/**
 * NEWS2 with observations entered by people, on real storage (InfluxDB, PGlite) and the real alert
 * engine with a manual clock: a nurse's respiration rate, ACVPU and oxygen entry complete the
 * device's SpO2, pulse, blood pressure and temperature into a full NEWS2 that alerts as RCP Chart 2
 * says; once the entries are older than their freshness window they no longer count.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE, type Reading, type VitalKind } from '../../contract/index.js';
import { SimClock } from '../../firmware-sim/scenario-runner.js';
import { createAlertService, type AlertService } from '../../hub/alerts/alert-service.js';
import { GatewayStateStore } from '../../hub/ingest/gateway-state.js';
import { influxObservationStore, type ObservationStore } from '../../hub/observations/observation-store.js';
import type { EnteredObservation, ObservationValue } from '../../hub/observations/observation-points.js';
import type { PatientSummary } from '../../hub/registry/registry.js';
import type { PgliteDb } from '../../hub/sql/pglite-db.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { toLineProtocol } from '../../hub/storage/reading-points.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { freshPglite } from '../support/sql-fixture.js';

const PATIENT: PatientSummary = { id: 'p-news2-1', careTeamId: 'team-north', displayName: 'Room Resident' };
const T0 = new Date('2026-02-10T09:00:00Z');
const MIN = 60_000;

let clock: SimClock;
let influx: InfluxV1Client;
let db: PgliteDb;
let alerts: AlertService;
let observations: ObservationStore;
let seq = 0;

async function settle(): Promise<void> {
  alerts.engine.onStored([PATIENT.id]);
  await alerts.settled();
  await alerts.engine.tick();
  await alerts.settled();
}

async function measure(kind: VitalKind, values: Record<string, number>): Promise<void> {
  const reading: Reading = {
    id: `r-news2-${++seq}`,
    kind,
    device: { id: 'sn-room-1' },
    components: Object.entries(values).map(([name, value]) => {
      const c = CATALOGUE[kind].components.find((x) => x.name === name)!;
      return { name, code: c.loinc, value, unit: c.unit };
    }),
    measuredAt: clock.now().toISOString(),
    receivedAt: clock.now().toISOString(),
    timeSource: 'device',
    clockSuspect: false,
    late: false,
  };
  await influx.write([toLineProtocol({ reading, gatewayId: 'room-1', patientId: PATIENT.id, implausible: false })]);
}

async function enter(...values: ObservationValue[]): Promise<EnteredObservation[]> {
  const entered = values.map((value) => ({
    id: `obs-news2-${++seq}`,
    entryId: 'ent-news2',
    patientId: PATIENT.id,
    value,
    observedAt: clock.now(),
    enteredAt: clock.now(),
    enteredBy: 'u-nurse',
    role: 'clinician' as const,
    supersedes: [],
    revision: 0,
  }));
  await observations.record(entered, []);
  return entered;
}

async function news2Alert() {
  const list = await alerts.store.list({ careTeamIds: 'all', limit: 50 });
  return list.find((a) => a.ruleId === 'news2');
}

beforeAll(async () => {
  clock = new SimClock(T0);
  influx = await freshInfluxDatabase('news2');
  db = await freshPglite();
  observations = influxObservationStore(influx);
  alerts = createAlertService({
    db,
    influx,
    maxEvaluationsPerSecond: 100_000,
    patients: { getPatient: async (id) => (id === PATIENT.id ? PATIENT : undefined), listPatients: async () => [PATIENT] },
    gateways: new GatewayStateStore(),
    log: pino({ level: 'silent' }),
    now: clock.now,
  });
});

afterAll(async () => {
  await alerts.stop();
  await db.close();
});

describe('NEWS2 with entered observations', () => {
  it('device SpO2 and pulse alone: an incomplete score that names what is missing', async () => {
    await measure('spo2', { spo2: 96 });
    await measure('heart_rate', { heartRate: 95 });
    await measure('blood_pressure', { systolic: 124, diastolic: 78 });
    await measure('body_temperature', { temperature: 37.0 });
    await settle();
    // 1 (pulse 91-110): below every trigger, so no alert, and the engine's snapshot says incomplete.
    expect(await news2Alert()).toBeUndefined();
    const facts = (await alerts.config.patientFacts([PATIENT.id])).get(PATIENT.id);
    expect(facts?.news2).toMatchObject({ total: 1, missing: ['respirationRate', 'airOrOxygen', 'consciousness'] });
  });

  it('entered respiration 25, consciousness V and oxygen: complete NEWS2 9, high risk, an urgent alert (RCP Chart 2)', async () => {
    clock.set(new Date(T0.getTime() + 10 * MIN));
    const entered = await enter({ kind: 'respiratory_rate', components: { respiratoryRate: 25 } }, { kind: 'consciousness', acvpu: 'V' }, { kind: 'supplemental_oxygen', onOxygen: true, oxygenFlow: 2 });
    await settle();
    const alert = await news2Alert();
    // RR 25 -> 3, V -> 3, oxygen -> 2, pulse 95 -> 1, SpO2 96 on oxygen (scale 1) -> 0, systolic 124 -> 0, 37.0 °C -> 0.
    expect(alert).toMatchObject({ state: 'open', severity: 'urgent' });
    expect(alert!.summary).toBe('NEWS2 9 (high risk; scale 1; 3 in respiration rate, consciousness; entered by staff: respiration rate, air/oxygen, consciousness)');
    expect(alert!.evidence.values).toMatchObject({
      total: 9,
      complete: true,
      missing: null,
      'score.respirationRate': 3,
      'score.consciousness': 3,
      'score.airOrOxygen': 2,
      enteredByStaff: 'respirationRate,airOrOxygen,consciousness',
      fromDevices: 'spo2,systolicBP,pulse,temperature',
    });
    expect(alert!.evidence.readingIds).toEqual(expect.arrayContaining(entered.map((e) => e.id)));
    const facts = (await alerts.config.patientFacts([PATIENT.id])).get(PATIENT.id);
    expect(facts?.news2).toMatchObject({ total: 9, missing: [] });
  });

  it('the same entries past their 4-hour window no longer count: fresh device readings give an incomplete score and the alert resolves', async () => {
    clock.set(new Date(T0.getTime() + (4 * 60 + 20) * MIN));
    await measure('spo2', { spo2: 96 });
    await measure('heart_rate', { heartRate: 95 });
    await measure('blood_pressure', { systolic: 124, diastolic: 78 });
    await measure('body_temperature', { temperature: 37.0 });
    await settle();
    const alert = await news2Alert();
    expect(alert).toMatchObject({ state: 'resolved' });
    const facts = (await alerts.config.patientFacts([PATIENT.id])).get(PATIENT.id);
    // Oxygen and ACVPU are not read past their window at all (missing); the entered respiration rate
    // is still among the readings the other rules need, so it is listed as stale, after them.
    expect(facts?.news2).toMatchObject({ total: 1, missing: ['airOrOxygen', 'consciousness', 'respirationRate'] });
  });

  it('a corrected entry no longer counts: the correction does', async () => {
    clock.set(new Date(T0.getTime() + (5 * 60) * MIN));
    const [wrong] = await enter({ kind: 'consciousness', acvpu: 'U' });
    await settle();
    expect((await news2Alert())?.state).toBe('open');
    // The nurse mistyped: it was A. The correction supersedes the U.
    const [target] = await observations.find(PATIENT.id, [wrong!.id]);
    const fixed: EnteredObservation = { ...wrong!, id: 'obs-news2-fix', value: { kind: 'consciousness', acvpu: 'A' }, supersedes: [wrong!.id], revision: 1 };
    await observations.record([fixed], [{ target: target!, by: fixed.id }]);
    await settle();
    const alert = await news2Alert();
    expect(alert?.state).toBe('resolved');
  });
});
