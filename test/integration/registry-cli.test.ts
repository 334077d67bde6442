/**
 * `rpm-hub admin` as an administrator runs it: a child process (node --import tsx bin/rpm-hub.ts)
 * against a PGlite data directory, checked by opening that directory afterwards; bad input exits 1
 * with one clear line and changes nothing; with a hub holding the directory the commands go through
 * its admin socket and the hub sees the change at once.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { SqlAuditStore } from '../../hub/audit/sql-audit-store.js';
import { FileDeadLetterStore } from '../../hub/dead-letters/dead-letter-store.js';
import { serveAdminSocket } from '../../hub/registry/admin-socket.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import { pglitePaths } from '../../hub/sql/open-sql.js';
import { PgliteDb } from '../../hub/sql/pglite-db.js';
import { toLineProtocol } from '../../hub/storage/reading-points.js';
import { createReadingsRepository } from '../../hub/storage/readings-repository.js';
import { freshInfluxDatabase, influxUrl } from '../setup/influx.js';
import { freshPgliteDir } from '../support/sql-fixture.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(dataDir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, RPM_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...extraEnv };
  delete env.DATABASE_URL; // this file tests the embedded database
  delete env.RPM_SQL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/rpm-hub.ts', 'admin', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Opens the data directory the CLI wrote (the CLI has exited, so the lock is free). */
async function inspect<T>(dataDir: string, fn: (registry: SqlRegistry) => Promise<T>): Promise<T> {
  const paths = pglitePaths(dataDir);
  const db = await PgliteDb.open({ dataDir: paths.pgdata, lockFile: paths.lockFile });
  try {
    return await fn(new SqlRegistry(db));
  } finally {
    await db.close();
  }
}

