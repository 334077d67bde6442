/**
 * The alert engine on real storage (InfluxDB, PGlite) with a manual clock and a real webhook
 * receiver: late readings never page, repeats deduplicate, a snooze holds and pages again when it
 * runs out, quiet hours hold non-urgent pages, and e-mail goes out over a real SMTP server.
 */
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUE, type Reading, type VitalKind } from '../../contract/index.js';
import { SimClock } from '../../firmware-sim/scenario-runner.js';
import { createAlertService, type AlertService } from '../../hub/alerts/alert-service.js';
import { influxPatientReadings } from '../../hub/alerts/patient-readings.js';
import type { TeamRoutingConfigInput } from '../../hub/alerts/routing-config.js';
import { GatewayStateStore } from '../../hub/ingest/gateway-state.js';
import type { PatientSummary } from '../../hub/registry/registry.js';
import type { PgliteDb } from '../../hub/sql/pglite-db.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { toLineProtocol } from '../../hub/storage/reading-points.js';
import { Receivers } from '../e2e/scenario-harness.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { freshPglite } from '../support/sql-fixture.js';

const PATIENT: PatientSummary = { id: 'p-eng-1', careTeamId: 'team-north', displayName: 'Engine Resident' };
const T0 = new Date('2026-01-06T08:00:00Z'); // 09:00 in Copenhagen
const MIN = 60_000;
let seq = 0;

interface World {
  clock: SimClock;
  influx: InfluxV1Client;
  db: PgliteDb;
  alerts: AlertService;
  receivers: Receivers;
  /** Writes readings, tells the engine, and waits until it and the outbox are done. */
  measure(kind: VitalKind, values: Record<string, number>, extra?: { late?: boolean; minutesAgo?: number }): Promise<void>;
  at(minutesAfterT0: number): Promise<void>;
}

async function world(routing: (r: Receivers) => TeamRoutingConfigInput, smtp?: { url: string }, minIntervalMs = 0): Promise<World & { evaluations: () => number }> {
  const clock = new SimClock(T0);
  const influx = await freshInfluxDatabase('eng');
  const db = await freshPglite();
  const receivers = new Receivers();
  await receivers.start();
  let evaluations = 0;
  const readings = influxPatientReadings(influx);
  const alerts = createAlertService({
    db,
    // Counts evaluations (each reads the patient's readings once).
    readings: {
      recent: (...args) => {
        evaluations++;
        return readings.recent(...args);
      },
      lastTimes: (...args) => readings.lastTimes(...args),
    },
    minIntervalMs,
    maxEvaluationsPerSecond: 100_000,
    patients: { getPatient: async (id) => (id === PATIENT.id ? PATIENT : undefined), listPatients: async () => [PATIENT] },
    gateways: new GatewayStateStore(),
    log: pino({ level: 'silent' }),
    now: clock.now,
    retry: { baseMs: 10_000, maxMs: 60_000, jitter: 0, maxAgeMs: 3600_000 },
    ...(smtp ? { smtp: { url: smtp.url, from: 'alerts@rpm.example.org' } } : {}),
  });
  await alerts.config.setTeamRouting(PATIENT.careTeamId, routing(receivers), 'u-admin', clock.now());
  const settle = async () => {
    await alerts.settled();
    await alerts.engine.tick();
    await alerts.outbox.drainDue();
    await alerts.settled();
  };
  return {
    evaluations: () => evaluations,
    clock,
    influx,
    db,
    alerts,
    receivers,
    async measure(kind, values, extra = {}) {
      const at = new Date(clock.now().getTime() - (extra.minutesAgo ?? 0) * MIN);
      const reading: Reading = {
        id: `r-eng-${++seq}`,
        kind,
        device: { id: 'sn-eng-1' },
        components: Object.entries(values).map(([name, value]) => {
          const c = CATALOGUE[kind].components.find((x) => x.name === name)!;
          return { name, code: c.loinc, value, unit: c.unit };
        }),
        measuredAt: at.toISOString(),
        receivedAt: clock.now().toISOString(),
        timeSource: 'device',
        clockSuspect: false,
        late: extra.late ?? false,
      };
      await influx.write([toLineProtocol({ reading, gatewayId: 'home-eng-1', patientId: PATIENT.id, implausible: false })]);
      alerts.engine.onStored([PATIENT.id]);
      await settle();
    },
    async at(minutes) {
      clock.set(new Date(T0.getTime() + minutes * MIN));
      await settle();
    },
  };
}

const nurseOnly = (r: Receivers): TeamRoutingConfigInput => ({
  tiers: [{ name: 'on-duty nurse', targets: [{ channel: 'webhook', url: r.url('nurse'), secret: 'whsec_engine-0123456789' }] }],
  repeatEveryMinutes: {},
  escalateAfterMinutes: {},
});

