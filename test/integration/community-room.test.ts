/**
 * A community room end to end: a real hub (Aedes on TCP, spool, InfluxDB) on the SQL registry, the
 * room's gateway publishing over MQTT, and the API checking residents in and out. One shared cuff
 * and one shared scale; two residents one after the other each get only their own readings; a
 * reading outside every session (between them, after a timeout) waits in the unassigned inbox; a
 * multi-user cuff's assigned user slot still wins; every session is in the audit log.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../dashboard-api/app.js';
import { sqlApiServices } from '../../bin/api-services/compose-services.js';
import type { ApiServices } from '../../dashboard-api/services.js';
import { startHub, type RunningHub } from '../../hub/hub.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import { RoomSessions } from '../../hub/rooms/room-sessions.js';
import type { PgliteDb } from '../../hub/sql/pglite-db.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { bpReading, connectAsGateway, readingBatch } from '../support/mqtt-gateway-client.js';
import { freshPglite } from '../support/sql-fixture.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const ROOM = 'room-naesaaker';
const CUFF = 'sn-ROOM-CUFF';
const SCALE = 'sn-ROOM-SCALE';
const MIN = 60_000;
/** The room's clock starts an hour back, so that every reading is in the past for the API's default ranges. */
const T0 = Date.now() - 60 * MIN;
let nowMs = T0;
const at = (minutes: number) => new Date(T0 + minutes * MIN);

let influx: InfluxV1Client;
let db: PgliteDb;
let registry: SqlRegistry;
let rooms: RoomSessions;
let hub: RunningHub;
let app: FastifyInstance;
let services: ApiServices;
let gateway: MqttClient;
let dir: { path: string; remove: () => Promise<void> };
const tokens: Record<string, string> = {};
let seq = 0;

const auth = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });

function weightReading(measuredAt: Date, kg: number): Record<string, unknown> {
  return {
    id: `w-room-${++seq}`,
    kind: 'body_weight',
    device: { id: SCALE },
    components: [{ name: 'weight', code: '29463-7', value: kg, unit: 'kg' }],
    measuredAt: measuredAt.toISOString(),
    receivedAt: measuredAt.toISOString(),
    timeSource: 'device',
  };
}

async function publish(...readings: Record<string, unknown>[]): Promise<void> {
  await gateway.publishAsync(`rpm/v1/gw/${ROOM}/readings`, readingBatch(readings), { qos: 1 });
}

async function readings(patientId: string, kind: string) {
  const res = await app.inject({ method: 'GET', url: `/api/v1/patients/${patientId}/readings?kind=${kind}`, headers: auth('admin') });
  expect(res.statusCode).toBe(200);
  return res.json<{ readings: { id: string; deviceId: string; userIndex?: number; attribution?: string; components: { value: number }[] }[] }>().readings;
}

async function openSession(user: string, patientId: string, minutes: number) {
  return app.inject({ method: 'POST', url: `/api/v1/rooms/${ROOM}/sessions`, headers: auth(user), payload: { patientId, minutes } });
}