// Each command is a Node process that compiles TypeScript and opens PGlite: seconds each on 2 busy cores.
describe('rpm-hub admin on a PGlite data directory', { timeout: 180_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('admin-cli');
    await freshPgliteDir(pglitePaths(dir.path).pgdata);
  });
  afterAll(async () => {
    await dir?.remove();
  });

  it('sets up a care team, patient, gateway, device, user and token that the hub then accepts', async () => {
    expect(await cli(dir.path, ['team', 'create', 'team-north', '--name', 'North'])).toMatchObject({ code: 0, stdout: 'care team team-north created\n' });
    expect(
      await cli(dir.path, ['patient', 'create', 'p-1001', '--team', 'team-north', '--name', 'Resident A', '--condition', 'copd,heart_failure', '--hypercapnic']),
    ).toMatchObject({ code: 0, stdout: 'patient p-1001 created in care team team-north\n' });

    const gateway = await cli(dir.path, ['gateway', 'create', 'home-0001', '--site', 'hjorring']);
    expect(gateway.code).toBe(0);
    const secret = /gateway secret: (gw_\S+)/.exec(gateway.stdout)?.[1];
    expect(secret).toBeDefined();
    expect(gateway.stdout).toContain('Shown only now');

    expect(await cli(dir.path, ['device', 'assign', 'sn-BPC-0001', '--patient', 'p-1001', '--from', '2026-01-01T00:00:00Z'])).toMatchObject({
      code: 0,
      stdout: 'device sn-BPC-0001 → patient p-1001 from 2026-01-01T00:00:00.000Z\n',
    });
    expect(await cli(dir.path, ['user', 'create', 'u-anna', '--role', 'clinician', '--name', 'Anna', '--team', 'team-north'])).toMatchObject({ code: 0 });
    const token = await cli(dir.path, ['token', 'create', 'u-anna', '--expires-in', '30d', '--json']);
    expect(token.code).toBe(0);
    const created = JSON.parse(token.stdout) as { id: string; token: string; expiresAt: string };
    expect(created.token).toMatch(/^tok_/);

    const patients = await cli(dir.path, ['patient', 'list']);
    expect(patients.stdout.split('\n').slice(0, 3)).toEqual([
      'id      careTeamId  displayName  conditionGroups     hypercapnic  timeZone',
      '------  ----------  -----------  ------------------  -----------  -----------------',
      'p-1001  team-north  Resident A   copd,heart_failure  true         Europe/Copenhagen',
    ]);

    await inspect(dir.path, async (registry) => {
      expect(await registry.verifyGatewaySecret('home-0001', secret ?? '')).toBe(true);
      expect(await registry.verifyToken(created.token)).toEqual({ userId: 'u-anna', role: 'clinician', careTeamIds: ['team-north'], expiresAt: created.expiresAt });
      expect(await registry.resolvePatient('sn-BPC-0001', undefined, new Date('2026-02-01T00:00:00Z'))).toBe('p-1001');
    });

    const revoked = await cli(dir.path, ['token', 'revoke', created.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/^token tk_[0-9a-f]+ revoked at /);
    await inspect(dir.path, async (registry) => expect(await registry.verifyToken(created.token)).toBeUndefined());
  });

  it.each([
    [['device', 'assign', 'sn-X', '--patient', 'p-404'], 'error: no patient p-404'],
    [['team', 'create', 'team-north', '--name', 'Again'], 'error: care team team-north already exists'],
    [['user', 'create', 'u-bo', '--role', 'nurse', '--name', 'Bo'], 'error: role: expected admin, clinician or carer'],
    [['patient', 'create', 'p-2', '--name', 'B'], 'error: --team is required'],
    [['patient', 'create', '_unassigned', '--team', 'team-north', '--name', 'B'], 'error: id: expected 1-64 characters'],
    [['gateway', 'create', 'Home 1'], 'error: id: expected 1-64 characters of a-z 0-9 _ -'],
    [['token', 'create', 'u-anna', '--expires-in', 'forever'], 'error: --expires-in: expected a duration such as 90d, 12h or 30m, got "forever"'],
    [['device', 'assign', 'sn-X', '--patient', 'p-1001', '--user-index', 'two'], 'error: --user-index: expected a whole number, got "two"'],
    [['patient', 'create', 'p-3', '--team', 'team-north', '--name', 'C', '--condition', 'gout'], 'error: conditionGroups.0: expected one of copd'],
    [['patient', 'launch'], 'error: unknown command "patient launch"'],
    [['gateway', 'create'], 'error: expected <id>'],
    [['gateway', 'list', '--colour'], "error: Unknown option '--colour'"],
  ])('bad input %j: exit 1 with a clear message, nothing changed', async (args, message) => {
    const run = await cli(dir.path, args);
    expect(run.code).toBe(1);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stdout).toBe('');
  });

  it('after the bad input the registry holds exactly what the good commands made', async () => {
    const run = await cli(dir.path, ['patient', 'list', '--json']);
    expect((JSON.parse(run.stdout) as { id: string }[]).map((p) => p.id)).toEqual(['p-1001']);
    const users = await cli(dir.path, ['user', 'list', '--json']);
    expect((JSON.parse(users.stdout) as { id: string }[]).map((u) => u.id)).toEqual(['u-anna']);
  });

  it('--help: an overview, and usage per command', async () => {
    const overview = await cli(dir.path, ['--help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain('gateway create <id> [--site SITE]');
    expect(overview.stdout).toContain('DATABASE_URL');
    const help = await cli(dir.path, ['token', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: rpm-hub admin token create <userId> [--expires-in 90d]');
  });

  it('dead-letters list shows refused input, newest first, payloads only in JSON', async () => {
    const store = new FileDeadLetterStore(join(dir.path, 'dead-letters.jsonl'));
    for (const n of [1, 2]) {
      await store.add([{ at: `2026-03-0${n}T00:00:00.000Z`, gatewayId: 'home-0001', topic: 'rpm/v1/gw/home-0001/readings', reasonCode: 'invalid_json', reason: `bad ${n}`, payload: '{' }]);
    }
    await store.close();
    const run = await cli(dir.path, ['dead-letters', 'list', '--limit', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2026-03-02T00:00:00.000Z  home-0001  rpm/v1/gw/home-0001/readings  invalid_json  bad 2');
    expect(run.stdout).not.toContain('bad 1');
    expect(JSON.parse((await cli(dir.path, ['dead-letters', 'list', '--json'])).stdout)).toHaveLength(2);
  });

  it('with a hub holding the directory, commands go through its admin socket and the hub sees them at once', async () => {
    const paths = pglitePaths(dir.path);
    const db = await PgliteDb.open({ dataDir: paths.pgdata, lockFile: paths.lockFile });
    const hubRegistry = new SqlRegistry(db, { assignmentTtlMs: 3_600_000 });
    const at = new Date('2026-06-01T00:00:00Z');
    try {
      // Without the socket the CLI must not open the directory behind the hub's back.
      const locked = await cli(dir.path, ['patient', 'list']);
      expect(locked.code).toBe(1);
      expect(locked.stderr).toMatch(/^error: the PGlite data directory is in use by process \d+ .*does not answer on the admin socket/);

      const socket = await serveAdminSocket(paths.adminSocket, hubRegistry, pino({ level: 'silent' }));
      try {
        expect(await hubRegistry.resolvePatient('sn-NEW-1', undefined, at)).toBeUndefined(); // cached for an hour
        expect(await cli(dir.path, ['device', 'assign', 'sn-NEW-1', '--patient', 'p-1001', '--from', '2026-05-01T00:00:00Z'])).toMatchObject({ code: 0 });
        expect(await hubRegistry.resolvePatient('sn-NEW-1', undefined, at)).toBe('p-1001');
        const dup = await cli(dir.path, ['team', 'create', 'team-north', '--name', 'Again']);
        expect(dup).toMatchObject({ code: 1, stderr: 'error: care team team-north already exists\n' });
        // A read through the socket is logged by the hub's own database connection.
        const before = Date.now();
        expect(await cli(dir.path, ['patient', 'list', '--json'])).toMatchObject({ code: 0 });
        const logged = await new SqlAuditStore(db).query({ patientId: 'p-1001', from: new Date(before - 1000), limit: 10 });
        expect(logged.map((e) => [e.action, e.route, e.role, e.outcome])).toContainEqual(['patient.list', 'CLI patient list', 'admin', 'allowed']);
      } finally {
        await socket.close();
      }
    } finally {
      await db.close();
    }
  });

  it('quarantine: lists a device’s waiting readings and moves them to the patient it is assigned to', async () => {
    const influx = await freshInfluxDatabase('admin_cli');
    const reading = (id: string, measuredAt: string): Reading => ({
      id,
      kind: 'blood_pressure',
      device: { id: 'sn-LOST-1' },
      components: [
        { name: 'systolic', code: '8480-6', value: 150, unit: 'mm[Hg]' },
        { name: 'diastolic', code: '8462-4', value: 90, unit: 'mm[Hg]' },
      ],
      measuredAt,
      receivedAt: measuredAt,
      timeSource: 'device',
      clockSuspect: false,
      late: false,
    });
    await influx.write(
      [reading('r-1', '2026-04-01T08:00:00.000Z'), reading('r-2', '2026-04-02T08:00:00.000Z')].map((r) =>
        toLineProtocol({ reading: r, gatewayId: 'home-0001', patientId: undefined, implausible: false }),
      ),
    );
    const env = { INFLUX_URL: influxUrl(), INFLUX_DATABASE: influx.database };
    const listed = await cli(dir.path, ['quarantine', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('sn-LOST-1  home-0001  2      2026-04-01T08:00:00.000Z  2026-04-02T08:00:00.000Z  blood_pressure');

    const moved = await cli(dir.path, ['quarantine', 'assign', 'sn-LOST-1', '--patient', 'p-1001'], env);
    expect(moved).toMatchObject({ code: 0, stdout: 'device sn-LOST-1 → patient p-1001 from 2026-04-01T08:00:00.000Z; 2 reading(s) moved, 0 still unassigned\n' });
    const rows = await createReadingsRepository(influx).list({
      patientId: 'p-1001',
      kind: 'blood_pressure',
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2027-01-01T00:00:00Z'),
      limit: 10,
    });
    expect(rows.map((r) => r.id)).toEqual(['r-1', 'r-2']);
    expect((await cli(dir.path, ['quarantine', 'list'], env)).stdout).toBe('(none)\n');

    const noInflux = await cli(dir.path, ['quarantine', 'list'], { INFLUX_URL: '' });
    expect(noInflux.code).toBe(1);
    expect(noInflux.stderr).toContain("quarantine commands need the hub's InfluxDB settings");
  });

  it('every read of patient data through the CLI is in the audit log, with the operator as the user', async () => {
    const entries = await inspect(dir.path, (registry) => new SqlAuditStore(registry.db).query({ limit: 1000 }));
    const cliReads = entries.filter((e) => e.route.startsWith('CLI '));
    const seen = new Set(cliReads.map((e) => `${e.action} ${e.patientId ?? '-'}`));
    // From the tests above: patient list, device list, dead-letters list, quarantine list.
    for (const expected of ['patient.list p-1001', 'dead_letters.list -', 'unassigned.list -']) expect(seen).toContain(expected);
    for (const e of cliReads) {
      expect(e.userId).toMatch(/^cli:[A-Za-z0-9._-]+$/);
      expect(e).toMatchObject({ role: 'admin', outcome: 'allowed', status: 200 });
    }
  });

  it('rpm-hub serve runs on the PGlite directory and serves the admin socket; RPM_REGISTRY_FILE is refused', async () => {
    const influx = await freshInfluxDatabase('admin_serve');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      RPM_DATA_DIR: dir.path,
      INFLUX_URL: influxUrl(),
      INFLUX_DATABASE: influx.database,
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: '0',
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    };
    delete env.DATABASE_URL;
    delete env.RPM_SQL;
    const legacy = spawn(process.execPath, ['--import', 'tsx', 'bin/rpm-hub.ts', 'serve'], { env: { ...env, RPM_REGISTRY_FILE: '/etc/rpm-hub/registry.json' } });
    let legacyErr = '';
    legacy.stderr.on('data', (d: Buffer) => (legacyErr += d.toString()));
    expect(await new Promise((r) => legacy.once('close', r))).toBe(1);
    expect(legacyErr).toMatch(/^RPM_REGISTRY_FILE is no longer read: the registry is in SQL/);

    const hub = spawn(process.execPath, ['--import', 'tsx', 'bin/rpm-hub.ts', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    hub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => hub.once('close', r));
    try {
      await waitFor('rpm-hub running', () => (out.includes('"msg":"rpm-hub running"') ? true : undefined), 120_000, 200);
      // Through the running hub: it holds the directory, so this can only have gone over its socket.
      const created = await cli(dir.path, ['gateway', 'create', 'home-0777', '--json']);
      expect(created.code).toBe(0);
      const { secret } = JSON.parse(created.stdout) as { secret: string };
      const listed = await cli(dir.path, ['gateway', 'list', '--json']);
      expect((JSON.parse(listed.stdout) as { id: string }[]).map((g) => g.id)).toContain('home-0777');
      expect(out).not.toContain(secret); // no secret in the hub's log
    } finally {
      hub.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // A clean stop releases the directory: the CLI opens it itself again.
    expect((await cli(dir.path, ['team', 'list'])).code).toBe(0);
  });
});
