/**
 * API tokens: 256 random bits shown once, stored as SHA-256 (hub/registry/secrets.ts), always with
 * an expiry. Verified on every API request: one indexed lookup; last_used_at is written at most
 * once a minute per token so that reading the API does not turn into a write per request.
 */
import { randomBytes } from 'node:crypto';
import type { SqlDb } from '../sql/sql-db.js';
import { CreateTokenInput, LocalId, RegistryError, parseField, parseInput, type TokenRecord } from './registry-admin.js';
import type { Principal, Role } from './registry.js';
import { hashToken, newSecret } from './secrets.js';
import { requireRow } from './sql-admin-org.js';
import { TOKEN_COLUMNS, tokenRecord, type TokenRow } from './sql-rows.js';

const LAST_USED_RESOLUTION_MS = 60_000;

export async function createToken(db: SqlDb, raw: CreateTokenInput, now: Date): Promise<TokenRecord & { token: string }> {
  const input = parseInput(CreateTokenInput, raw);
  const token = newSecret('tok');
  const id = `tk_${randomBytes(8).toString('hex')}`;
  const expiresAt = new Date(now.getTime() + input.expiresInSeconds * 1000);
  return db.transaction(async (tx) => {
    await requireRow(tx, 'users', input.userId, 'user');
    const rows = await tx.query<TokenRow>(
      `INSERT INTO api_tokens (id, token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${TOKEN_COLUMNS}`,
      [id, hashToken(token), input.userId, now.toISOString(), expiresAt.toISOString()],
    );
    return { ...tokenRecord(rows[0] as TokenRow), token };
  });
}

/** Idempotent: revoking a revoked token keeps the first revocation time. */
export async function revokeToken(db: SqlDb, tokenId: string, now: Date): Promise<TokenRecord> {
  const rows = await db.query<TokenRow>(`UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING ${TOKEN_COLUMNS}`, [
    tokenId,
    now.toISOString(),
  ]);
  if (!rows[0]) throw new RegistryError('not_found', `no token ${tokenId}`);
  return tokenRecord(rows[0]);
}

export async function listTokens(db: SqlDb, filter: { userId?: string } = {}): Promise<TokenRecord[]> {
  const userId = filter.userId === undefined ? null : parseField('userId', LocalId, filter.userId);
  const rows = await db.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE ($1::text IS NULL OR user_id = $1) ORDER BY user_id, created_at`, [
    userId,
  ]);
  return rows.map(tokenRecord);
}

interface PrincipalRow {
  id: string;
  user_id: string;
  role: Role;
  care_team_ids: string[];
  expires_at: Date;
  last_used_at: Date | null;
}

export async function verifyToken(db: SqlDb, token: string, now: Date): Promise<Principal | undefined> {
  const rows = await db.query<PrincipalRow>(
    `SELECT t.id, t.user_id, u.role, t.expires_at, t.last_used_at,
       coalesce(array(SELECT m.care_team_id FROM care_team_members m WHERE m.user_id = u.id ORDER BY m.care_team_id), '{}') AS care_team_ids
     FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2`,
    [hashToken(token), now.toISOString()],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [row.id, now.toISOString()]);
  }
  return { userId: row.user_id, role: row.role, careTeamIds: row.care_team_ids, expiresAt: new Date(row.expires_at).toISOString() };
}
