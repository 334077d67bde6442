/**
 * The kiosk routes on real parts: a hub (Aedes on TCP, spool, InfluxDB) on the SQL registry, a
 * community room's gateway publishing over MQTT, and the API. A resident checks in at the kiosk with
 * the code on their card and sees only their own first name and their own session's readings; a
 * replayed, timed-out or revoked kiosk gets a clear problem and stores nothing; wrong codes are
 * rate-limited; another team's staff see no names; everything is in the audit log under the kiosk.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../dashboard-api/app.js';
import { sqlApiServices } from '../../bin/api-services/compose-services.js';
import { startHub, type RunningHub } from '../../hub/hub.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import { RoomSessions } from '../../hub/rooms/room-sessions.js';
import type { PgliteDb } from '../../hub/sql/pglite-db.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { bpReading, connectAsGateway, readingBatch } from '../support/mqtt-gateway-client.js';
import { freshPglite } from '../support/sql-fixture.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const ROOM = 'room-kiosk';
const OTHER_ROOM = 'room-other';
const CUFF = 'sn-KIOSK-CUFF';
const MIN = 60_000;
const T0 = Date.now() - 60 * MIN;
let nowMs = T0;
const at = (minutes: number) => new Date(T0 + minutes * MIN);

let db: PgliteDb;
let hub: RunningHub;
let app: FastifyInstance;
let gateway: MqttClient;
let dir: { path: string; remove: () => Promise<void> };
const tokens: Record<string, string> = {};
const codes: Record<string, string> = {};
let link = '';
let otherLink = '';
let linkId = '';

const auth = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });
const kiosk = (token = link, session?: string) => ({ 'x-kiosk-link': token, ...(session && { 'x-kiosk-session': session }) });
const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

async function publish(...readings: Record<string, unknown>[]): Promise<void> {
  await gateway.publishAsync(`rpm/v1/gw/${ROOM}/readings`, readingBatch(readings), { qos: 1 });
}

async function checkIn(code: string, token = link) {
  return app.inject({ method: 'POST', url: '/api/v1/kiosk/sessions', headers: kiosk(token), payload: { code } });
}

beforeAll(async () => {
  dir = await tempDir('kiosk');
  const influx = await freshInfluxDatabase('kiosk');
  db = await freshPglite();
  const registry = new SqlRegistry(db);
  await registry.createCareTeam({ id: 'team-north', displayName: 'North' });
  await registry.createCareTeam({ id: 'team-south', displayName: 'South' });
  await registry.createPatient({ id: 'p-alma', careTeamId: 'team-north', displayName: 'Andersson, Alma' });
  await registry.createPatient({ id: 'p-bo', careTeamId: 'team-north', displayName: 'Berg, Bo Erik' });
  await registry.createPatient({ id: 'p-south', careTeamId: 'team-south', displayName: 'Sund, Siv' });
  const { secret } = await registry.createGateway({ id: ROOM });
  await registry.createGateway({ id: OTHER_ROOM });
  for (const [name, role, teams] of [
    ['admin', 'admin', []],
    ['carer', 'carer', ['team-north']],
    ['southClinician', 'clinician', ['team-south']],
  ] as const) {
    await registry.createUser({ id: `u-${name.toLowerCase()}`, displayName: name, role, careTeamIds: [...teams] });
    tokens[name] = (await registry.createToken({ userId: `u-${name.toLowerCase()}`, expiresInSeconds: 3600 })).token;
  }
  const rooms = new RoomSessions(db, { now: () => new Date(nowMs) });
  await rooms.refresh();
  hub = await startHub({ dataDir: join(dir.path, 'hub'), mqtt: { host: '127.0.0.1', port: 0 }, influx, registry, log: pino({ level: 'silent' }), rooms: rooms.lookup });
  const services = sqlApiServices({ influx, tokens: registry, devices: registry, gateways: hub.gatewayState, db, registry, rooms, audit: { flushEveryMs: 2 } });
  app = await buildApp(services, { authFailuresPerMinute: 1000 });
  gateway = await connectAsGateway(`mqtt://127.0.0.1:${hub.mqttPort}`, ROOM, secret);
  for (const [gatewayId, name] of [[ROOM, 'Kiosk room'], [OTHER_ROOM, 'Other room']]) {
    expect((await app.inject({ method: 'POST', url: '/api/v1/rooms', headers: auth('admin'), payload: { gatewayId, displayName: name } })).statusCode).toBe(201);
  }
});

afterAll(async () => {
  await gateway?.endAsync();
  await app?.close();
  await hub?.close();
  await db?.close();
  await dir?.remove();
});

describe('kiosk check-in', () => {
  it('an admin makes kiosk links (token shown once, stored hashed); staff print residents’ cards; others may not', async () => {
    const made = await app.inject({ method: 'POST', url: `/api/v1/rooms/${ROOM}/kiosk-links`, headers: auth('admin'), payload: { label: 'tablet by the door', sessionMinutes: 5 } });
    expect(made.statusCode).toBe(201);
    const body = made.json<{ id: string; token: string; path: string }>();
    expect(body).toMatchObject({ path: `/app/kiosk/${body.token}`, sessionMinutes: 5 });
    [link, linkId] = [body.token, body.id];
    otherLink = (await app.inject({ method: 'POST', url: `/api/v1/rooms/${OTHER_ROOM}/kiosk-links`, headers: auth('admin'), payload: { label: 'other' } })).json<{ token: string }>().token;
    const stored = await db.query<{ token_hash: string }>('SELECT token_hash FROM kiosk_links');
    expect(JSON.stringify(stored)).not.toContain(link);
    expect((await app.inject({ method: 'POST', url: `/api/v1/rooms/${ROOM}/kiosk-links`, headers: auth('carer'), payload: { label: 'x' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/rooms/room-nowhere/kiosk-links', headers: auth('admin'), payload: { label: 'x' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/api/v1/rooms/${ROOM}/kiosk-links`, headers: auth('admin'), payload: { label: '' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `/api/v1/rooms/${ROOM}/kiosk-links`, headers: auth('admin'), payload: { label: 'x', sessionMinutes: 31 } })).statusCode).toBe(400);

    for (const p of ['p-alma', 'p-bo']) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/patients/${p}/checkin-code`, headers: auth('carer') });
      expect(res.statusCode).toBe(201);
      codes[p] = res.json<{ code: string }>().code;
      expect(codes[p]).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    }
    const codeRows = await db.query<{ code_id: string; secret_hash: string }>('SELECT code_id, secret_hash FROM checkin_codes');
    expect(codeRows.every((r) => r.secret_hash.startsWith('scrypt$'))).toBe(true);
    expect(JSON.stringify(codeRows)).not.toContain(codes['p-alma']!.replace(/-/g, '').slice(4));
    // Another team's resident: 404, as every patient route.
    expect((await app.inject({ method: 'POST', url: '/api/v1/patients/p-alma/checkin-code', headers: auth('southClinician') })).statusCode).toBe(404);
  });

  it('refuses bad input with problem+json and stores no session', async () => {
    const before = await count('measurement_sessions');
    const cases = [
      { headers: {}, payload: { code: codes['p-bo'] }, status: 400 },
      { headers: kiosk('rpmk_not-a-real-token'), payload: { code: codes['p-bo'] }, status: 401 },
      { headers: kiosk(), payload: { code: codes['p-bo'], minutes: 30 }, status: 400 },
      { headers: kiosk(), payload: { code: codes['p-bo'], patientId: 'p-alma' }, status: 400 },
      { headers: kiosk(), payload: { code: 'x'.repeat(41) }, status: 400 },
      { headers: kiosk(), payload: {}, status: 400 },
    ];
    for (const c of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/kiosk/sessions', headers: c.headers, payload: c.payload });
      expect(res.statusCode, JSON.stringify(c)).toBe(c.status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect(await count('measurement_sessions')).toBe(before);
    expect(await count('kiosk_sessions')).toBe(0);
  });

  it('B checks in at the kiosk and sees only their first name and their own session’s readings; check-out ends it', async () => {
    // Alma was checked in by staff before and measured: none of that may reach Bo's screen.
    const staff = await app.inject({ method: 'POST', url: `/api/v1/rooms/${ROOM}/sessions`, headers: auth('carer'), payload: { patientId: 'p-alma', minutes: 5 } });
    expect(staff.statusCode).toBe(201);
    await publish(bpReading(CUFF, at(1), 151, 93));
    nowMs = T0 + 10 * MIN;

    const res = await checkIn(codes['p-bo']!.toLowerCase().replace(/-/g, ' '));
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const opened = res.json<{ firstName: string; sessionToken: string; readings: unknown[]; state: string }>();
    expect(opened).toMatchObject({ firstName: 'Bo', state: 'open', readings: [] });
    expect(JSON.stringify(opened)).not.toMatch(/Berg|Andersson|Alma|p-bo|p-alma/);
    const busy = await checkIn(codes['p-alma']!);
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ code: 'RPM_ERR_ROOM_BUSY' });

    await publish(bpReading(CUFF, at(11), 122, 78));
    nowMs = T0 + 12 * MIN;
    const session = await waitFor('Bo’s reading on the kiosk', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/v1/kiosk/session', headers: kiosk(link, opened.sessionToken) });
      const s = r.json<{ readings: { kind: string; components: { value: number }[] }[] }>();
      return s.readings.length > 0 ? s : undefined;
    });
    expect(session.readings.map((r) => [r.kind, r.components[0]?.value])).toEqual([['blood_pressure', 122]]);
    expect(JSON.stringify(session)).not.toMatch(/151|Berg|Andersson|Alma|sn-KIOSK/);

    // Staff of Bo's team see the session with his name; another team's staff see only that the room is busy.
    const north = (await app.inject({ method: 'GET', url: `/api/v1/rooms/${ROOM}`, headers: auth('carer') })).json<{ busy: boolean; session?: { displayName: string } }>();
    expect(north).toMatchObject({ busy: true, session: { displayName: 'Berg, Bo Erik' } });
    const south = await app.inject({ method: 'GET', url: `/api/v1/rooms/${ROOM}`, headers: auth('southClinician') });
    expect(south.json()).toEqual({ gatewayId: ROOM, displayName: 'Kiosk room', busy: true });

    // The token of one kiosk is nothing at another room's kiosk.
    expect((await app.inject({ method: 'GET', url: '/api/v1/kiosk/session', headers: kiosk(otherLink, opened.sessionToken) })).statusCode).toBe(401);

    const closed = await app.inject({ method: 'POST', url: '/api/v1/kiosk/session/close', headers: kiosk(link, opened.sessionToken) });
    expect(closed.statusCode).toBe(200);

    // Replayed after the session: a clear problem, no data, nothing stored.
    const sessionsBefore = await count('measurement_sessions');
    for (const [method, url] of [['GET', '/api/v1/kiosk/session'], ['POST', '/api/v1/kiosk/session/close']] as const) {
      const replay = await app.inject({ method, url, headers: kiosk(link, opened.sessionToken) });
      expect(replay.statusCode).toBe(409);
      expect(replay.json()).toMatchObject({ code: 'RPM_ERR_SESSION_CLOSED' });
      expect(replay.body).not.toMatch(/Bo|122/);
    }
    expect(await count('measurement_sessions')).toBe(sessionsBefore);
    const row = (await db.query<{ closed_by: string }>("SELECT closed_by FROM measurement_sessions WHERE patient_id = 'p-bo'"))[0];
    expect(row?.closed_by).toBe(`kiosk:${linkId}`);

    // Changes and refusals are written behind the answer (reads before it): wait for the log to hold them.
    const expected = ['room-session.open:allowed', 'room-session.read:allowed', 'room-session.close:allowed', 'room-session.read:invalid', 'room-session.close:invalid'];
    const actions = await waitFor('the kiosk’s audit entries', async () => {
      const audit = await db.query<{ action: string; outcome: string }>(`SELECT action, outcome FROM audit_log WHERE user_id = 'kiosk:${linkId}' AND patient_id = 'p-bo' ORDER BY id`);
      const got = audit.map((a) => `${a.action}:${a.outcome}`);
      return expected.every((e) => got.includes(e)) ? got : undefined;
    });
    expect(actions).toEqual(expect.arrayContaining(expected));
  });

  it('a kiosk session that timed out is refused', async () => {
    nowMs = T0 + 20 * MIN;
    const res = await checkIn(codes['p-alma']!);
    expect(res.statusCode).toBe(201);
    const { sessionToken } = res.json<{ sessionToken: string }>();
    nowMs = T0 + 26 * MIN;
    const replay = await app.inject({ method: 'GET', url: '/api/v1/kiosk/session', headers: kiosk(link, sessionToken) });
    expect(replay.statusCode).toBe(409);
    expect(replay.json<{ detail: string }>().detail).toMatch(/timed out/);
  });

  it('a revoked kiosk link is refused at once, its running session with it', async () => {
    nowMs = T0 + 30 * MIN;
    const res = await checkIn(codes['p-alma']!);
    const { sessionToken } = res.json<{ sessionToken: string }>();
    const revoked = await app.inject({ method: 'POST', url: `/api/v1/rooms/${ROOM}/kiosk-links/${linkId}/revoke`, headers: auth('admin') });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ revokedBy: 'u-admin' });
    for (const r of [
      await app.inject({ method: 'GET', url: '/api/v1/kiosk', headers: kiosk() }),
      await app.inject({ method: 'GET', url: '/api/v1/kiosk/session', headers: kiosk(link, sessionToken) }),
      await checkIn(codes['p-bo']!),
    ]) {
      expect(r.statusCode).toBe(403);
      expect(r.json<{ detail: string }>().detail).toMatch(/revoked/);
    }
    // Staff check the resident out as usual.
    nowMs = T0 + 31 * MIN;
    const current = (await app.inject({ method: 'GET', url: `/api/v1/rooms/${ROOM}`, headers: auth('carer') })).json<{ session: { id: string } }>();
    expect((await app.inject({ method: 'POST', url: `/api/v1/rooms/${ROOM}/sessions/${current.session.id}/close`, headers: auth('carer') })).statusCode).toBe(200);
  });

  it('wrong codes are counted: after 5 the kiosk answers 429, a right code too', async () => {
    nowMs = T0 + 40 * MIN;
    expect((await app.inject({ method: 'GET', url: '/api/v1/kiosk', headers: kiosk(otherLink) })).json()).toEqual({ room: 'Other room', busy: false });
    for (let i = 0; i < 5; i++) {
      const res = await checkIn('AAAA-BBBB-CCCC', otherLink);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ errors: [{ path: 'body.code' }] });
    }
    const limited = await checkIn(codes['p-bo']!, otherLink);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await count('kiosk_sessions')).toBe(3);
  });
});
