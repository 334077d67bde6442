/**
 * The contract every SqlDb implementation and the registry on it must keep (MQTT.js's
 * abstractStoreTest pattern): registry-pglite.test.ts runs it on PGlite, registry-postgres.test.ts
 * on a real PostgreSQL server. `build` returns a fresh database with the migrations applied.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, type Migration } from '../../hub/sql/migrate.js';
import { SQLSTATE, sqlErrorInfo, type SqlDb } from '../../hub/sql/sql-db.js';
import { RegistryError, type RegistryErrorCode } from '../../hub/registry/registry-admin.js';
import { hashToken } from '../../hub/registry/secrets.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import { getPatientRecord, insertPatient, listPatients, updatePatient } from '../../hub/registry/sql-patients.js';

export type BuildDb = () => Promise<SqlDb>;

/** Resolves to the RegistryError a call throws, so a test can check code and message together. */
export async function registryError(promise: Promise<unknown>): Promise<RegistryError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof RegistryError) return err;
    throw err;
  }
  throw new Error('expected a RegistryError, but the call succeeded');
}

/** Asserts that a call fails with a RegistryError of this code and, when given, this message. */
export async function refused(call: Promise<unknown>, code: RegistryErrorCode, message?: string | RegExp | { contains: string }): Promise<void> {
  const err = await registryError(call);
  expect(err.code).toBe(code);
  if (typeof message === 'string') expect(err.message).toBe(message);
  else if (message instanceof RegExp) expect(err.message).toMatch(message);
  else if (message) expect(err.message).toContain(message.contains);
}

