/**
 * The registry on SQL (PGlite or PostgreSQL): the directories the broker, ingest and API consult,
 * and the administrator's operations. See docs/registry.md.
 *
 * Hot paths: resolvePatient runs per reading and is served from a per-device cache of assignment
 * periods (assignment-cache.ts: cleared by this process's own assignment changes, otherwise at most
 * `assignmentTtlMs` old); verifyGatewaySecret runs per MQTT connection and costs one indexed
 * lookup for a known box (its verified proof), one scrypt (~50 ms, on purpose) otherwise; verifyToken runs per API request: one indexed lookup.
 */
import type { AuditEntry } from '../audit/audit-entry.js';
import { SqlAuditStore } from '../audit/sql-audit-store.js';
import type { SqlDb } from '../sql/sql-db.js';
import { AssignmentCache } from './assignment-cache.js';
import type {
  AssignDeviceInput,
  AssignmentRecord,
  CareTeamRecord,
  CreateCareTeamInput,
  CreateGatewayInput,
  CreatePatientInput,
  CreateTokenInput,
  CreateUserInput,
  GatewayRecord,
  PatientRecord,
  RegistryAdmin,
  TokenRecord,
  UnassignDeviceInput,
  UserRecord,
} from './registry-admin.js';
import type { DeviceDirectory, GatewayDirectory, PatientDirectory, PatientSummary, Principal, TokenDirectory } from './registry.js';
import { resolveAssignment, type AssignmentPeriod } from './resolve-assignment.js';
import { proofMatches, verifiedProof, verifySecret } from './secrets.js';
import * as devices from './sql-admin-devices.js';
import * as org from './sql-admin-org.js';
import * as tokens from './sql-admin-tokens.js';
import * as patients from './sql-patients.js';

export interface SqlRegistryOptions {
  /** How long another process's assignment change may go unseen by resolvePatient. Default 5 s. */
  readonly assignmentTtlMs?: number;
  readonly maxCachedDevices?: number;
  readonly now?: () => Date;
}

/**
 * Compared against when a gateway is unknown or revoked, so that the answer takes as long as for a
 * known one and the timing does not tell which gateway ids exist. (The hash of a random secret.)
 */
const DUMMY_HASH = 'scrypt$16384$8$1$MG_gXQ03ZdYoL3u-WOx6CA$OGCuJStB77-WqYvucTXfhnnBhbMkCY0pLQOcw3UvNjA';

export class SqlRegistry implements GatewayDirectory, DeviceDirectory, PatientDirectory, TokenDirectory, RegistryAdmin {
  private readonly cache: AssignmentCache;
  private readonly now: () => Date;

  constructor(
    readonly db: SqlDb,
    options: SqlRegistryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.cache = new AssignmentCache((deviceId) => devices.loadAssignmentPeriods(this.db, deviceId), {
      ttlMs: options.assignmentTtlMs ?? 5_000,
      maxDevices: options.maxCachedDevices ?? 50_000,
      now: () => this.now().getTime(),
    });
  }

  // --- directories -------------------------------------------------------------------------

  /**
   * A known box whose secret matched before (on any hub, before any restart) is let in from the
   * proof kept beside its hash: no scrypt (secrets.ts verifiedProof). Otherwise scrypt, and a match
   * stores the proof, conditioned on the hash it was made with (a rotation meanwhile wins). Revoked
   * and rotated secrets are refused at the next connect: the proof is read with the hash and the
   * revocation mark, and both clear it.
   */
  async verifyGatewaySecret(gatewayId: string, secret: string): Promise<boolean> {
    const rows = await this.db.query<{ secret_hash: string; verified_proof: string | null }>('SELECT secret_hash, verified_proof FROM gateways WHERE id = $1 AND revoked_at IS NULL', [
      gatewayId,
    ]);
    const row = rows[0];
    if (row?.verified_proof && proofMatches(row.verified_proof, row.secret_hash, secret)) return true;
    const ok = await verifySecret(secret, row?.secret_hash ?? DUMMY_HASH);
    if (!ok || !row) return false;
    // Best effort: without it the next connect after a restart pays one scrypt, nothing worse.
    await this.db
      .query('UPDATE gateways SET verified_proof = $3 WHERE id = $1 AND secret_hash = $2 AND revoked_at IS NULL', [gatewayId, row.secret_hash, verifiedProof(row.secret_hash, secret)])
      .catch(() => undefined);
    return true;
  }

