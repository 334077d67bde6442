/**
 * Which resident is at a community room's shared devices at an instant: the in-memory view ingest
 * asks for every reading from a room's gateway (a Map lookup and a scan of that room's few recent
 * sessions, no I/O). Kept in sync by the session service: its own opens and closes update it at
 * once, and a periodic reload brings in those of other hubs (hub/rooms/room-sessions.ts).
 */

export interface SessionPeriod {
  readonly id: string;
  readonly gatewayId: string;
  readonly patientId: string;
  /** ms since the epoch; the session covers [openedAt, endsAt). */
  readonly openedAt: number;
  readonly endsAt: number;
}

export interface RoomSessionLookup {
  /** The gateway is a community room: its devices are shared, and sessions say who measured. */
  isRoom(gatewayId: string): boolean;
  /** The session of that room covering the instant, if any. */
  sessionAt(gatewayId: string, atMs: number): SessionPeriod | undefined;
}

export class RoomSessionIndex implements RoomSessionLookup {
  private rooms = new Set<string>();
  private readonly sessions = new Map<string, SessionPeriod[]>();

  isRoom(gatewayId: string): boolean {
    return this.rooms.has(gatewayId);
  }

  sessionAt(gatewayId: string, atMs: number): SessionPeriod | undefined {
    const list = this.sessions.get(gatewayId);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i]!;
      if (s.openedAt <= atMs && atMs < s.endsAt) return s;
    }
    return undefined;
  }

  /** Replaces everything (a reload from SQL). */
  replace(rooms: readonly string[], sessions: readonly SessionPeriod[]): void {
    this.rooms = new Set(rooms);
    this.sessions.clear();
    for (const s of sessions) this.put(s);
  }

  addRoom(gatewayId: string): void {
    this.rooms.add(gatewayId);
  }

  /** Adds or updates (a close moves endsAt earlier) one session. */
  put(session: SessionPeriod): void {
    const list = (this.sessions.get(session.gatewayId) ?? []).filter((s) => s.id !== session.id);
    list.push(session);
    list.sort((a, b) => a.openedAt - b.openedAt);
    this.sessions.set(session.gatewayId, list);
  }

  /** Forgets sessions that ended before `beforeMs` (readings measured in them arrive within the keep window). */
  prune(beforeMs: number): void {
    for (const [gatewayId, list] of this.sessions) {
      const kept = list.filter((s) => s.endsAt >= beforeMs);
      if (kept.length === 0) this.sessions.delete(gatewayId);
      else this.sessions.set(gatewayId, kept);
    }
  }
}
