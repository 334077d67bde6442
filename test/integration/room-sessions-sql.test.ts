/**
 * Measurement sessions on both SQL backends (PGlite and a real PostgreSQL): migration 050 applies,
 * the database itself refuses overlapping sessions in one room (so two hubs cannot both check a
 * resident in), check-out ends a session once, and a reload rebuilds the in-memory index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomSessionError, RoomSessions } from '../../hub/rooms/room-sessions.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import type { SqlDb } from '../../hub/sql/sql-db.js';
import { startPostgresForTests, type PostgresForTests } from '../support/postgres-fixture.js';
import { freshPglite } from '../support/sql-fixture.js';

const T0 = Date.parse('2026-04-01T08:00:00Z');
const MIN = 60_000;

function contract(name: string, open: () => Promise<SqlDb>) {
  describe(`measurement sessions on ${name}`, () => {
    let db: SqlDb;
    let nowMs = T0;
    let rooms: RoomSessions;
    beforeAll(async () => {
      db = await open();
      const registry = new SqlRegistry(db);
      await registry.createCareTeam({ id: 'team-a', displayName: 'A' });
      await registry.createPatient({ id: 'p-1', careTeamId: 'team-a', displayName: 'One' });
      await registry.createPatient({ id: 'p-2', careTeamId: 'team-a', displayName: 'Two' });
      await registry.createGateway({ id: 'room-1' });
      await registry.createGateway({ id: 'home-1' });
      rooms = new RoomSessions(db, { now: () => new Date(nowMs) });
      await rooms.createRoom({ gatewayId: 'room-1', displayName: 'Room' });
    });
    afterAll(async () => {
      await db.close();
    });

    const reason = async (p: Promise<unknown>) => p.then(() => 'none', (err: unknown) => (err instanceof RoomSessionError ? err.reason : String(err)));

    it('opens, refuses an overlapping one (database constraint), closes once', async () => {
      const s1 = await rooms.open({ gatewayId: 'room-1', patientId: 'p-1', minutes: 15, openedBy: 'u-1' });
      expect(s1.endsAt.getTime() - s1.openedAt.getTime()).toBe(15 * MIN);
      nowMs = T0 + 5 * MIN;
      expect(await reason(rooms.open({ gatewayId: 'room-1', patientId: 'p-2', minutes: 5, openedBy: 'u-1' }))).toBe('busy');
      expect(await reason(rooms.open({ gatewayId: 'home-1', patientId: 'p-2', minutes: 5, openedBy: 'u-1' }))).toBe('not_a_room');
      expect(await reason(rooms.open({ gatewayId: 'room-1', patientId: 'p-none', minutes: 5, openedBy: 'u-1' }))).not.toBe('none');
      const closed = await rooms.close({ gatewayId: 'room-1', sessionId: s1.id, closedBy: 'u-2' });
      expect(closed).toMatchObject({ closedBy: 'u-2', endsAt: new Date(nowMs) });
      expect(await reason(rooms.close({ gatewayId: 'room-1', sessionId: s1.id, closedBy: 'u-2' }))).toBe('closed');
      expect(await reason(rooms.close({ gatewayId: 'room-1', sessionId: 'ses_nope', closedBy: 'u-2' }))).toBe('no_session');
      const s2 = await rooms.open({ gatewayId: 'room-1', patientId: 'p-2', minutes: 5, openedBy: 'u-1' });
      nowMs = T0 + 11 * MIN;
      expect(await reason(rooms.close({ gatewayId: 'room-1', sessionId: s2.id, closedBy: 'u-1' }))).toBe('closed');
    });

    it('a reload from SQL (another hub) rebuilds the same index', async () => {
      const other = new RoomSessions(db, { now: () => new Date(nowMs) });
      expect(other.lookup.isRoom('room-1')).toBe(false);
      await other.refresh();
      expect(other.lookup.isRoom('room-1')).toBe(true);
      expect(other.lookup.sessionAt('room-1', T0 + MIN)?.patientId).toBe('p-1');
      expect(other.lookup.sessionAt('room-1', T0 + 7 * MIN)?.patientId).toBe('p-2');
      expect(other.lookup.sessionAt('room-1', T0 + 10 * MIN + 1)).toBeUndefined();
    });
  });
}

let server: PostgresForTests;
beforeAll(async () => {
  server = await startPostgresForTests();
});
afterAll(async () => {
  await server?.close();
});

contract('PGlite', () => freshPglite());
contract('PostgreSQL', () => server.freshDb());
