/** Valid contract readings for tests that need readings without a device (outbox, link). */
import type { Reading } from '../../contract/index.js';

export function testReading(id: string, measuredAt = new Date('2026-03-01T08:00:00Z'), systolic = 130): Reading {
  return {
    id,
    kind: 'blood_pressure',
    device: { id: 'sn-TEST-0001' },
    components: [
      { name: 'systolic', code: '8480-6', value: systolic, unit: 'mm[Hg]' },
      { name: 'diastolic', code: '8462-4', value: 80, unit: 'mm[Hg]' },
    ],
    measuredAt: measuredAt.toISOString(),
    receivedAt: measuredAt.toISOString(),
    timeSource: 'device',
    clockSuspect: false,
    late: false,
  };
}

export interface CuffReadingOptions {
  readonly id: string;
  readonly deviceId: string;
  readonly measuredAt: string;
  readonly systolic: number;
  readonly diastolic?: number;
  /** A multi-user cuff's user slot. */
  readonly userIndex?: number;
  readonly late?: boolean;
}

/** A blood-pressure reading from a (possibly multi-user) cuff, received at noon on 5 March 2026. */
export function cuffReading(o: CuffReadingOptions): Reading {
  return {
    id: o.id,
    kind: 'blood_pressure',
    device: { id: o.deviceId, ...(o.userIndex !== undefined && { userIndex: o.userIndex }) },
    components: [
      { name: 'systolic', code: '8480-6', value: o.systolic, unit: 'mm[Hg]' },
      { name: 'diastolic', code: '8462-4', value: o.diastolic ?? 80, unit: 'mm[Hg]' },
    ],
    measuredAt: o.measuredAt,
    receivedAt: '2026-03-05T12:00:00.000Z',
    timeSource: 'device',
    clockSuspect: false,
    late: o.late ?? false,
  };
}
