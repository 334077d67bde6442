/**
 * Back-test benchmark (`npm run bench:backtest`): a private influxd holding 30 days of readings for
 * 1,000 patients (about 10 a day each: a morning session of weight, blood pressure with pulse,
 * SpO2 and temperature; blood pressure with pulse at noon; blood pressure, pulse and SpO2 in the
 * evening), the alert tables on PGlite, then one back-test of the whole care team with a lowered
 * systolic threshold beside the current configuration (hub/alerts/quality/backtest.ts, as POST
 * /api/v1/backtest runs it). Prints the back-test's seconds, its evaluations, and the process's
 * peak RSS. Target (issue #14): at most 5 s.
 *
 * Knobs: BENCH_BACKTEST_PATIENTS (1000), BENCH_BACKTEST_DAYS (30), BENCH_BACKTEST_TICK_MINUTES (240).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE, type Reading, type VitalKind } from '../../contract/index.js';
import type { AlertPatients } from '../../hub/alerts/engine-deps.js';
import type { PatientRulesStore } from '../../hub/alerts/patient-rules.js';
import { influxBacktestReadings, influxQueryFor } from '../../hub/alerts/quality/backtest-readings.js';
import { runBacktest } from '../../hub/alerts/quality/backtest.js';
import type { PatientSummary } from '../../hub/registry/registry.js';
import { migrate } from '../../hub/sql/migrate.js';
import { PgliteDb } from '../../hub/sql/pglite-db.js';
import { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { toLineProtocol } from '../../hub/storage/reading-points.js';
import { exitOnHelp } from '../lib/cli-help.js';
import { freePort } from '../lib/free-port.js';
import { startInfluxd } from '../lib/influxd.js';

exitOnHelp('npm run bench:backtest: a 30-day back-test of 1,000 patients (~10 readings a day) on a private influxd. Prints seconds and peak RSS.');

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PATIENTS = env('BENCH_BACKTEST_PATIENTS', 1000);
const DAYS = env('BENCH_BACKTEST_DAYS', 30);
const TICK_MINUTES = env('BENCH_BACKTEST_TICK_MINUTES', 240);
const DAY_MS = 86_400_000;
const TEAM = 'team-bench';

let seed = 1;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const around = (mean: number, spread: number) => Math.round((mean + (random() - 0.5) * 2 * spread) * 10) / 10;

function reading(patient: number, n: number, kind: VitalKind, at: number, values: Record<string, number>): string {
  const r: Reading = {
    id: `bt-${patient}-${n}`,
    kind,
    device: { id: `sn-bench-${patient}-${kind}` },
    components: Object.entries(values).map(([name, value]) => {
      const c = CATALOGUE[kind].components.find((x) => x.name === name)!;
      return { name, code: c.loinc, value, unit: c.unit };
    }),
    measuredAt: new Date(at).toISOString(),
    receivedAt: new Date(at + 30_000).toISOString(),
    timeSource: 'device',
    clockSuspect: false,
    late: false,
  };
  return toLineProtocol({ reading: r, gatewayId: `home-bench-${patient}`, patientId: `p-bench-${patient}`, implausible: false });
}

/** About 10 readings a day: three sessions. */
function patientLines(p: number, start: number): string[] {
  const out: string[] = [];
  let n = 0;
  const bp = (at: number) => {
    const s = around(136, 14);
    out.push(reading(p, n++, 'blood_pressure', at, { systolic: s, diastolic: around(82, 8), meanArterialPressure: around(100, 6) }));
    out.push(reading(p, n++, 'heart_rate', at, { heartRate: around(70, 8) }));
  };
  for (let d = 0; d < DAYS; d++) {
    const day = start + d * DAY_MS;
    const morning = day + 7.5 * 3600_000 + Math.round(random() * 30) * 60_000;
    out.push(reading(p, n++, 'body_weight', morning, { weight: around(72, 0.4) }));
    bp(morning + 60_000);
    out.push(reading(p, n++, 'spo2', morning + 120_000, { spo2: Math.round(around(96, 1.5)) }));
    out.push(reading(p, n++, 'body_temperature', morning + 180_000, { temperature: around(36.7, 0.3) }));
    bp(day + 12 * 3600_000 + Math.round(random() * 60) * 60_000);
    const evening = day + 18.5 * 3600_000 + Math.round(random() * 30) * 60_000;
    bp(evening);
    out.push(reading(p, n++, 'spo2', evening + 60_000, { spo2: Math.round(around(96, 1.5)) }));
  }
  return out;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'rpm-bench-backtest-'));
  const influxd = process.env.INFLUX_URL ? undefined : await startInfluxd({ dataDir: join(work, 'influxd'), port: await freePort() });
  const influx = new InfluxV1Client({ url: process.env.INFLUX_URL ?? influxd!.url, database: `bench_backtest_${Date.now()}`, auth: { kind: 'none' } });
  const db = await PgliteDb.open();
  try {
    await influx.ensureDatabase();
    await migrate(db);
    const to = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
    const from = new Date(to.getTime() - DAYS * DAY_MS);
    let written = 0;
    let batch: string[] = [];
    const t0 = performance.now();
    for (let p = 0; p < PATIENTS; p++) {
      batch.push(...patientLines(p, from.getTime()));
      if (batch.length >= 5_000 || p === PATIENTS - 1) {
        await influx.write(batch);
        written += batch.length;
        batch = [];
      }
    }
    console.log(`wrote ${written} readings for ${PATIENTS} patients over ${DAYS} days in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const patients: PatientSummary[] = Array.from({ length: PATIENTS }, (_, p) => ({ id: `p-bench-${p}`, careTeamId: TEAM, displayName: `Bench ${p}` }));
    const directory: AlertPatients = {
      getPatient: async (id) => patients.find((x) => x.id === id),
      listPatients: async () => patients,
    };
    const rules: PatientRulesStore = { rulesOf: async () => ({ config: {}, updatedAt: from, updatedBy: 'bench' }), setRules: async () => undefined };
    const candidate = { thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 150, severity: 'medium' }] } } };

    if (process.env.BENCH_BACKTEST_PROBE) {
      const slow = new InfluxV1Client({ url: process.env.INFLUX_URL ?? influxd!.url, database: influx.database, auth: { kind: 'none' }, timeoutMs: 300_000 });
      for (const q of [
        `SELECT * FROM "blood_pressure" WHERE "patient" = 'p-bench-1' AND time >= '${new Date(from.getTime() - 15 * DAY_MS).toISOString()}'`,
        `SELECT * FROM "blood_pressure", "spo2", "heart_rate", "body_weight", "body_temperature" WHERE "patient" = 'p-bench-1'`,
        `SELECT * FROM "blood_pressure", "spo2", "heart_rate", "body_weight", "body_temperature" WHERE "patient" =~ /^(p\\-bench\\-1|p\\-bench\\-2)$/ GROUP BY "patient"`,
        influxQueryFor(['p-bench-1', 'p-bench-2']),
        influxQueryFor(Array.from({ length: 20 }, (_, i) => `p-bench-${i + 100}`)),
      ]) {
        const t = performance.now();
        const s = await slow.query(q);
        console.log(`${(performance.now() - t).toFixed(0)} ms, ${s.length} series: ${q.slice(0, 160)}`);
      }
    }
    const rssBefore = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = await runBacktest(
      { db, patients: directory, rules, readings: influxBacktestReadings(influx), now: () => new Date(), deadlineMs: 3600_000 },
      { population: { careTeamId: TEAM }, candidate, from, to, tickMs: TICK_MINUTES * 60_000 },
    );
    const seconds = (performance.now() - started) / 1000;
    // CPU of this process's threads (main and replay workers); with other work on the machine the
    // wall-clock figure says more about the neighbours than about the back-test.
    const cpu = process.cpuUsage(cpuBefore);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(
      JSON.stringify(
        {
          patients: result.patients,
          days: DAYS,
          readings: result.readings,
          tickMinutes: TICK_MINUTES,
          currentAlerts: result.current.alerts,
          candidateAlerts: result.candidate.alerts,
          seconds: Math.round(seconds * 100) / 100,
          targetSeconds: 5,
          cpuSeconds: Math.round((cpu.user + cpu.system) / 10_000) / 100,
          workers: result.workers,
          loadAverage1m: Math.round(loadavg()[0]! * 10) / 10,
          cores: availableParallelism(),
          peakRssMb: Math.round(peakRssMb),
          rssBeforeBacktestMb: Math.round(rssBefore / 2 ** 20),
        },
        null,
        2,
      ),
    );
  } finally {
    await db.close();
    influx.close();
    await influxd?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
