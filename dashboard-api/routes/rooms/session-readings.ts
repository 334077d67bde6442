/**
 * The readings of one measurement session: the resident's readings measured in [openedAt, endsAt)
 * that came through the room's gateway. One InfluxQL query per device kind (six, each bounded to the
 * session's minutes), so a page polling every few seconds costs little.
 */
import { VITAL_KINDS } from '../../../contract/index.js';
import type { MeasurementSession } from '../../../hub/rooms/room-sessions.js';
import type { ReadingRow, ReadingsRepository } from '../../../hub/storage/readings-repository.js';

export async function sessionReadings(readings: ReadingsRepository, session: MeasurementSession, now: Date): Promise<ReadingRow[]> {
  const to = new Date(Math.min(session.endsAt.getTime(), now.getTime() + 1));
  if (to <= session.openedAt) return [];
  const kinds = VITAL_KINDS.filter((k) => k !== 'respiratory_rate');
  const lists = await Promise.all(kinds.map((kind) => readings.list({ patientId: session.patientId, kind, from: session.openedAt, to, limit: 100, order: 'asc' })));
  return lists
    .flat()
    .filter((r) => r.source === 'device' && r.gatewayId === session.gatewayId)
    .sort((a, b) => a.measuredAt.localeCompare(b.measuredAt) || a.id.localeCompare(b.id));
}

/** What a session page shows of a reading: no flags, no gateway, no attribution details. */
export function sessionReadingOut(r: ReadingRow) {
  return { id: r.id, kind: r.kind, measuredAt: r.measuredAt, deviceId: r.deviceId, components: r.components.map((c) => ({ name: c.name, value: c.value, unit: c.unit })) };
}
