/**
 * The commands of `rpm-hub admin`, as a table: path, usage, options, and what each does with the
 * registry (RegistryAdmin), InfluxDB (quarantine) or the dead-letter file. bin/hub-admin.ts parses,
 * connects and prints; this file holds no I/O of its own.
 */
import type { ParseArgsConfig } from 'node:util';
import type { DeadLetter } from '../hub/dead-letters/dead-letter-store.js';
import { assignAndMoveReadings, moveQuarantinedReadings } from '../hub/registry/device-assigner.js';
import { RegistryError, type RegistryAdmin } from '../hub/registry/registry-admin.js';
import type { InfluxV1Client } from '../hub/storage/influx-v1.js';
import type { UnassignedDevice } from '../hub/storage/unassigned-inbox.js';

export interface AdminDeps {
  registry(): Promise<RegistryAdmin>;
  influx(): InfluxV1Client;
  unassigned(): Promise<UnassignedDevice[]>;
  deadLetters(limit: number): Promise<DeadLetter[]>;
  /**
   * Records a read of patient data in the audit log before it is shown (one entry per patient, or
   * one with no patient for data of nobody known yet). Rejects when the log cannot take it; then
   * nothing is printed, as the API withholds data it cannot log.
   */
  recordRead(action: string, patientIds: readonly (string | null)[]): Promise<void>;
}

/** One entry per patient concerned; one without a patient when the rows name none. */
function patientsOf(rows: readonly { readonly patientId?: string | null; readonly id?: string }[], key: 'patientId' | 'id'): (string | null)[] {
  const ids = [...new Set(rows.map((r) => r[key]).filter((id): id is string => typeof id === 'string'))];
  return ids.length > 0 ? ids : [null];
}

export type Values = Record<string, string | boolean | undefined>;

/** What a command produced: rows for a table (or --json), a one-line message, a secret to show once. */
export interface Output {
  readonly json: unknown;
  readonly table?: { readonly columns: readonly string[]; readonly rows: readonly Record<string, unknown>[] };
  readonly message?: string;
  /** Printed once, with a warning; never logged. */
  readonly secret?: { readonly label: string; readonly value: string };
}

export interface Command {
  readonly path: readonly [string, string];
  readonly args: readonly string[];
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(deps: AdminDeps, args: Record<string, string>, values: Values): Promise<Output>;
}

const str = (values: Values, name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);

function required(values: Values, name: string): string {
  const v = str(values, name);
  if (v === undefined) throw new RegistryError('invalid', `--${name} is required`);
  return v;
}

function int(values: Values, name: string): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new RegistryError('invalid', `--${name}: expected a whole number, got "${v}"`);
  return Number(v);
}

