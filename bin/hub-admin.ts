/**
 * `rpm-hub admin <group> <action>`: the administrator's command line for the registry (gateways,
 * care teams, patients, device assignments, users, tokens), the dead letters and the quarantine of
 * unassigned readings. Tables for people, `--json` for scripts. Exit code 1 with one clear line on
 * any bad input. Secrets and tokens are printed once, to stdout only, and never logged.
 *
 * Where the registry is: DATABASE_URL (PostgreSQL), else PGlite in RPM_DATA_DIR/sql/ — through the
 * running hub's admin socket when a hub holds it, else opened directly (see docs/registry.md).
 */
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { influxAuthFrom, parseHubEnv, parseSqlEnv, type SqlEnv } from '../hub/config.js';
import type { AuditEntry } from '../hub/audit/audit-entry.js';
import { newAuditId } from '../hub/audit/audit-trail.js';
import { FileDeadLetterStore } from '../hub/dead-letters/dead-letter-store.js';
import { adminSocketAvailable, remoteRegistryAdmin } from '../hub/registry/admin-socket.js';
import type { RegistryAdmin } from '../hub/registry/registry-admin.js';
import { SqlRegistry } from '../hub/registry/sql-registry.js';
import { DirectoryLockedError } from '../hub/sql/dir-lock.js';
import { openSqlDb, pglitePaths } from '../hub/sql/open-sql.js';
import { InfluxV1Client } from '../hub/storage/influx-v1.js';
import { listUnassignedDevices } from '../hub/storage/unassigned-inbox.js';
import { COMMANDS, type AdminDeps, type Command, type Output } from './hub-admin-commands.js';

class UsageError extends Error {}

function overview(): string {
  const groups = [...new Set(COMMANDS.map((c) => c.path[0]))];
  const lines = groups.flatMap((g) => COMMANDS.filter((c) => c.path[0] === g).map((c) => `  ${c.usage.padEnd(58)} ${c.summary}`));
  return `rpm-hub admin — manage the hub's registry

Usage: rpm-hub admin <command> [options] [--json]

Commands:
${lines.join('\n')}

Every command takes --help, and --json to print JSON instead of a table.

Where the registry is:
  DATABASE_URL   a PostgreSQL server (postgres://user:password@host:5432/db)
  RPM_DATA_DIR   otherwise the embedded PGlite database in RPM_DATA_DIR/sql/ (default ./data/hub);
                 while a hub runs on it, commands go through the hub's admin socket there
  INFLUX_URL …   quarantine commands also need the hub's InfluxDB settings
See docs/registry.md.
`;
}

const commandHelp = (c: Command): string => `Usage: rpm-hub admin ${c.usage} [--json]\n\n${c.summary}\n`;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.length ? value.join(',') : '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function renderTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: readonly string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return `${[line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`;
}

function print(output: Output, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(output.json, null, 2)}\n`);
    return;
  }
  if (output.message) process.stdout.write(`${output.message}\n`);
  if (output.secret) {
    process.stdout.write(`\n  ${output.secret.label}: ${output.secret.value}\n\n  Shown only now: it is stored as a hash and cannot be displayed again.\n`);
  }
  if (output.table && !output.secret) process.stdout.write(renderTable(output.table.columns, output.table.rows));
}

interface Connection {
  readonly admin: RegistryAdmin;
  close(): Promise<void>;
}

async function connectRegistry(env: SqlEnv): Promise<Connection> {
  if (env.RPM_SQL === 'pglite') {
    const paths = pglitePaths(env.RPM_DATA_DIR);
    if (await adminSocketAvailable(paths.adminSocket)) return { admin: remoteRegistryAdmin(paths.adminSocket), close: async () => undefined };
  }
  try {
    const { db } = await openSqlDb({ backend: env.RPM_SQL, dataDir: env.RPM_DATA_DIR, databaseUrl: env.DATABASE_URL });
    return { admin: new SqlRegistry(db), close: () => db.close() };
  } catch (err) {
    if (err instanceof DirectoryLockedError) {
      throw new Error(`${err.message}, which does not answer on the admin socket; stop it or wait for it to finish`, { cause: err });
    }
    throw err;
  }
}

function influxFromEnv(): InfluxV1Client {
  const parsed = parseHubEnv(process.env);
  if (!parsed.ok) throw new Error(`quarantine commands need the hub's InfluxDB settings: ${parsed.message}`);
  const env = parsed.config;
  return new InfluxV1Client({
    url: env.INFLUX_URL,
    database: env.INFLUX_DATABASE,
    ...(env.INFLUX_RETENTION_POLICY && { retentionPolicy: env.INFLUX_RETENTION_POLICY }),
    auth: influxAuthFrom(env),
  });
}