describe('alert engine on real storage', () => {
  let w: (World & { evaluations: () => number }) | undefined;
  afterEach(async () => {
    await w?.alerts.stop();
    await w?.receivers.stop();
    await w?.db.close();
    w = undefined;
  });

  it('a late reading from device memory is shown as backfilled and never pages; a current one does', async () => {
    w = await world(nurseOnly);
    await w.measure('blood_pressure', { systolic: 195, diastolic: 90 }, { late: true, minutesAgo: 600 });
    const alerts = await w.alerts.store.list({ careTeamIds: 'all', limit: 10 });
    expect(alerts.map((a) => [a.ruleId, a.severity, a.backfilled])).toEqual([['threshold:blood_pressure.systolic:backfilled', 'info', true]]);
    expect(w.receivers.pages).toEqual([]);
    await w.measure('blood_pressure', { systolic: 195, diastolic: 90 });
    expect(w.receivers.pages.map((p) => [p.body.alert.rule, p.body.reason])).toEqual([['threshold:blood_pressure.systolic', 'opened']]);
  });

  it('a patient flooded with readings is evaluated at most once a second, and the newest reading still counts', async () => {
    w = await world(nurseOnly, undefined, 1000);
    const before = w.evaluations();
    for (let i = 0; i < 20; i++) w.alerts.engine.onStored([PATIENT.id]);
    await w.measure('blood_pressure', { systolic: 185, diastolic: 90 });
    // The first at once, the rest coalesced into one evaluation a second later that saw the reading.
    expect(w.evaluations() - before).toBe(2);
    expect(w.receivers.pages.map((p) => p.body.alert.rule)).toEqual(['threshold:blood_pressure.systolic']);
  });

  it('repeats update one alert (count, last seen) and page once', async () => {
    w = await world(nurseOnly);
    await w.measure('blood_pressure', { systolic: 185, diastolic: 90 });
    await w.at(30);
    await w.measure('blood_pressure', { systolic: 186, diastolic: 90 });
    await w.at(60);
    await w.measure('blood_pressure', { systolic: 184, diastolic: 90 });
    const [alert] = await w.alerts.store.list({ careTeamIds: 'all', ruleId: 'threshold:blood_pressure.systolic', limit: 10 });
    expect(alert).toMatchObject({ occurrences: 3, lastSeenAt: new Date(T0.getTime() + 60 * MIN), revision: 1 });
    expect(w.receivers.pages).toHaveLength(1);
  });

  it('a snooze holds through repeats and pages again when it runs out while still firing', async () => {
    w = await world(nurseOnly);
    await w.measure('blood_pressure', { systolic: 185, diastolic: 90 });
    const [alert] = await w.alerts.store.list({ careTeamIds: 'all', ruleId: 'threshold:blood_pressure.systolic', limit: 10 });
    await w.alerts.engine.act(alert!.id, 'u-nurse', { type: 'snooze', until: new Date(T0.getTime() + 120 * MIN), reason: 'district nurse visits at 11' });
    await w.at(60);
    await w.measure('blood_pressure', { systolic: 187, diastolic: 90 });
    expect(w.receivers.pages.map((p) => p.body.reason)).toEqual(['opened']);
    await w.at(121);
    expect(w.receivers.pages.map((p) => p.body.reason)).toEqual(['opened', 'snooze_expired']);
    const types = (await w.alerts.store.events(alert!.id)).map((e) => e.type);
    expect(types).toEqual(['opened', 'snoozed', 'snooze_expired']);
  });

  it('quiet hours hold a medium page until they end; an urgent one goes at once', async () => {
    w = await world((r) => ({ ...nurseOnly(r), quietHours: { from: '08:30', to: '10:00', timeZone: 'Europe/Copenhagen' } }));
    await w.measure('blood_pressure', { systolic: 185, diastolic: 90 }); // medium, at 09:00 local
    expect(w.receivers.pages).toEqual([]);
    // urgent (< 85 %); NEWS2 also fires, at medium (a 3 in SpO2), and waits like the BP alert.
    await w.measure('spo2', { spo2: 82 });
    expect(w.receivers.pages.map((p) => [p.body.alert.rule, p.body.alert.severity])).toEqual([['threshold:spo2.spo2', 'urgent']]);
    await w.at(59);
    expect(w.receivers.pages).toHaveLength(1);
    await w.at(60); // 10:00 local
    expect(w.receivers.pages.map((p) => p.body.alert.rule).sort()).toEqual(['news2', 'threshold:blood_pressure.systolic', 'threshold:spo2.spo2']);
  });

  it('a page that cannot be delivered within its maximum age is given up, recorded as failed, and not retried', async () => {
    w = await world(nurseOnly);
    await w.receivers.stop();
    await w.measure('blood_pressure', { systolic: 185, diastolic: 90 });
    const [alert] = await w.alerts.store.list({ careTeamIds: 'all', ruleId: 'threshold:blood_pressure.systolic', limit: 10 });
    const [row] = (await w.alerts.outboxStore.forAlert(alert!.id)).filter((n) => n.channel === 'webhook');
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    // Older than maxAgeMs (1 h here): the next failure gives up and says so.
    await w.at(61);
    const [after] = (await w.alerts.outboxStore.forAlert(alert!.id)).filter((n) => n.channel === 'webhook');
    expect(after).toMatchObject({ status: 'failed', attempts: 2 });
    expect((await w.alerts.outboxStore.attempts(after!.id)).map((a) => a.outcome)).toEqual(['retry', 'failed']);
    await w.at(120);
    expect((await w.alerts.outboxStore.attempts(after!.id)).length).toBe(2);
  });

  it('e-mail pages go out over SMTP through the outbox, with no patient id in subject or body', async () => {
    const mails: { subject: string; raw: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          // RFC 2047 Q-encoding (nodemailer encodes the '≥' of the summary), unfolded.
          const header = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
          const subject = header
            .replace(/\r?\n[ \t]+/g, ' ')
            .replace(/=\?UTF-8\?Q\?([^?]*)\?=\s*/gi, (_m, q: string) => Buffer.from(q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
          mails.push({ subject, raw });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
      w = await world(() => ({ tiers: [{ name: 'nurse', targets: [{ channel: 'email', to: ['nurse@example.org'] }] }] }), { url });
      await w.measure('blood_pressure', { systolic: 185, diastolic: 90 });
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toMatch(/^\[MEDIUM\] New alert: Systolic BP 185 mmHg/);
      expect(mails[0]!.raw).not.toContain(PATIENT.id);
      expect(mails[0]!.raw).not.toContain(PATIENT.displayName);
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});