/** 90d, 12h, 30m → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)([mhd])$/.exec(text);
  if (!m?.[1] || !m[2]) throw new RegistryError('invalid', `--expires-in: expected a duration such as 90d, 12h or 30m, got "${text}"`);
  return Number(m[1]) * { m: 60, h: 3600, d: 86400 }[m[2] as 'm' | 'h' | 'd'];
}

const list = (text: string | undefined): string[] => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : []);
const table = <T extends object>(columns: readonly string[], rows: readonly T[]): Output => ({
  json: rows,
  table: { columns, rows: rows as unknown as Record<string, unknown>[] },
});

const GATEWAY_COLUMNS = ['id', 'siteId', 'createdAt', 'revokedAt'];
const PATIENT_COLUMNS = ['id', 'careTeamId', 'displayName', 'conditionGroups', 'hypercapnic', 'timeZone'];
const ASSIGNMENT_COLUMNS = ['deviceId', 'userIndex', 'patientId', 'validFrom', 'validTo'];
const USER_COLUMNS = ['id', 'displayName', 'role', 'careTeamIds'];
const TOKEN_COLUMNS = ['id', 'userId', 'createdAt', 'expiresAt', 'revokedAt', 'lastUsedAt'];

export const COMMANDS: readonly Command[] = [
  {
    path: ['gateway', 'create'],
    args: ['id'],
    summary: 'register a gateway and print its secret (shown once)',
    usage: 'gateway create <id> [--site SITE]',
    options: { site: { type: 'string' } },
    async run(deps, { id }, values) {
      const site = str(values, 'site');
      const gw = await (await deps.registry()).createGateway({ id: id ?? '', ...(site && { siteId: site }) });
      const { secret, ...record } = gw;
      return { json: gw, message: `gateway ${gw.id} created`, secret: { label: 'gateway secret', value: secret }, table: { columns: GATEWAY_COLUMNS, rows: [record] } };
    },
  },
  {
    path: ['gateway', 'rotate'],
    args: ['id'],
    summary: 'give a gateway a new secret (shown once); the old one stops working',
    usage: 'gateway rotate <id>',
    options: {},
    async run(deps, { id }) {
      const gw = await (await deps.registry()).rotateGatewaySecret(id ?? '');
      return { json: gw, message: `gateway ${gw.id} has a new secret`, secret: { label: 'gateway secret', value: gw.secret } };
    },
  },
  {
    path: ['gateway', 'revoke'],
    args: ['id'],
    summary: 'revoke a gateway: it can no longer connect',
    usage: 'gateway revoke <id>',
    options: {},
    async run(deps, { id }) {
      const gw = await (await deps.registry()).revokeGateway(id ?? '');
      return { json: gw, message: `gateway ${gw.id} revoked at ${gw.revokedAt ?? '?'}` };
    },
  },
  {
    path: ['gateway', 'list'],
    args: [],
    summary: 'list gateways',
    usage: 'gateway list',
    options: {},
    run: async (deps) => table(GATEWAY_COLUMNS, await (await deps.registry()).listGateways()),
  },
  {
    path: ['team', 'create'],
    args: ['id'],
    summary: 'create a care team',
    usage: 'team create <id> --name NAME',
    options: { name: { type: 'string' } },
    async run(deps, { id }, values) {
      const team = await (await deps.registry()).createCareTeam({ id: id ?? '', displayName: required(values, 'name') });
      return { json: team, message: `care team ${team.id} created` };
    },
  },
  {
    path: ['team', 'list'],
    args: [],
    summary: 'list care teams',
    usage: 'team list',
    options: {},
    run: async (deps) => table(['id', 'displayName', 'createdAt'], await (await deps.registry()).listCareTeams()),
  },
  {
    path: ['patient', 'create'],
    args: ['id'],
    summary: 'create a patient in a care team (display name only: no identity numbers)',
    usage: 'patient create <id> --team TEAM --name NAME [--condition copd,heart_failure,hypertension,diabetes] [--hypercapnic] [--time-zone ZONE]',
    options: { team: { type: 'string' }, name: { type: 'string' }, condition: { type: 'string' }, hypercapnic: { type: 'boolean' }, 'time-zone': { type: 'string' } },
    async run(deps, { id }, values) {
      const tz = str(values, 'time-zone');
      const patient = await (
        await deps.registry()
      ).createPatient({
        id: id ?? '',
        careTeamId: required(values, 'team'),
        displayName: required(values, 'name'),
        conditionGroups: list(str(values, 'condition')) as ['copd'],
        hypercapnic: values.hypercapnic === true,
        ...(tz && { timeZone: tz }),
      });
      return { json: patient, message: `patient ${patient.id} created in care team ${patient.careTeamId}` };
    },
  },
  {
    path: ['patient', 'list'],
    args: [],
    summary: 'list patients',
    usage: 'patient list [--team TEAM]',
    options: { team: { type: 'string' } },
    async run(deps, _args, values) {
      const team = str(values, 'team');
      const patients = await (await deps.registry()).listPatients(team ? { careTeamId: team } : {});
      await deps.recordRead('patient.list', patientsOf(patients, 'id'));
      return table(PATIENT_COLUMNS, patients);
    },
  },
  {
    path: ['device', 'assign'],
    args: ['deviceId'],
    summary: 'assign a device (and user index) to a patient from a time on; ends the previous assignment there',
    usage: 'device assign <deviceId> --patient PATIENT [--user-index N] [--from ISO] [--to ISO]',
    options: { patient: { type: 'string' }, 'user-index': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    async run(deps, { deviceId }, values) {
      const userIndex = int(values, 'user-index');
      const from = str(values, 'from');
      const to = str(values, 'to');
      const a = await (
        await deps.registry()
      ).assignDevice({ deviceId: deviceId ?? '', patientId: required(values, 'patient'), ...(userIndex !== undefined && { userIndex }), ...(from && { from }), ...(to && { to }) });
      return { json: a, message: `device ${a.deviceId}${a.userIndex === null ? '' : ` user ${a.userIndex}`} → patient ${a.patientId} from ${a.validFrom}${a.validTo ? ` to ${a.validTo}` : ''}` };
    },
  },
  {
    path: ['device', 'unassign'],
    args: ['deviceId'],
    summary: 'end the open assignment of a device (and user index)',
    usage: 'device unassign <deviceId> [--user-index N] [--at ISO]',
    options: { 'user-index': { type: 'string' }, at: { type: 'string' } },
    async run(deps, { deviceId }, values) {
      const userIndex = int(values, 'user-index');
      const at = str(values, 'at');
      const a = await (await deps.registry()).unassignDevice({ deviceId: deviceId ?? '', ...(userIndex !== undefined && { userIndex }), ...(at && { at }) });
      return { json: a, message: `device ${a.deviceId} no longer assigned to patient ${a.patientId} from ${a.validTo ?? '?'}` };
    },
  },
  {
    path: ['device', 'list'],
    args: [],
    summary: 'list device assignments',
    usage: 'device list [--device DEVICE] [--patient PATIENT]',
    options: { device: { type: 'string' }, patient: { type: 'string' } },
    async run(deps, _args, values) {
      const device = str(values, 'device');
      const patient = str(values, 'patient');
      const assignments = await (await deps.registry()).listAssignments({ ...(device && { deviceId: device }), ...(patient && { patientId: patient }) });
      await deps.recordRead('assignment.list', patientsOf(assignments, 'patientId'));
      return table(ASSIGNMENT_COLUMNS, assignments);
    },
  },
  {
    path: ['user', 'create'],
    args: ['id'],
    summary: 'create an API user (admin, clinician or carer)',
    usage: 'user create <id> --role admin|clinician|carer --name NAME [--team TEAM[,TEAM]]',
    options: { role: { type: 'string' }, name: { type: 'string' }, team: { type: 'string' } },
    async run(deps, { id }, values) {
      const user = await (
        await deps.registry()
      ).createUser({ id: id ?? '', role: required(values, 'role') as 'admin', displayName: required(values, 'name'), careTeamIds: list(str(values, 'team')) });
      return { json: user, message: `user ${user.id} (${user.role}) created${user.careTeamIds.length ? ` in ${user.careTeamIds.join(', ')}` : ''}` };
    },
  },
  {
    path: ['user', 'add-team'],
    args: ['id'],
    summary: 'add a user to a care team',
    usage: 'user add-team <id> --team TEAM',
    options: { team: { type: 'string' } },
    async run(deps, { id }, values) {
      const user = await (await deps.registry()).addUserToTeam({ userId: id ?? '', careTeamId: required(values, 'team') });
      return { json: user, message: `user ${user.id} is in ${user.careTeamIds.join(', ')}` };
    },
  },
  {
    path: ['user', 'list'],
    args: [],
    summary: 'list users',
    usage: 'user list',
    options: {},
    run: async (deps) => table(USER_COLUMNS, await (await deps.registry()).listUsers()),
  },
  {
    path: ['token', 'create'],
    args: ['userId'],
    summary: 'create an API token for a user and print it (shown once)',
    usage: 'token create <userId> [--expires-in 90d]',
    options: { 'expires-in': { type: 'string', default: '90d' } },
    async run(deps, { userId }, values) {
      const t = await (await deps.registry()).createToken({ userId: userId ?? '', expiresInSeconds: parseDuration(str(values, 'expires-in') ?? '90d') });
      return { json: t, message: `token ${t.id} for ${t.userId}, expires ${t.expiresAt}`, secret: { label: 'API token', value: t.token } };
    },
  },
  {
    path: ['token', 'revoke'],
    args: ['tokenId'],
    summary: 'revoke an API token (by its id, tk_…, from token list)',
    usage: 'token revoke <tokenId>',
    options: {},
    async run(deps, { tokenId }) {
      const t = await (await deps.registry()).revokeToken(tokenId ?? '');
      return { json: t, message: `token ${t.id} revoked at ${t.revokedAt ?? '?'}` };
    },
  },
  {
    path: ['token', 'list'],
    args: [],
    summary: 'list API tokens (ids and dates; tokens themselves are not stored)',
    usage: 'token list [--user USER]',
    options: { user: { type: 'string' } },
    async run(deps, _args, values) {
      const user = str(values, 'user');
      return table(TOKEN_COLUMNS, await (await deps.registry()).listTokens(user ? { userId: user } : {}));
    },
  },
  {
    path: ['dead-letters', 'list'],
    args: [],
    summary: 'list refused MQTT input, newest first (payloads only with --json)',
    usage: 'dead-letters list [--limit N]',
    options: { limit: { type: 'string', default: '20' } },
    async run(deps, _args, values) {
      const letters = await deps.deadLetters(int(values, 'limit') ?? 20);
      // Refused payloads can hold readings of patients the hub could not name.
      await deps.recordRead('dead_letters.list', [null]);
      return { json: letters, table: { columns: ['at', 'gatewayId', 'topic', 'reasonCode', 'reason'], rows: letters as unknown as Record<string, unknown>[] } };
    },
  },
  {
    path: ['quarantine', 'list'],
    args: [],
    summary: 'list readings of unassigned devices waiting in InfluxDB, per device and gateway',
    usage: 'quarantine list',
    options: {},
    async run(deps) {
      const devices = await deps.unassigned();
      await deps.recordRead('unassigned.list', [null]);
      return table(['deviceId', 'gatewayId', 'count', 'firstMeasuredAt', 'lastMeasuredAt', 'kinds'], devices);
    },
  },
  {
    path: ['quarantine', 'assign'],
    args: ['deviceId'],
    summary: 'assign a device and move its waiting readings to the patient (from its first waiting reading unless --from)',
    usage: 'quarantine assign <deviceId> --patient PATIENT [--user-index N] [--from ISO]',
    options: { patient: { type: 'string' }, 'user-index': { type: 'string' }, from: { type: 'string' } },
    async run(deps, { deviceId }, values) {
      const userIndex = int(values, 'user-index');
      const from = str(values, 'from');
      const result = await assignAndMoveReadings(await deps.registry(), deps.influx(), {
        deviceId: deviceId ?? '',
        patientId: required(values, 'patient'),
        ...(userIndex !== undefined && { userIndex }),
        ...(from && { from }),
      });
      const a = result.assignment;
      return {
        json: result,
        message: `device ${a.deviceId} → patient ${a.patientId} from ${a.validFrom}; ${result.moved} reading(s) moved, ${result.stillUnassigned} still unassigned`,
      };
    },
  },
  {
    path: ['quarantine', 'move'],
    args: ['deviceId'],
    summary: 'move waiting readings of a device by its current assignments again (safe to repeat)',
    usage: 'quarantine move <deviceId>',
    options: {},
    async run(deps, { deviceId }) {
      const result = await moveQuarantinedReadings(await deps.registry(), deps.influx(), deviceId ?? '');
      return { json: result, message: `${result.moved} reading(s) moved, ${result.stillUnassigned} still unassigned` };
    },
  },
];
