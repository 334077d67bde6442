import { describe, expect, it } from 'vitest';
import type { Reading } from '../../contract/index.js';
import { toLineProtocol } from './reading-points.js';

const reading: Reading = {
  id: 'h-abc',
  kind: 'blood_pressure',
  device: { id: 'sn-BPC 1', userIndex: 2 },
  components: [
    { name: 'systolic', code: '8480-6', value: 142, unit: 'mm[Hg]' },
    { name: 'diastolic', code: '8462-4', value: 91.5, unit: 'mm[Hg]' },
  ],
  measuredAt: '2026-11-22T08:15:00.000Z',
  receivedAt: '2026-11-22T08:16:00.250Z',
  timeSource: 'device',
  clockSuspect: false,
  late: true,
};

describe('reading -> line protocol', () => {
  it('writes one point per reading: measurement = kind, tags patient/device/gateway/user_index, ms timestamp', () => {
    expect(toLineProtocol({ reading, gatewayId: 'home-1', patientId: 'p-1', implausible: false })).toBe(
      'blood_pressure,device=sn-BPC\\ 1,gateway=home-1,patient=p-1,user_index=2 ' +
        'clock_suspect=F,diastolic=91.5,implausible=F,late=T,reading_id="h-abc",received_at=1795335360250i,systolic=142,time_source="device" ' +
        '1795335300000',
    );
  });

  it('tags unassigned readings with a patient id no real patient can have', () => {
    expect(toLineProtocol({ reading, gatewayId: 'home-1', patientId: undefined, implausible: true })).toMatch(/^blood_pressure,device=sn-BPC\\ 1,gateway=home-1,patient=_unassigned,user_index=2 .*implausible=T/);
  });

  it('is deterministic: the same reading always becomes the same point (idempotent replays)', () => {
    const a = toLineProtocol({ reading, gatewayId: 'home-1', patientId: 'p-1', implausible: false });
    const b = toLineProtocol({ reading: structuredClone(reading), gatewayId: 'home-1', patientId: 'p-1', implausible: false });
    expect(a).toBe(b);
  });
});
