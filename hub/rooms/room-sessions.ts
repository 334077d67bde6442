/**
 * Community rooms and their measurement sessions: check-in opens a session on the room's gateway for
 * a bounded time, check-out (or the timeout) ends it. SQL holds them (050_community_rooms.sql; the
 * database refuses overlapping sessions of one room, across hubs); RoomSessionIndex answers ingest
 * from memory. This process's changes reach the index at once; other hubs' after one reload.
 */
import { monotonicFactory } from 'ulid';
import { SQLSTATE, sqlErrorInfo, type SqlDb } from '../sql/sql-db.js';
import { RoomSessionIndex, type RoomSessionLookup, type SessionPeriod } from './room-session-index.js';

export interface MeasurementSession extends Omit<SessionPeriod, 'openedAt' | 'endsAt'> {
  readonly openedAt: Date;
  readonly endsAt: Date;
  readonly openedBy: string;
  readonly closedAt?: Date;
  readonly closedBy?: string;
}

export interface CommunityRoom {
  readonly gatewayId: string;
  readonly displayName: string;
}

/** Why a session change was refused; the API maps each to its problem. */
export class RoomSessionError extends Error {
  constructor(
    readonly reason: 'not_a_room' | 'busy' | 'no_session' | 'closed' | 'no_patient' | 'no_gateway',
    message: string,
  ) {
    super(message);
    this.name = 'RoomSessionError';
  }
}

export interface RoomSessionsOptions {
  readonly now?: () => Date;
  /** Ended sessions kept in memory, for readings that arrive late (a gateway that was offline). Default 48 h. */
  readonly keepMs?: number;
}

/** Longest check-in: a measurement round, not a stay. */
export const MAX_SESSION_MINUTES = 60;

interface SessionRow {
  id: string;
  gateway_id: string;
  patient_id: string;
  opened_by: string;
  opened_at: Date | string;
  ends_at: Date | string;
  closed_at: Date | string | null;
  closed_by: string | null;
}

const COLUMNS = 'id, gateway_id, patient_id, opened_by, opened_at, ends_at, closed_at, closed_by';
const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));

function sessionOf(r: SessionRow): MeasurementSession {
  return {
    id: r.id,
    gatewayId: r.gateway_id,
    patientId: r.patient_id,
    openedBy: r.opened_by,
    openedAt: date(r.opened_at),
    endsAt: date(r.ends_at),
    ...(r.closed_at !== null && { closedAt: date(r.closed_at) }),
    ...(r.closed_by !== null && { closedBy: r.closed_by }),
  };
}

const periodOf = (s: MeasurementSession): SessionPeriod => ({ id: s.id, gatewayId: s.gatewayId, patientId: s.patientId, openedAt: s.openedAt.getTime(), endsAt: s.endsAt.getTime() });