beforeAll(async () => {
  dir = await tempDir('room');
  influx = await freshInfluxDatabase('room');
  db = await freshPglite();
  registry = new SqlRegistry(db);
  await registry.createCareTeam({ id: 'team-north', displayName: 'North' });
  await registry.createCareTeam({ id: 'team-south', displayName: 'South' });
  await registry.createPatient({ id: 'p-anna', careTeamId: 'team-north', displayName: 'Resident A' });
  await registry.createPatient({ id: 'p-bertil', careTeamId: 'team-north', displayName: 'Resident B' });
  await registry.createPatient({ id: 'p-cecilia', careTeamId: 'team-north', displayName: 'Resident C' });
  await registry.createPatient({ id: 'p-south', careTeamId: 'team-south', displayName: 'Resident S' });
  const { secret } = await registry.createGateway({ id: ROOM });
  // Resident C has her own user slot on the room's cuff (a multi-user device).
  await registry.assignDevice({ deviceId: CUFF, userIndex: 2, patientId: 'p-cecilia', from: at(-600).toISOString() });
  for (const [name, role, teams] of [
    ['admin', 'admin', []],
    ['carer', 'carer', ['team-north']],
    ['southClinician', 'clinician', ['team-south']],
  ] as const) {
    await registry.createUser({ id: `u-${name.toLowerCase()}`, displayName: name, role, careTeamIds: [...teams] });
    tokens[name] = (await registry.createToken({ userId: `u-${name.toLowerCase()}`, expiresInSeconds: 3600 })).token;
  }
  rooms = new RoomSessions(db, { now: () => new Date(nowMs) });
  await rooms.refresh();
  hub = await startHub({ dataDir: join(dir.path, 'hub'), mqtt: { host: '127.0.0.1', port: 0 }, influx, registry, log: pino({ level: 'silent' }), rooms: rooms.lookup });
  services = sqlApiServices({ influx, tokens: registry, devices: registry, gateways: hub.gatewayState, db, registry, rooms, audit: { flushEveryMs: 2 } });
  app = await buildApp(services, { authFailuresPerMinute: 1000 });
  gateway = await connectAsGateway(`mqtt://127.0.0.1:${hub.mqttPort}`, ROOM, secret);
});

afterAll(async () => {
  await gateway?.endAsync();
  await app?.close();
  await hub?.close();
  await db?.close();
  await dir?.remove();
});

