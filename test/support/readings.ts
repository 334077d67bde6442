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