export function sqlDbContract(name: string, build: BuildDb): void {
  describe(`SqlDb contract: ${name}`, () => {
    const open: SqlDb[] = [];
    const fresh = async () => {
      const db = await build();
      open.push(db);
      return db;
    };
    afterEach(async () => {
      for (const db of open.splice(0)) await db.close();
    });

    it('binds parameters and returns typed rows (text, int, boolean, timestamptz, text[], null)', async () => {
      const db = await fresh();
      await db.exec('CREATE TABLE t (s text, i integer, b boolean, at timestamptz, tags text[], n text)');
      const hostile = `'); DROP TABLE t; --`;
      await db.query('INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6)', [hostile, 42, true, '2026-03-01T08:30:00.123Z', ['copd', 'heart_failure'], null]);
      const rows = await db.query<{ s: string; i: number; b: boolean; at: Date; tags: string[]; n: null }>('SELECT * FROM t');
      expect(rows).toEqual([{ s: hostile, i: 42, b: true, at: new Date('2026-03-01T08:30:00.123Z'), tags: ['copd', 'heart_failure'], n: null }]);
      expect(rows[0]?.at).toBeInstanceOf(Date);
    });

    it('exec runs several statements', async () => {
      const db = await fresh();
      await db.exec("CREATE TABLE a (x int); INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);");
      expect(await db.query('SELECT count(*)::int AS n FROM a')).toEqual([{ n: 2 }]);
    });

    it('a transaction commits when its function resolves and returns its value', async () => {
      const db = await fresh();
      await db.exec('CREATE TABLE a (x int)');
      const value = await db.transaction(async (tx) => {
        await tx.query('INSERT INTO a VALUES ($1)', [1]);
        await tx.transaction((inner) => inner.query('INSERT INTO a VALUES ($1)', [2])); // joins the outer one
        return 'done';
      });
      expect(value).toBe('done');
      expect(await db.query('SELECT x FROM a ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }]);
    });

    it('a transaction rolls back everything when its function throws, and the error reaches the caller', async () => {
      const db = await fresh();
      await db.exec('CREATE TABLE a (x int PRIMARY KEY)');
      await expect(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO a VALUES (1)');
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      await expect(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO a VALUES (2)');
          await tx.query('INSERT INTO a VALUES (2)'); // unique violation aborts the transaction
        }),
      ).rejects.toMatchObject({ code: SQLSTATE.uniqueViolation });
      expect(await db.query('SELECT x FROM a')).toEqual([]);
      // The handle still works after a rolled-back transaction.
      await db.query('INSERT INTO a VALUES (3)');
      expect(await db.query('SELECT x FROM a')).toEqual([{ x: 3 }]);
    });

    it('reports SQLSTATE and constraint names the same way (unique, foreign key, exclusion)', async () => {
      const db = await fresh();
      await db.query("INSERT INTO care_teams (id, display_name) VALUES ('team-a', 'A')");
      const unique = await db.query("INSERT INTO care_teams (id, display_name) VALUES ('team-a', 'A')").catch((e: unknown) => e);
      expect(sqlErrorInfo(unique)).toEqual({ code: SQLSTATE.uniqueViolation, constraint: 'care_teams_pkey' });
      const fk = await db.query("INSERT INTO patients (id, care_team_id, display_name) VALUES ('p-1', 'nope', 'X')").catch((e: unknown) => e);
      expect(sqlErrorInfo(fk)).toEqual({ code: SQLSTATE.foreignKeyViolation, constraint: 'patients_care_team_id_fkey' });
    });

    it('the database itself refuses overlapping assignment periods of one device and user index', async () => {
      const db = await fresh();
      await db.exec(`INSERT INTO care_teams (id, display_name) VALUES ('t', 'T');
        INSERT INTO patients (id, care_team_id, display_name) VALUES ('p-1', 't', 'A'), ('p-2', 't', 'B');
        INSERT INTO devices (id) VALUES ('cuff-1');`);
      const insert = (userIndex: number | null, patient: string, from: string, to: string | null) =>
        db.query('INSERT INTO device_assignments (device_id, user_index, patient_id, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5)', [
          'cuff-1',
          userIndex,
          patient,
          from,
          to,
        ]);
      await insert(null, 'p-1', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
      await insert(null, 'p-2', '2026-02-01T00:00:00Z', null); // touching, not overlapping
      await insert(1, 'p-1', '2026-01-15T00:00:00Z', null); // another user index is another key
      const overlap = await insert(null, 'p-2', '2026-01-20T00:00:00Z', '2026-01-25T00:00:00Z').catch((e: unknown) => e);
      expect(sqlErrorInfo(overlap)).toEqual({ code: SQLSTATE.exclusionViolation, constraint: 'device_assignments_no_overlap' });
      const overlapUser = await insert(1, 'p-2', '2026-03-01T00:00:00Z', null).catch((e: unknown) => e);
      expect(sqlErrorInfo(overlapUser).code).toBe(SQLSTATE.exclusionViolation);
    });

    it('migrate is idempotent and records each migration once', async () => {
      const db = await fresh();
      const again = await migrate(db);
      expect(again.applied).toEqual([]);
      const files = await loadMigrations();
      const rows = await db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(files.map((m) => ({ version: m.version, name: m.name })));
    });

    it('a new migration file is applied; a failing one leaves nothing behind; an edited applied one is refused', async () => {
      const db = await fresh();
      const files = await loadMigrations();
      const extra = (sql: string): Migration => ({ version: 900, name: 'test_extra', sql, checksum: sql.length.toString() });
      await expect(migrate(db, [...files, extra('CREATE TABLE half_done (x int); SELECT * FROM no_such_table;')])).rejects.toThrow(
        /migration 900_test_extra\.sql failed: .*no_such_table/,
      );
      expect(await db.query("SELECT to_regclass('half_done') AS t")).toEqual([{ t: null }]);
      expect(await db.query('SELECT version FROM schema_migrations WHERE version = 900')).toEqual([]);

      const result = await migrate(db, [...files, extra('CREATE TABLE extra (x int);')]);
      expect(result.applied).toEqual([{ version: 900, name: 'test_extra' }]);
      await db.query('INSERT INTO extra VALUES (1)');

      await expect(migrate(db, [...files, { ...extra('CREATE TABLE extra (x int, y int);'), checksum: 'edited' }])).rejects.toThrow(
        'migration 900_test_extra.sql was changed after it was applied',
      );
      await expect(migrate(db, files)).rejects.toThrow('the database has migrations this hub does not know (900_test_extra): upgrade the hub');
    });
  });
}

export function registryContract(name: string, build: BuildDb): void {
  describe(`SqlRegistry contract: ${name}`, () => {
    const open: SqlDb[] = [];
    const fresh = async (options: ConstructorParameters<typeof SqlRegistry>[1] = {}) => {
      const db = await build();
      open.push(db);
      return new SqlRegistry(db, options);
    };
    afterEach(async () => {
      for (const db of open.splice(0)) await db.close();
    });

    it('gateways: the secret is returned once, stored as scrypt, checked, rotated and revoked', async () => {
      const reg = await fresh();
      const gw = await reg.createGateway({ id: 'home-0001', siteId: 'hjorring' });
      expect(gw).toMatchObject({ id: 'home-0001', siteId: 'hjorring', revokedAt: null });
      expect(gw.secret).toMatch(/^gw_[A-Za-z0-9_-]{43}$/);
      const stored = await reg.db.query<{ secret_hash: string }>('SELECT secret_hash FROM gateways');
      expect(stored[0]?.secret_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
      expect(JSON.stringify(stored)).not.toContain(gw.secret.slice(3));
      expect(await reg.verifyGatewaySecret('home-0001', gw.secret)).toBe(true);
      expect(await reg.verifyGatewaySecret('home-0001', `${gw.secret}x`)).toBe(false);
      expect(await reg.verifyGatewaySecret('home-9999', gw.secret)).toBe(false);

      const rotated = await reg.rotateGatewaySecret('home-0001');
      expect(await reg.verifyGatewaySecret('home-0001', gw.secret)).toBe(false);
      expect(await reg.verifyGatewaySecret('home-0001', rotated.secret)).toBe(true);

      const revoked = await reg.revokeGateway('home-0001');
      expect(revoked.revokedAt).not.toBeNull();
      expect(await reg.verifyGatewaySecret('home-0001', rotated.secret)).toBe(false);
      expect((await reg.revokeGateway('home-0001')).revokedAt).toBe(revoked.revokedAt); // idempotent
      await refused(reg.rotateGatewaySecret('home-0001'), 'conflict', { contains: 'revoked' });

      const list = await reg.listGateways();
      expect(list).toEqual([{ id: 'home-0001', siteId: 'hjorring', createdAt: gw.createdAt, revokedAt: revoked.revokedAt }]);
    });

    it('gateways: duplicate, malformed and unknown ids are refused with a clear error', async () => {
      const reg = await fresh();
      await reg.createGateway({ id: 'home-0001' });
      await refused(reg.createGateway({ id: 'home-0001' }), 'duplicate', 'gateway home-0001 already exists');
      await refused(reg.createGateway({ id: 'Home 1' }), 'invalid', /^id: expected 1-64 characters/);
      await refused(reg.revokeGateway('home-0404'), 'not_found', 'no gateway home-0404');
      expect((await reg.listGateways()).map((g) => g.id)).toEqual(['home-0001']);
    });

    it('patients: created in an existing care team with their clinical context; bad input names the field', async () => {
      const reg = await fresh();
      await reg.createCareTeam({ id: 'team-north', displayName: 'North' });
      const p = await reg.createPatient({
        id: 'p-1001',
        careTeamId: 'team-north',
        displayName: 'Resident A',
        conditionGroups: ['copd', 'heart_failure'],
        hypercapnic: true,
        timeZone: 'Europe/Stockholm',
      });
      expect(p).toMatchObject({ id: 'p-1001', careTeamId: 'team-north', conditionGroups: ['copd', 'heart_failure'], hypercapnic: true, timeZone: 'Europe/Stockholm' });
      expect(await reg.getPatient('p-1001')).toEqual({
        id: 'p-1001',
        careTeamId: 'team-north',
        displayName: 'Resident A',
        conditionGroups: ['copd', 'heart_failure'],
        hypercapnic: true,
        timeZone: 'Europe/Stockholm',
      });
      expect(await reg.getPatient('p-404')).toBeUndefined();

      const base = { careTeamId: 'team-north', displayName: 'X' };
      await refused(reg.createPatient({ id: 'p-2', ...base, careTeamId: 'team-nope' }), 'not_found', 'no care team team-nope');
      await refused(reg.createPatient({ id: 'p-1001', ...base }), 'duplicate', 'patient p-1001 already exists');
      await refused(reg.createPatient({ id: '_unassigned', ...base }), 'invalid', /^id: /);
      await refused(reg.createPatient({ id: 'p-3', ...base, conditionGroups: ['gout' as 'copd'] }), 'invalid', /^conditionGroups\.0: expected one of copd, heart_failure/);
      await refused(reg.createPatient({ id: 'p-4', ...base, timeZone: 'Mars/Olympus' }), 'invalid', /^timeZone: /);
      expect((await reg.listPatients()).map((x) => x.id)).toEqual(['p-1001']);
      expect(await reg.listPatients({ careTeamId: 'team-south' })).toEqual([]);
    });

    it('patients: the rule configuration is validated, stored as given, mirrored in columns and updated', async () => {
      const reg = await fresh();
      await reg.createCareTeam({ id: 'team-north', displayName: 'North' });
      await reg.createCareTeam({ id: 'team-south', displayName: 'South' });
      const rules = { timeZone: 'Europe/Stockholm', conditionGroups: ['heart_failure'], schedules: [] };
      const created = await insertPatient(reg.db, { id: 'p-7', careTeamId: 'team-north', displayName: 'G', rules });
      expect(created).toMatchObject({ rules, conditionGroups: ['heart_failure'], hypercapnic: false, timeZone: 'Europe/Stockholm' });
      expect(created.updatedAt).toBe(created.createdAt);
      // The CLI's patient gets the same fields as its first rule configuration.
      const cli = await reg.createPatient({ id: 'p-8', careTeamId: 'team-south', displayName: 'H', conditionGroups: ['copd'], hypercapnic: true });
      expect(cli.rules).toEqual({ timeZone: 'Europe/Copenhagen', conditionGroups: ['copd'], hypercapnicRespiratoryFailure: true });

      await refused(insertPatient(reg.db, { id: 'p-9', careTeamId: 'team-north', displayName: 'I', rules: { conditionGroups: ['gout'] } }), 'invalid', /^rules: conditionGroups/);
      const updated = await updatePatient(reg.db, 'p-7', { rules: { conditionGroups: ['copd'], hypercapnicRespiratoryFailure: true }, careTeamId: 'team-south' }, new Date('2030-01-01T00:00:00Z'));
      expect(updated).toMatchObject({ careTeamId: 'team-south', conditionGroups: ['copd'], hypercapnic: true, timeZone: 'Europe/Copenhagen', updatedAt: '2030-01-01T00:00:00.000Z' });
      expect(await updatePatient(reg.db, 'p-404', { displayName: 'x' }, new Date())).toBeUndefined();
      await refused(updatePatient(reg.db, 'p-7', { careTeamId: 'team-x' }, new Date()), 'not_found', 'no care team team-x');
      expect((await getPatientRecord(reg.db, 'p-7'))?.careTeamId).toBe('team-south'); // the failed update changed nothing
      expect((await listPatients(reg.db, ['team-south'])).map((p) => p.id)).toEqual(['p-7', 'p-8']);
      expect(await listPatients(reg.db, [])).toEqual([]);
    });

    async function withPatients(reg: SqlRegistry) {
      await reg.createCareTeam({ id: 'team-north', displayName: 'North' });
      for (const id of ['p-1', 'p-2', 'p-3']) await reg.createPatient({ id, careTeamId: 'team-north', displayName: id });
    }

    it('assignments: resolvePatient follows the periods, a new assignment closes the open one (hand-over)', async () => {
      const reg = await fresh();
      await withPatients(reg);
      await reg.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-1', from: '2026-01-01T00:00:00Z' });
      await reg.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-2', from: '2026-02-01T00:00:00Z' });
      const at = (iso: string) => reg.resolvePatient('sn-CUFF-1', undefined, new Date(iso));
      expect(await at('2025-12-31T23:59:59Z')).toBeUndefined();
      expect(await at('2026-01-31T23:59:59.999Z')).toBe('p-1');
      expect(await at('2026-02-01T00:00:00Z')).toBe('p-2');
      expect(await reg.resolvePatient('sn-OTHER', undefined, new Date('2026-02-01T00:00:00Z'))).toBeUndefined();
      expect(await reg.listAssignments({ deviceId: 'sn-CUFF-1' })).toEqual([
        { deviceId: 'sn-CUFF-1', userIndex: null, patientId: 'p-1', validFrom: '2026-01-01T00:00:00.000Z', validTo: '2026-02-01T00:00:00.000Z' },
        { deviceId: 'sn-CUFF-1', userIndex: null, patientId: 'p-2', validFrom: '2026-02-01T00:00:00.000Z', validTo: null },
      ]);

      const ended = await reg.unassignDevice({ deviceId: 'sn-CUFF-1', at: '2026-03-01T00:00:00Z' });
      expect(ended.validTo).toBe('2026-03-01T00:00:00.000Z');
      expect(await at('2026-02-28T00:00:00Z')).toBe('p-2');
      expect(await at('2026-03-01T00:00:00Z')).toBeUndefined();
      await refused(reg.unassignDevice({ deviceId: 'sn-CUFF-1' }), 'not_found', 'device sn-CUFF-1 has no open assignment');
    });

    it('assignments: a user index assignment wins over the device-wide one', async () => {
      const reg = await fresh();
      await withPatients(reg);
      await reg.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-1', from: '2026-01-01T00:00:00Z' });
      await reg.assignDevice({ deviceId: 'sn-CUFF-1', userIndex: 2, patientId: 'p-2', from: '2026-01-01T00:00:00Z' });
      const t = new Date('2026-01-10T00:00:00Z');
      expect(await reg.resolvePatient('sn-CUFF-1', 2, t)).toBe('p-2');
      expect(await reg.resolvePatient('sn-CUFF-1', 1, t)).toBe('p-1');
      expect(await reg.resolvePatient('sn-CUFF-1', undefined, t)).toBe('p-1');
    });

    it('assignments: overlaps, unknown patients and bad input are refused and change nothing', async () => {
      const reg = await fresh();
      await withPatients(reg);
      await reg.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-1', from: '2026-02-01T00:00:00Z' });
      const before = await reg.listAssignments();
      await refused(reg.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-2', from: '2026-01-01T00:00:00Z' }), 'conflict', {
        contains: 'device sn-CUFF-1 is assigned to patient p-1 from 2026-02-01T00:00:00.000Z',
      });
      await refused(reg.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-2', from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }), 'conflict');
      await refused(reg.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-404' }), 'not_found', 'no patient p-404');
      await refused(reg.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-2', userIndex: 300 }), 'invalid', /^userIndex: /);
      await refused(reg.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-2', from: 'yesterday' }), 'invalid', /^from: expected an ISO 8601 instant/);
      expect(await reg.listAssignments()).toEqual(before);
      // A closed period before the open one is fine, and assigning the same patient again is a no-op.
      await reg.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-3', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
      expect(await reg.resolvePatient('sn-CUFF-1', undefined, new Date('2026-01-15T00:00:00Z'))).toBe('p-3');
      const same = await reg.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-1', from: '2026-04-01T00:00:00Z' });
      expect(same.validFrom).toBe('2026-02-01T00:00:00.000Z');
      expect(await reg.listAssignments()).toHaveLength(2);
    });

    it('assignment cache: own changes are seen at once, another process\u2019s after the TTL', async () => {
      let now = Date.parse('2026-06-01T00:00:00Z');
      const a = await fresh();
      const b = new SqlRegistry(a.db, { assignmentTtlMs: 5_000, now: () => new Date(now) });
      await withPatients(a);
      const t = new Date('2026-05-01T00:00:00Z');
      expect(await a.resolvePatient('sn-CUFF-1', undefined, t)).toBeUndefined();
      expect(await b.resolvePatient('sn-CUFF-1', undefined, t)).toBeUndefined();
      await a.assignDevice({ deviceId: 'sn-CUFF-1', patientId: 'p-1', from: '2026-01-01T00:00:00Z' });
      expect(await a.resolvePatient('sn-CUFF-1', undefined, t)).toBe('p-1');
      expect(await b.resolvePatient('sn-CUFF-1', undefined, t)).toBeUndefined(); // still cached
      now += 5_000;
      expect(await b.resolvePatient('sn-CUFF-1', undefined, t)).toBe('p-1');
    });

    it('users and tokens: a token names its user, role and care teams until it expires or is revoked', async () => {
      let now = Date.parse('2026-06-01T00:00:00Z');
      const reg = await fresh({ now: () => new Date(now) });
      await reg.createCareTeam({ id: 'team-north', displayName: 'North' });
      await reg.createCareTeam({ id: 'team-south', displayName: 'South' });
      const user = await reg.createUser({ id: 'u-anna', displayName: 'Anna', role: 'clinician', careTeamIds: ['team-north'] });
      expect(user).toMatchObject({ id: 'u-anna', role: 'clinician', careTeamIds: ['team-north'] });
      const created = await reg.createToken({ userId: 'u-anna', expiresInSeconds: 3600 });
      expect(created.token).toMatch(/^tok_[A-Za-z0-9_-]{43}$/);
      expect(created.expiresAt).toBe('2026-06-01T01:00:00.000Z');
      const stored = await reg.db.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens');
      expect(stored).toEqual([{ token_hash: hashToken(created.token) }]);

      expect(await reg.verifyToken(created.token)).toEqual({ userId: 'u-anna', role: 'clinician', careTeamIds: ['team-north'], expiresAt: '2026-06-01T01:00:00.000Z' });
      expect((await reg.listTokens({ userId: 'u-anna' }))[0]?.lastUsedAt).toBe('2026-06-01T00:00:00.000Z');
      await reg.addUserToTeam({ userId: 'u-anna', careTeamId: 'team-south' });
      await reg.addUserToTeam({ userId: 'u-anna', careTeamId: 'team-south' }); // idempotent
      expect((await reg.verifyToken(created.token))?.careTeamIds).toEqual(['team-north', 'team-south']);
      expect(await reg.verifyToken('tok_unknown-unknown-unknown')).toBeUndefined();

      now += 3600_000;
      expect(await reg.verifyToken(created.token)).toBeUndefined(); // expired
      now -= 1000;
      expect(await reg.verifyToken(created.token)).toBeDefined();
      const revoked = await reg.revokeToken(created.id);
      expect(revoked.revokedAt).toBe(new Date(now).toISOString());
      expect(await reg.verifyToken(created.token)).toBeUndefined();
      expect(JSON.stringify(await reg.listTokens())).not.toContain(created.token);
    });

    it('users and tokens: bad role, unknown team or user and duplicates are refused', async () => {
      const reg = await fresh();
      await reg.createCareTeam({ id: 'team-north', displayName: 'North' });
      await reg.createUser({ id: 'u-1', displayName: 'One', role: 'carer' });
      await refused(reg.createUser({ id: 'u-2', displayName: 'Two', role: 'nurse' as 'carer' }), 'invalid', 'role: expected admin, clinician or carer');
      await refused(reg.createUser({ id: 'u-2', displayName: 'Two', role: 'carer', careTeamIds: ['team-x'] }), 'not_found', 'no care team team-x');
      await refused(reg.createUser({ id: 'u-1', displayName: 'Again', role: 'carer' }), 'duplicate', 'user u-1 already exists');
      await refused(reg.createToken({ userId: 'u-404', expiresInSeconds: 3600 }), 'not_found', 'no user u-404');
      await refused(reg.addUserToTeam({ userId: 'u-1', careTeamId: 'team-x' }), 'not_found', 'no care team team-x');
      await refused(reg.revokeToken('tk_nope'), 'not_found', 'no token tk_nope');
      expect((await reg.listUsers()).map((u) => u.id)).toEqual(['u-1']);
    });
  });
}
