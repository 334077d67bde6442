/**
 * The alert engine's timers run on exactly one hub of a cluster. Two complete rpm-hub processes on
 * one PostgreSQL, one Redis and one InfluxDB; the one holding the lease is killed -9, and a patient
 * whose expected reading is already overdue is enrolled while nobody holds it. The survivor takes
 * the lease over within the documented time (TTL + a third of it + one tick) and raises the
 * missing-reading alert once; the alert reaches a dashboard's live stream through the Redis fan-out
 * (every hub's SSE sink publishes there and every hub's stream listens there); after the killed hub is back, there is still one alert and each of its notifications
 * was attempted exactly once.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { createCareTeam, createGateway, createUser, revokeGateway } from '../../hub/registry/sql-admin-org.js';
import { createToken } from '../../hub/registry/sql-admin-tokens.js';
import { createPatient, updatePatient } from '../../hub/registry/sql-patients.js';
import { migrate } from '../../hub/sql/migrate.js';
import { PostgresDb } from '../../hub/sql/postgres-db.js';
import { clusterHub, type ClusterHub } from '../support/cluster-hub-process.js';
import { startPostgresForTests, type PostgresForTests } from '../support/postgres-fixture.js';
import { startRedisForTests } from '../support/redis-fixture.js';
import { freshInfluxDatabase, influxUrl } from '../setup/influx.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const LEASE_TTL_MS = 3000;
const TICK_MS = 500;
/** Documented in docs/deploy/cluster.md: TTL (the dead holder's last renewal runs out) + TTL/3 (the survivor's next try) + a tick. */
const TAKEOVER_BOUND_MS = LEASE_TTL_MS + LEASE_TTL_MS / 3 + TICK_MS + 1500;

let pg: PostgresForTests;
let db: PostgresDb;
const hubs: ClusterHub[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const dir = await tempDir('cluster-lease');
  cleanups.push(dir.remove);
  pg = await startPostgresForTests();
  cleanups.push(() => pg.close());
  const databaseUrl = await pg.freshDatabaseUrl();
  db = await PostgresDb.open({ connectionString: databaseUrl });
  cleanups.push(() => db.close());
  await migrate(db);
  await createCareTeam(db, { id: 'team-lease', displayName: 'Lease team' });
  const redis = await startRedisForTests();
  cleanups.push(() => redis.close());
  const influx = await freshInfluxDatabase('lease');
  for (const name of ['hub1', 'hub2']) {
    hubs.push(
      await clusterHub({
        name,
        dataDir: join(dir.path, name),
        databaseUrl,
        redisUrl: redis.url,
        influxUrl: influxUrl(),
        influxDatabase: influx.database,
        logFile: join(dir.path, `${name}.log`),
        env: { CLUSTER_LEASE_TTL_MS: String(LEASE_TTL_MS), ALERT_TICK_MS: String(TICK_MS), ALERT_FULL_EVALUATION_MS: '1000', HUB_CLUSTER_HEARTBEAT_MS: '500' },
      }),
    );
  }
  cleanups.push(async () => Promise.all(hubs.map((h) => h.kill9())));
  await Promise.all(hubs.map((h) => h.start()));
}, 90_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function lease(): Promise<{ holder: string; token: number } | undefined> {
  const rows = await db.query<{ holder: string; token: string }>("SELECT holder, token FROM cluster_lease WHERE name = 'alert-engine' AND expires_at > now()");
  return rows[0] && { holder: rows[0].holder, token: Number(rows[0].token) };
}