export class RoomSessions {
  readonly index = new RoomSessionIndex();
  /** The sessions' clock (tests step it): whether a session has timed out is decided by it. */
  readonly now: () => Date;
  private readonly keepMs: number;
  private readonly newId = monotonicFactory();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: SqlDb,
    options: RoomSessionsOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.keepMs = options.keepMs ?? 48 * 3_600_000;
  }

  /** What ingest asks, from memory. */
  get lookup(): RoomSessionLookup {
    return this.index;
  }

  /** Reloads rooms and recent sessions from SQL (at start, and every `everyMs` for other hubs' changes). */
  async refresh(): Promise<void> {
    const since = new Date(this.now().getTime() - this.keepMs);
    const rooms = await this.db.query<{ gateway_id: string }>('SELECT gateway_id FROM community_rooms');
    const rows = await this.db.query<SessionRow>(`SELECT ${COLUMNS} FROM measurement_sessions WHERE ends_at >= $1`, [since.toISOString()]);
    this.index.replace(
      rooms.map((r) => r.gateway_id),
      rows.map((r) => periodOf(sessionOf(r))),
    );
  }

  start(everyMs: number, onError: (err: unknown) => void): void {
    this.stop();
    this.timer = setInterval(() => void this.refresh().catch(onError), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async createRoom(room: CommunityRoom): Promise<CommunityRoom> {
    try {
      await this.db.query('INSERT INTO community_rooms (gateway_id, display_name) VALUES ($1, $2) ON CONFLICT (gateway_id) DO UPDATE SET display_name = EXCLUDED.display_name', [
      room.gatewayId,
      room.displayName,
    ]);
    } catch (err) {
      if (sqlErrorInfo(err).code === SQLSTATE.foreignKeyViolation) throw new RoomSessionError('no_gateway', `no gateway ${room.gatewayId}`);
      throw err;
    }
    this.index.addRoom(room.gatewayId);
    return room;
  }

  async room(gatewayId: string): Promise<CommunityRoom | undefined> {
    const rows = await this.db.query<{ gateway_id: string; display_name: string }>('SELECT gateway_id, display_name FROM community_rooms WHERE gateway_id = $1', [gatewayId]);
    return rows[0] && { gatewayId: rows[0].gateway_id, displayName: rows[0].display_name };
  }

  async listRooms(): Promise<CommunityRoom[]> {
    const rows = await this.db.query<{ gateway_id: string; display_name: string }>('SELECT gateway_id, display_name FROM community_rooms ORDER BY display_name, gateway_id');
    return rows.map((r) => ({ gatewayId: r.gateway_id, displayName: r.display_name }));
  }

  /** The session running in the room now, if any (not closed, not timed out). */
  async current(gatewayId: string): Promise<MeasurementSession | undefined> {
    const at = this.now().toISOString();
    const rows = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM measurement_sessions WHERE gateway_id = $1 AND closed_at IS NULL AND opened_at <= $2 AND ends_at > $2 ORDER BY opened_at DESC LIMIT 1`,
      [gatewayId, at],
    );
    return rows[0] && sessionOf(rows[0]);
  }

  async session(gatewayId: string, sessionId: string): Promise<MeasurementSession | undefined> {
    const rows = await this.db.query<SessionRow>(`SELECT ${COLUMNS} FROM measurement_sessions WHERE id = $1 AND gateway_id = $2`, [sessionId, gatewayId]);
    return rows[0] && sessionOf(rows[0]);
  }

  /** Check-in: refuses a gateway that is no room, and a room with a session still running. */
  async open(input: { gatewayId: string; patientId: string; minutes: number; openedBy: string }): Promise<MeasurementSession> {
    if (!(input.minutes > 0 && input.minutes <= MAX_SESSION_MINUTES)) throw new RangeError(`minutes must be in (0, ${MAX_SESSION_MINUTES}]`);
    if (!(await this.room(input.gatewayId))) throw new RoomSessionError('not_a_room', `no community room ${input.gatewayId}`);
    const openedAt = this.now();
    const endsAt = new Date(openedAt.getTime() + input.minutes * 60_000);
    try {
      const rows = await this.db.query<SessionRow>(
        `INSERT INTO measurement_sessions (id, gateway_id, patient_id, opened_by, opened_at, ends_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [`ses_${this.newId(openedAt.getTime())}`, input.gatewayId, input.patientId, input.openedBy, openedAt.toISOString(), endsAt.toISOString()],
      );
      const session = sessionOf(rows[0]!);
      this.index.put(periodOf(session));
      this.index.prune(openedAt.getTime() - this.keepMs);
      return session;
    } catch (err) {
      const { code } = sqlErrorInfo(err);
      if (code === SQLSTATE.exclusionViolation) throw new RoomSessionError('busy', `room ${input.gatewayId} has a session running; check that resident out first`);
      if (code === SQLSTATE.foreignKeyViolation) throw new RoomSessionError('no_patient', `no patient ${input.patientId}`);
      throw err;
    }
  }

  /** Check-out: ends a running session now; one that was closed or has timed out is refused. */
  async close(input: { gatewayId: string; sessionId: string; closedBy: string }): Promise<MeasurementSession> {
    const at = this.now();
    const rows = await this.db.query<SessionRow>(
      `UPDATE measurement_sessions SET ends_at = $3, closed_at = $3, closed_by = $4
       WHERE id = $1 AND gateway_id = $2 AND closed_at IS NULL AND ends_at > $3 AND opened_at < $3 RETURNING ${COLUMNS}`,
      [input.sessionId, input.gatewayId, at.toISOString(), input.closedBy],
    );
    if (!rows[0]) {
      const existing = await this.session(input.gatewayId, input.sessionId);
      if (!existing) throw new RoomSessionError('no_session', `no session ${input.sessionId} in room ${input.gatewayId}`);
      throw new RoomSessionError('closed', `session ${input.sessionId} ${existing.closedAt ? 'was checked out' : 'timed out'} at ${(existing.closedAt ?? existing.endsAt).toISOString()}`);
    }
    const session = sessionOf(rows[0]);
    this.index.put(periodOf(session));
    return session;
  }
}