type Parsed = { kind: 'help'; text: string } | { kind: 'run'; command: Command; args: Record<string, string>; values: Record<string, string | boolean | undefined> };

function parseCommand(argv: readonly string[]): Parsed {
  const [group, action] = argv;
  if (!group || group === '--help' || group === '-h' || group === 'help') return { kind: 'help', text: overview() };
  const command = COMMANDS.find((c) => c.path[0] === group && c.path[1] === action);
  if (!command) throw new UsageError(`unknown command "${[group, action].filter(Boolean).join(' ')}"`);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(2),
      allowPositionals: true,
      strict: true,
      options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${commandHelp(command)}`);
  }
  if (parsed.values.help) return { kind: 'help', text: commandHelp(command) };
  if (parsed.positionals.length !== command.args.length) {
    const expected = command.args.length ? command.args.map((a) => `<${a}>`).join(' ') : 'no arguments';
    throw new UsageError(`expected ${expected}\n\n${commandHelp(command)}`);
  }
  const args = Object.fromEntries(command.args.map((name, i) => [name, parsed.positionals[i] ?? '']));
  return { kind: 'run', command, args, values: parsed.values };
}

/**
 * Access-log entries for a read through this CLI: the operator is the OS user who ran it (the
 * registry's own users are API users), with the admin role the CLI exercises.
 */
export function cliAuditEntries(command: Command, action: string, patientIds: readonly (string | null)[]): AuditEntry[] {
  const at = new Date();
  const user = `cli:${safeUserName()}`;
  const requestId = newAuditId(at.getTime());
  return patientIds.map((patientId) => ({
    id: newAuditId(at.getTime()),
    at: at.toISOString(),
    userId: user,
    role: 'admin',
    action,
    route: `CLI ${command.path.join(' ')}`,
    patientId,
    address: `local:${hostname()}`.slice(0, 128),
    outcome: 'allowed',
    status: 200,
    requestId,
  }));
}

function safeUserName(): string {
  try {
    return userInfo().username.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || `uid-${process.getuid?.() ?? 'unknown'}`;
  } catch {
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

/** Runs one admin command; resolves to the process exit code. */
export async function runAdmin(argv: readonly string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseCommand(argv);
  } catch (err) {
    const message = (err as Error).message;
    // An unknown command gets the list of commands; a known one with bad options already has its usage.
    process.stderr.write(`error: ${message}\n${err instanceof UsageError && !message.includes('Usage:') ? `\n${overview()}` : ''}`);
    return 1;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  const { command, args, values } = parsed;
  let connection: Connection | undefined;
  try {
    const env = parseSqlEnv(process.env);
    if (!env.ok) throw new Error(env.message);
    const deps: AdminDeps = {
      registry: async () => (connection ??= await connectRegistry(env.config)).admin,
      influx: influxFromEnv,
      unassigned: () => listUnassignedDevices(influxFromEnv()),
      deadLetters: (limit) => new FileDeadLetterStore(join(env.config.RPM_DATA_DIR, 'dead-letters.jsonl')).list(limit),
      recordRead: async (action, patientIds) =>
        (connection ??= await connectRegistry(env.config)).admin.recordAccess(cliAuditEntries(command, action, patientIds)),
    };
    print(await command.run(deps, args, values), values.json === true);
    return 0;
  } catch (err) {
    // RegistryErrors name the field or record to fix; others (database unreachable, …) say what failed.
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await connection?.close();
  }
}