describe('alert engine lease across two hub processes', () => {
  it('hands the timers over within the documented time after kill -9, raising an overdue missing-reading alert once, seen on the live stream through Redis', { timeout: 60_000 }, async () => {
    const first = await waitFor('a lease holder', lease, 10_000);
    const holder = hubs.find((h) => first.holder.includes(`:${h.pid()}:`));
    expect(holder, first.holder).toBeDefined();
    const survivor = hubs.find((h) => h !== holder)!;

    // A dashboard on the survivor, connected before the alert exists.
    await createUser(db, { id: 'u-nurse', displayName: 'Nurse', role: 'clinician', careTeamIds: ['team-lease'] });
    const { token } = await createToken(db, { userId: 'u-nurse', expiresInSeconds: 3600 }, new Date());
    const live = new AbortController();
    let streamed = '';
    const res = await fetch(`http://127.0.0.1:${survivor.apiPort}/api/v1/live`, { headers: { authorization: `Bearer ${token}` }, signal: live.signal });
    expect(res.status).toBe(200);
    void (async () => {
      try {
        for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) streamed += chunk;
      } catch {
        // aborted
      }
    })();

    await holder!.kill9();
    const killedAt = Date.now();
    // Enrolled while nobody holds the lease: a daily-ish reading expected and none ever came, so it is overdue at once.
    await createPatient(db, { id: 'p-lease', careTeamId: 'team-lease', displayName: 'Lease patient' });
    await updatePatient(db, 'p-lease', { rules: { schedules: [{ type: 'interval', kind: 'blood_pressure', everyHours: 24, graceMinutes: 0 }] } }, new Date());

    const alert = await waitFor(
      'the missing-reading alert',
      async () => (await db.query<{ id: string }>("SELECT id FROM alerts WHERE patient_id = 'p-lease' AND rule_id = 'missing:blood_pressure'"))[0],
      TAKEOVER_BOUND_MS + 5000,
      50,
    );
    const takeoverMs = Date.now() - killedAt;
    console.log(`cluster-lease: missing-reading alert raised by the new holder ${takeoverMs} ms after kill -9 of the old one`);
    expect(takeoverMs).toBeLessThan(TAKEOVER_BOUND_MS);
    const second = await lease();
    expect(second?.token).toBe(first.token + 1);
    expect(second?.holder.includes(`:${survivor.pid()}:`)).toBe(true);

    // The survivor raised it; its own SSE clients get it through Redis like everybody's.
    await waitFor('the alert on the live stream', () => (streamed.includes(alert.id) ? true : undefined), 5000);
    live.abort();

    // The killed hub comes back: it does not take the lease, nor raise the alert again.
    await holder!.start();
    await new Promise((r) => setTimeout(r, LEASE_TTL_MS));
    expect((await lease())?.holder.includes(`:${survivor.pid()}:`)).toBe(true);
    const alerts = await db.query<{ n: number }>("SELECT count(*)::integer AS n FROM alerts WHERE patient_id = 'p-lease'");
    expect(alerts[0]?.n).toBe(1);
    const sent = await db.query<{ id: string; channel: string; status: string; attempts: number }>(
      `SELECT n.id, n.channel, n.status, (SELECT count(*)::integer FROM notification_attempts a WHERE a.notification_id = n.id) AS attempts
       FROM notification_outbox n WHERE n.alert_id = $1`,
      [alert.id],
    );
    expect(sent.length).toBeGreaterThan(0);
    for (const n of sent) expect(n, n.channel).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});

describe('gateway secrets across the cluster', () => {
  it('lets a known box back in on every hub, and refuses a revoked secret on every hub at its next connect', { timeout: 30_000 }, async () => {
    const gw = await createGateway(db, { id: 'gw-revoke' });
    const connect = (hub: ClusterHub) =>
      mqtt
        .connectAsync(`mqtt://127.0.0.1:${hub.mqttPort}`, { clientId: 'gw-gw-revoke', username: 'gw-revoke', password: gw.secret, reconnectPeriod: 0, protocolVersion: 4, clean: true })
        .then(
          async (c) => {
            await c.endAsync();
            return 0;
          },
          (e: Error & { code?: number }) => e.code ?? -1,
        );
    // Twice on each hub: the second connect is the remembered one (no scrypt), still checked against the stored hash.
    for (const hub of hubs) for (let i = 0; i < 2; i++) expect(await connect(hub), hub.name).toBe(0);
    await revokeGateway(db, 'gw-revoke', new Date());
    const revokedAt = Date.now();
    for (const hub of hubs) expect(await connect(hub), hub.name).toBe(4); // [MQTT-3.2.2.3] 4 = bad user name or password
    console.log(`cluster-lease: revoked secret refused on both hubs ${Date.now() - revokedAt} ms after revocation`);
  });
});
