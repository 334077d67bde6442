/**
 * Kiosk check-in in a community room (080_kiosk.sql). Three secrets, none stored in clear:
 * - a kiosk link (admin-made, one room, revocable): the kiosk page's address carries its token;
 * - a resident's check-in code, printed on their card by staff: proves who is at the kiosk without
 *   the screen ever listing residents;
 * - a kiosk session token, handed to the page at check-in: reads that one measurement session and
 *   checks it out, and is worth nothing once the session has ended.
 * The session itself is an ordinary measurement session (RoomSessions), so attribution, the one-
 * session-per-room rule and timeouts are exactly those of a staff check-in.
 */
import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { hashSecret, hashToken, newSecret, verifySecret } from '../registry/secrets.js';
import { SQLSTATE, sqlErrorInfo, type SqlDb } from '../sql/sql-db.js';
import { codeFromBytes, normaliseCode, splitCode } from './checkin-code.js';

export interface KioskLink {
  readonly id: string;
  readonly gatewayId: string;
  readonly label: string;
  /** Length of a check-in at this kiosk (1-30 minutes). */
  readonly sessionMinutes: number;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly revokedAt?: Date;
  readonly revokedBy?: string;
}

export interface KioskHold {
  readonly linkId: string;
  readonly sessionId: string;
}

interface LinkRow {
  id: string;
  gateway_id: string;
  label: string;
  session_minutes: number;
  created_by: string;
  created_at: Date | string;
  revoked_at: Date | string | null;
  revoked_by: string | null;
}

const LINK_COLUMNS = 'id, gateway_id, label, session_minutes, created_by, created_at, revoked_at, revoked_by';
const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const linkOf = (r: LinkRow): KioskLink => ({
  id: r.id,
  gatewayId: r.gateway_id,
  label: r.label,
  sessionMinutes: Number(r.session_minutes),
  createdBy: r.created_by,
  createdAt: date(r.created_at),
  ...(r.revoked_at !== null && { revokedAt: date(r.revoked_at) }),
  ...(r.revoked_by !== null && { revokedBy: r.revoked_by }),
});

/** Kiosk link and session tokens: 256-bit random, so SHA-256 at rest is enough (as API tokens). */
const KIOSK_TOKEN = /^rpmk_[A-Za-z0-9_-]{43}$/;
const SESSION_TOKEN = /^rpmks_[A-Za-z0-9_-]{43}$/;

export class KioskAccess {
  private readonly newId = monotonicFactory();

  constructor(
    private readonly db: SqlDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new kiosk link for a room; the token is returned once. */
  async createLink(input: { gatewayId: string; label: string; sessionMinutes?: number; createdBy: string }): Promise<KioskLink & { token: string }> {
    const token = newSecret('rpmk');
    const id = `kio_${this.newId(this.now().getTime())}`;
    const rows = await this.db.query<LinkRow>(
      `INSERT INTO kiosk_links (id, gateway_id, token_hash, label, session_minutes, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${LINK_COLUMNS}`,
      [id, input.gatewayId, hashToken(token), input.label, input.sessionMinutes ?? 10, input.createdBy, this.now().toISOString()],
    );
    return { ...linkOf(rows[0]!), token };
  }

  async listLinks(gatewayId: string): Promise<KioskLink[]> {
    const rows = await this.db.query<LinkRow>(`SELECT ${LINK_COLUMNS} FROM kiosk_links WHERE gateway_id = $1 ORDER BY created_at`, [gatewayId]);
    return rows.map(linkOf);
  }

  /** Revokes at once (the next request with its token is refused); revoking twice keeps the first time. */
  async revokeLink(input: { gatewayId: string; linkId: string; revokedBy: string }): Promise<KioskLink | undefined> {
    await this.db.query('UPDATE kiosk_links SET revoked_at = $3, revoked_by = $4 WHERE id = $1 AND gateway_id = $2 AND revoked_at IS NULL', [
      input.linkId,
      input.gatewayId,
      this.now().toISOString(),
      input.revokedBy,
    ]);
    const rows = await this.db.query<LinkRow>(`SELECT ${LINK_COLUMNS} FROM kiosk_links WHERE id = $1 AND gateway_id = $2`, [input.linkId, input.gatewayId]);
    return rows[0] && linkOf(rows[0]);
  }

  /** The link a token belongs to (revoked ones too: the caller says why it is refused). */
  async linkOfToken(token: string): Promise<KioskLink | undefined> {
    if (!KIOSK_TOKEN.test(token)) return undefined;
    const rows = await this.db.query<LinkRow>(`SELECT ${LINK_COLUMNS} FROM kiosk_links WHERE token_hash = $1`, [hashToken(token)]);
    return rows[0] && linkOf(rows[0]);
  }

  /** A new card code for a resident, replacing any earlier one; returned once, in canonical form. */
  async issueCode(input: { patientId: string; createdBy: string }): Promise<{ code: string; createdAt: Date }> {
    for (let attempt = 0; ; attempt++) {
      const code = codeFromBytes(randomBytes(12));
      const { id, secret } = splitCode(code);
      const at = this.now();
      try {
        await this.db.query(
          `INSERT INTO checkin_codes (patient_id, code_id, secret_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (patient_id) DO UPDATE SET code_id = EXCLUDED.code_id, secret_hash = EXCLUDED.secret_hash, created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at`,
          [input.patientId, id, await hashSecret(secret), input.createdBy, at.toISOString()],
        );
        return { code, createdAt: at };
      } catch (err) {
        // Another resident's card has these four characters: draw again (about one in a million per card).
        if (sqlErrorInfo(err).code === SQLSTATE.uniqueViolation && attempt < 5) continue;
        throw err;
      }
    }
  }

  /** The resident whose card carries this code, or undefined (malformed, unknown or wrong secret). */
  async patientOfCode(input: string): Promise<string | undefined> {
    const code = normaliseCode(input);
    if (!code) return undefined;
    const { id, secret } = splitCode(code);
    const rows = await this.db.query<{ patient_id: string; secret_hash: string }>('SELECT patient_id, secret_hash FROM checkin_codes WHERE code_id = $1', [id]);
    const row = rows[0];
    if (!row) return undefined;
    return (await verifySecret(secret, row.secret_hash)) ? row.patient_id : undefined;
  }

  /** The kiosk page's token for the session it opened; returned once. */
  async hold(input: KioskHold): Promise<string> {
    const token = newSecret('rpmks');
    await this.db.query('INSERT INTO kiosk_sessions (token_hash, link_id, session_id, created_at) VALUES ($1, $2, $3, $4)', [
      hashToken(token),
      input.linkId,
      input.sessionId,
      this.now().toISOString(),
    ]);
    return token;
  }

  async held(token: string): Promise<KioskHold | undefined> {
    if (!SESSION_TOKEN.test(token)) return undefined;
    const rows = await this.db.query<{ link_id: string; session_id: string }>('SELECT link_id, session_id FROM kiosk_sessions WHERE token_hash = $1', [hashToken(token)]);
    return rows[0] && { linkId: rows[0].link_id, sessionId: rows[0].session_id };
  }
}