describe('a community room with a shared cuff and scale', () => {
  it('an admin marks the gateway as a room; an unknown gateway is refused', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/rooms', headers: auth('admin'), payload: { gatewayId: ROOM, displayName: 'Näsåker community room' } });
    expect(res.statusCode).toBe(201);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/rooms', headers: auth('admin'), payload: { gatewayId: 'no-such-gw', displayName: 'x' } });
    expect(bad.statusCode).toBe(400);
    const carer = await app.inject({ method: 'POST', url: '/api/v1/rooms', headers: auth('carer'), payload: { gatewayId: ROOM, displayName: 'x' } });
    expect(carer.statusCode).toBe(403);
  });

  it('two residents checked in one after the other each get only their own readings; outside sessions readings wait in the inbox', async () => {
    // Anna checks in at 0 for 10 minutes, measures blood pressure and weight, checks out at 3.
    const first = await openSession('carer', 'p-anna', 10);
    expect(first.statusCode).toBe(201);
    const s1 = first.json<{ id: string; state: string; openedBy: string }>();
    expect(s1).toMatchObject({ state: 'open', openedBy: 'u-carer' });
    // Meanwhile Cecilia uses her own slot on the cuff: her user index decides, not Anna's session.
    await publish(bpReading(CUFF, at(1), 128, 82), weightReading(at(2), 71.5), { ...bpReading(CUFF, at(2.5), 150, 95), device: { id: CUFF, userIndex: 2 } });
    nowMs = T0 + 3 * MIN;
    const closed = await app.inject({ method: 'POST', url: `/api/v1/rooms/${ROOM}/sessions/${s1.id}/close`, headers: auth('carer') });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ state: 'closed', closedBy: 'u-carer' });

    // Between the two sessions: nobody is checked in.
    await publish(bpReading(CUFF, at(3.5), 111, 70));

    // Bertil checks in at 4 for 10 minutes (until 14); a second check-in meanwhile is refused.
    nowMs = T0 + 4 * MIN;
    const second = await openSession('carer', 'p-bertil', 10);
    expect(second.statusCode).toBe(201);
    const s2 = second.json<{ id: string }>();
    const busy = await openSession('carer', 'p-anna', 5);
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ code: 'RPM_ERR_ROOM_BUSY' });
    await publish(bpReading(CUFF, at(5), 141, 88), weightReading(at(6), 90.2));

    // Bertil forgets to check out: the session times out at 14; a reading at 20 is nobody's.
    nowMs = T0 + 20 * MIN;
    await publish(bpReading(CUFF, at(20), 119, 77));
    const late = await app.inject({ method: 'POST', url: `/api/v1/rooms/${ROOM}/sessions/${s2.id}/close`, headers: auth('carer') });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'RPM_ERR_SESSION_CLOSED' });
    const again = await app.inject({ method: 'POST', url: `/api/v1/rooms/${ROOM}/sessions/${s1.id}/close`, headers: auth('carer') });
    expect(again.json()).toMatchObject({ code: 'RPM_ERR_SESSION_CLOSED' });
    const view = await app.inject({ method: 'GET', url: `/api/v1/rooms/${ROOM}/sessions/${s2.id}`, headers: auth('carer') });
    expect(view.json()).toMatchObject({ state: 'timed_out' });

    const anna = await waitFor('Anna’s readings', async () => {
      const [bp, w] = [await readings('p-anna', 'blood_pressure'), await readings('p-anna', 'body_weight')];
      return bp.length > 0 && w.length > 0 ? { bp, w } : undefined;
    });
    const bertil = await waitFor('Bertil’s readings', async () => {
      const [bp, w] = [await readings('p-bertil', 'blood_pressure'), await readings('p-bertil', 'body_weight')];
      return bp.length > 0 && w.length > 0 ? { bp, w } : undefined;
    });
    const inbox = await waitFor('the inbox', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/unassigned', headers: auth('admin') });
      const cuff = res.json<{ devices: { deviceId: string; gatewayId: string; count: number }[] }>().devices.find((d) => d.deviceId === CUFF);
      return cuff && cuff.count >= 2 ? cuff : undefined;
    });
    const cecilia = await readings('p-cecilia', 'blood_pressure');

    expect(anna.bp.map((r) => [r.components[0]?.value, r.attribution])).toEqual([[128, 'session']]);
    expect(anna.w.map((r) => [r.components[0]?.value, r.attribution])).toEqual([[71.5, 'session']]);
    expect(bertil.bp.map((r) => [r.components[0]?.value, r.attribution])).toEqual([[141, 'session']]);
    expect(bertil.w.map((r) => [r.components[0]?.value, r.attribution])).toEqual([[90.2, 'session']]);
    expect(cecilia.map((r) => [r.components[0]?.value, r.userIndex, r.attribution])).toEqual([[150, 2, 'user_index']]);
    expect(inbox).toMatchObject({ gatewayId: ROOM, count: 2 });
  });

  it('refuses a resident of another team, an unknown room and impossible lengths, and stores no session', async () => {
    nowMs = T0 + 30 * MIN;
    const other = await openSession('carer', 'p-south', 10);
    expect(other.statusCode).toBe(404);
    const southForNorth = await openSession('southClinician', 'p-anna', 10);
    expect(southForNorth.statusCode).toBe(404);
    const unknownRoom = await app.inject({ method: 'POST', url: '/api/v1/rooms/room-nowhere/sessions', headers: auth('carer'), payload: { patientId: 'p-anna', minutes: 10 } });
    expect(unknownRoom.statusCode).toBe(404);
    for (const minutes of [0, 61, 2.5]) {
      const res = await openSession('carer', 'p-anna', minutes);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM measurement_sessions');
    expect(rows[0]?.n).toBe(2);
    // And the room is free: the refusals opened nothing.
    expect((await openSession('carer', 'p-anna', 5)).statusCode).toBe(201);
  });

  it('the audit log shows both check-ins and the check-out, per resident', async () => {
    await waitFor('session audit entries', async () => {
      const entries = await services.audit.store.query({ limit: 500 });
      const mine = entries.filter((e) => e.action.startsWith('room-session.') && e.outcome === 'allowed');
      const seen = new Set(mine.map((e) => `${e.action} ${e.patientId}`));
      return ['room-session.open p-anna', 'room-session.open p-bertil', 'room-session.close p-anna'].every((k) => seen.has(k)) ? true : undefined;
    });
  });
});
