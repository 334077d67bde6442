/** Admin operations on the organisation: gateways (and their sites), care teams, patients, users. */
import { SQLSTATE, sqlErrorInfo, type SqlDb } from '../sql/sql-db.js';
import {
  CreateCareTeamInput,
  CreateGatewayInput,
  CreateUserInput,
  LocalId,
  RegistryError,
  TopicId,
  parseField,
  parseInput,
  type CareTeamRecord,
  type GatewayRecord,
  type UserRecord,
} from './registry-admin.js';
import { hashSecret, newSecret } from './secrets.js';
import {
  GATEWAY_COLUMNS,
  USER_SELECT,
  careTeamRecord,
  gatewayRecord,
  userRecord,
  type CareTeamRow,
  type GatewayRow,
  type UserRow,
} from './sql-rows.js';

/** Turns a unique violation into "already exists" for the record being created. */
export async function insertOnce<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (sqlErrorInfo(err).code === SQLSTATE.uniqueViolation) throw new RegistryError('duplicate', `${what} already exists`);
    throw err;
  }
}

export async function requireRow(db: SqlDb, table: 'care_teams' | 'patients' | 'users' | 'gateways', id: string, what: string): Promise<void> {
  const rows = await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
  if (rows.length === 0) throw new RegistryError('not_found', `no ${what} ${id}`);
}

export async function createGateway(db: SqlDb, raw: CreateGatewayInput): Promise<GatewayRecord & { secret: string }> {
  const input = parseInput(CreateGatewayInput, raw);
  const secret = newSecret('gw');
  const hash = await hashSecret(secret);
  const row = await db.transaction(async (tx) => {
    // Sites exist to group gateways (a municipality, a care home); naming one creates it.
    if (input.siteId) {
      await tx.query('INSERT INTO sites (id, display_name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [input.siteId]);
    }
    const rows = await insertOnce(`gateway ${input.id}`, () =>
      tx.query<GatewayRow>(`INSERT INTO gateways (id, site_id, secret_hash) VALUES ($1, $2, $3) RETURNING ${GATEWAY_COLUMNS}`, [
        input.id,
        input.siteId ?? null,
        hash,
      ]),
    );
    return rows[0];
  });
  if (!row) throw new Error('INSERT … RETURNING returned no row');
  return { ...gatewayRecord(row), secret };
}

export async function rotateGatewaySecret(db: SqlDb, gatewayId: string): Promise<GatewayRecord & { secret: string }> {
  const id = parseField('gatewayId', TopicId, gatewayId);
  const secret = newSecret('gw');
  const hash = await hashSecret(secret);
  const rows = await db.query<GatewayRow>(`UPDATE gateways SET secret_hash = $2, verified_proof = NULL WHERE id = $1 AND revoked_at IS NULL RETURNING ${GATEWAY_COLUMNS}`, [id, hash]);
  const row = rows[0];
  if (!row) {
    await requireRow(db, 'gateways', id, 'gateway');
    throw new RegistryError('conflict', `gateway ${id} is revoked; create a new gateway instead`);
  }
  return { ...gatewayRecord(row), secret };
}

/** Idempotent: revoking a revoked gateway keeps the first revocation time. */
export async function revokeGateway(db: SqlDb, gatewayId: string, now: Date): Promise<GatewayRecord> {
  const id = parseField('gatewayId', TopicId, gatewayId);
  const rows = await db.query<GatewayRow>(`UPDATE gateways SET revoked_at = coalesce(revoked_at, $2), verified_proof = NULL WHERE id = $1 RETURNING ${GATEWAY_COLUMNS}`, [
    id,
    now.toISOString(),
  ]);
  const row = rows[0];
  if (!row) throw new RegistryError('not_found', `no gateway ${id}`);
  return gatewayRecord(row);
}

export async function listGateways(db: SqlDb): Promise<GatewayRecord[]> {
  return (await db.query<GatewayRow>(`SELECT ${GATEWAY_COLUMNS} FROM gateways ORDER BY id`)).map(gatewayRecord);
}

export async function createCareTeam(db: SqlDb, raw: CreateCareTeamInput): Promise<CareTeamRecord> {
  const input = parseInput(CreateCareTeamInput, raw);
  const rows = await insertOnce(`care team ${input.id}`, () =>
    db.query<CareTeamRow>('INSERT INTO care_teams (id, display_name) VALUES ($1, $2) RETURNING id, display_name, created_at', [input.id, input.displayName]),
  );
  return careTeamRecord(rows[0] as CareTeamRow);
}

export async function listCareTeams(db: SqlDb): Promise<CareTeamRecord[]> {
  return (await db.query<CareTeamRow>('SELECT id, display_name, created_at FROM care_teams ORDER BY id')).map(careTeamRecord);
}

async function getUser(db: SqlDb, id: string): Promise<UserRecord> {
  const row = (await db.query<UserRow>(`${USER_SELECT} WHERE u.id = $1`, [id]))[0];
  if (!row) throw new RegistryError('not_found', `no user ${id}`);
  return userRecord(row);
}

export async function createUser(db: SqlDb, raw: CreateUserInput): Promise<UserRecord> {
  const input = parseInput(CreateUserInput, raw);
  return db.transaction(async (tx) => {
    for (const team of input.careTeamIds) await requireRow(tx, 'care_teams', team, 'care team');
    await insertOnce(`user ${input.id}`, () =>
      tx.query('INSERT INTO users (id, display_name, role) VALUES ($1, $2, $3)', [input.id, input.displayName, input.role]),
    );
    for (const team of new Set(input.careTeamIds)) {
      await tx.query('INSERT INTO care_team_members (care_team_id, user_id) VALUES ($1, $2)', [team, input.id]);
    }
    return getUser(tx, input.id);
  });
}

/** Idempotent: adding a member twice leaves one membership. */
export async function addUserToTeam(db: SqlDb, raw: { userId: string; careTeamId: string }): Promise<UserRecord> {
  const userId = parseField('userId', LocalId, raw.userId);
  const careTeamId = parseField('careTeamId', TopicId, raw.careTeamId);
  return db.transaction(async (tx) => {
    await requireRow(tx, 'users', userId, 'user');
    await requireRow(tx, 'care_teams', careTeamId, 'care team');
    await tx.query('INSERT INTO care_team_members (care_team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [careTeamId, userId]);
    return getUser(tx, userId);
  });
}

export async function listUsers(db: SqlDb): Promise<UserRecord[]> {
  return (await db.query<UserRow>(`${USER_SELECT} ORDER BY u.id`)).map(userRecord);
}
