/**
 * kill -9 of the gateway in the middle of publishing loses nothing: a gateway process with a simulated
 * home producing readings fast is SIGKILLed mid-stream, restarted on the same data directory, and at the
 * end every reading it had stored durably is in InfluxDB, and any reading that arrived twice did so under
 * the same id (no id that the gateway never made, no reading at two times).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSeed, FIXTURE, startHubFixture, type HubFixture } from '../support/hub-fixture.js';
import { pointsOf, type PointRow } from '../support/influx-points.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const MEASUREMENTS = ['blood_pressure', 'heart_rate', 'body_temperature', 'blood_glucose'];

interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the child wrote to its log file so far: ids before and after each durable append. */
  log(): { pending: Set<string>; stored: Set<string>; done: boolean };
  stderr(): string;
}

describe('kill -9 mid-publish', () => {
  let fixture: HubFixture;
  let dir: { path: string; remove: () => Promise<void> };
  const children: Child[] = [];

  beforeAll(async () => {
    fixture = await startHubFixture(await defaultSeed());
    dir = await tempDir('gw-kill9');
  });

  afterAll(async () => {
    for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
    await fixture?.close();
    await dir?.remove();
  });

  function startChild(name: string, extra: Record<string, string>): Child {
    const logFile = join(dir.path, `${name}.log`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/gateway-child.ts'], {
      env: {
        ...process.env,
        RPM_GATEWAY_ID: FIXTURE.gatewayId,
        RPM_GATEWAY_SECRET: FIXTURE.gatewaySecret,
        RPM_HUB_URL: fixture.mqttUrl,
        RPM_GATEWAY_DATA_DIR: join(dir.path, 'data'),
        CHILD_LOG_FILE: logFile,
        ...extra,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const log = () => {
      let text = '';
      try {
        text = readFileSync(logFile, 'utf8');
      } catch {
        // not written yet
      }
      const pending = new Set<string>();
      const stored = new Set<string>();
      for (const line of text.split('\n')) {
        const [what, id] = line.split(' ');
        if (what === 'pending' && id) pending.add(id);
        if (what === 'stored' && id) stored.add(id);
      }
      return { pending, stored, done: text.includes('done measuring') };
    };
    const c = { process: child, exited, log, stderr: () => err };
    children.push(c);
    return c;
  }

  const influxRows = async (): Promise<PointRow[]> => (await Promise.all(MEASUREMENTS.map((m) => pointsOf(fixture.influx, m)))).flat();

  it('loses no stored reading and repeats only under the same id', async () => {
    const first = startChild('first', { CHILD_MEASURE_EVERY_MS: '40', CHILD_REPLAY_RATE: '40', CHILD_BATCH_SIZE: '10', CHILD_FIRST_SEQUENCE: '1', CHILD_TIME_BASE_MS: String(Date.now() - 2 * 86_400_000) });
    // Mid-stream: many readings stored, some already at the hub, publishing still going on.
    await waitFor('readings stored and some delivered', async () => (first.log().stored.size >= 150 && (await influxRows()).length >= 20 ? true : undefined), 30_000);
    first.process.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const deliveredBeforeKill = (await influxRows()).length;
    const firstRun = first.log();
    expect(firstRun.stored.size).toBeGreaterThan(deliveredBeforeKill); // some were still waiting in the outbox

    const second = startChild('second', { CHILD_MEASURE_EVERY_MS: '40', CHILD_ROUNDS: '15', CHILD_FIRST_SEQUENCE: '5000', CHILD_TIME_BASE_MS: String(Date.now() - 86_400_000) });
    await waitFor('the second run done measuring', () => (second.log().done ? true : undefined), 30_000);
    // Let the sessions still under way finish storing what the devices sent.
    await new Promise((r) => setTimeout(r, 1_000));
    const secondRun = second.log();
    const storedIds = new Set([...firstRun.stored, ...secondRun.stored]);
    const madeIds = new Set([...firstRun.pending, ...secondRun.pending]);
    const rows = await waitFor(
      'every stored reading in InfluxDB',
      async () => {
        const r = await influxRows();
        const ids = new Set(r.map((row) => String(row.reading_id)));
        return [...storedIds].every((id) => ids.has(id)) && secondRun.stored.size > 0 ? r : undefined;
      },
      60_000,
    );
    second.process.kill('SIGTERM');
    expect((await second.exited).code, second.stderr()).toBe(0);

    const ids = rows.map((r) => String(r.reading_id));
    // Nothing under an id the gateway never made, and no reading stored at two times under one id.
    const allMade = new Set([...madeIds, ...second.log().pending]);
    expect(ids.filter((id) => !allMade.has(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    // The restarted gateway delivered what the killed one had left in its outbox.
    const leftOver = [...firstRun.stored].filter((id) => ids.includes(id));
    expect(leftOver.length).toBe(firstRun.stored.size);
  });
});