  async resolvePatient(deviceId: string, userIndex: number | undefined, at: Date): Promise<string | undefined> {
    return resolveAssignment(await this.cache.get(deviceId), userIndex, at.getTime());
  }

  knownAssignments(deviceId: string): readonly AssignmentPeriod[] | undefined {
    return this.cache.peek(deviceId);
  }

  async getPatient(patientId: string): Promise<PatientSummary | undefined> {
    const record = await patients.getPatientRecord(this.db, patientId);
    if (!record) return undefined;
    return {
      id: record.id,
      careTeamId: record.careTeamId,
      displayName: record.displayName,
      conditionGroups: record.conditionGroups,
      hypercapnic: record.hypercapnic,
      timeZone: record.timeZone,
    };
  }

  verifyToken(token: string): Promise<Principal | undefined> {
    return tokens.verifyToken(this.db, token, this.now());
  }

  // --- administration ----------------------------------------------------------------------

  createGateway(input: CreateGatewayInput): Promise<GatewayRecord & { secret: string }> {
    return org.createGateway(this.db, input);
  }
  rotateGatewaySecret(gatewayId: string): Promise<GatewayRecord & { secret: string }> {
    return org.rotateGatewaySecret(this.db, gatewayId);
  }
  revokeGateway(gatewayId: string): Promise<GatewayRecord> {
    return org.revokeGateway(this.db, gatewayId, this.now());
  }
  listGateways(): Promise<GatewayRecord[]> {
    return org.listGateways(this.db);
  }
  createCareTeam(input: CreateCareTeamInput): Promise<CareTeamRecord> {
    return org.createCareTeam(this.db, input);
  }
  listCareTeams(): Promise<CareTeamRecord[]> {
    return org.listCareTeams(this.db);
  }
  createPatient(input: CreatePatientInput): Promise<PatientRecord> {
    return patients.createPatient(this.db, input);
  }
  listPatients(filter: { careTeamId?: string } = {}): Promise<PatientRecord[]> {
    return patients.listPatients(this.db, filter.careTeamId === undefined ? 'all' : [filter.careTeamId]);
  }
  async assignDevice(input: AssignDeviceInput): Promise<AssignmentRecord> {
    try {
      return await devices.assignDevice(this.db, input, this.now());
    } finally {
      this.cache.clear();
    }
  }
  async unassignDevice(input: UnassignDeviceInput): Promise<AssignmentRecord> {
    try {
      return await devices.unassignDevice(this.db, input, this.now());
    } finally {
      this.cache.clear();
    }
  }
  listAssignments(filter?: { deviceId?: string; patientId?: string }): Promise<AssignmentRecord[]> {
    return devices.listAssignments(this.db, filter);
  }
  createUser(input: CreateUserInput): Promise<UserRecord> {
    return org.createUser(this.db, input);
  }
  addUserToTeam(input: { userId: string; careTeamId: string }): Promise<UserRecord> {
    return org.addUserToTeam(this.db, input);
  }
  listUsers(): Promise<UserRecord[]> {
    return org.listUsers(this.db);
  }
  createToken(input: CreateTokenInput): Promise<TokenRecord & { token: string }> {
    return tokens.createToken(this.db, input, this.now());
  }
  revokeToken(tokenId: string): Promise<TokenRecord> {
    return tokens.revokeToken(this.db, tokenId, this.now());
  }
  listTokens(filter?: { userId?: string }): Promise<TokenRecord[]> {
    return tokens.listTokens(this.db, filter);
  }

  recordAccess(entries: readonly AuditEntry[]): Promise<void> {
    return new SqlAuditStore(this.db).append(entries);
  }
}
