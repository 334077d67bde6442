import { describe, expect, it } from 'vitest';
import { AlertMessage, DeviceStatusReport, GatewayCommand, GatewayStatus, ReadingBatch, parseJson, parseWith, splitReadingBatch } from '../index.js';

const reading = {
  id: 'h-abcdefghijklmnopqrstuv',
  kind: 'blood_pressure',
  device: { id: 'sn-BPC-0001', userIndex: 1 },
  components: [
    { name: 'systolic', code: '8480-6', value: 142, unit: 'mm[Hg]' },
    { name: 'diastolic', code: '8462-4', value: 91, unit: 'mm[Hg]' },
  ],
  measuredAt: '2026-11-22T08:15:00.000Z',
  receivedAt: '2026-11-22T08:16:00.000Z',
  deviceTime: '2026-11-22T09:15:00',
  timeSource: 'device',
};

const batch = { v: 1, sentAt: '2026-11-22T08:16:01.000Z', readings: [reading] };

describe('reading batch schema', () => {
  it('accepts a well-formed batch and fills defaults', () => {
    const parsed = parseWith(ReadingBatch, batch);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.readings[0]).toMatchObject({ clockSuspect: false, late: false });
  });

  it.each([
    [{ ...reading, components: [{ ...reading.components[0], value: 'high' }] }, 'components[0].value'],
    [{ ...reading, components: [{ ...reading.components[0], code: '8462-4' }] }, 'components[0].code: expected LOINC 8480-6 for systolic'],
    [{ ...reading, components: [{ ...reading.components[0], unit: 'kPa' }] }, 'components[0].unit: expected unit mm[Hg] for systolic'],
    [{ ...reading, components: [{ name: 'pulse', code: '8867-4', value: 1, unit: '/min' }] }, 'components[0].name: unknown component "pulse"'],
    [{ ...reading, components: [reading.components[0], reading.components[0]] }, 'components[1].name: duplicate component'],
    [{ ...reading, measuredAt: '2026-11-22 08:15' }, 'measuredAt'],
    [{ ...reading, measuredAt: '2026-11-22T08:15:00+01:00' }, 'measuredAt'],
    [{ ...reading, kind: 'mood' }, 'kind'],
    [{ ...reading, device: { id: '' } }, 'device.id'],
    [{ ...reading, device: { id: 'x', userIndex: 256 } }, 'device.userIndex'],
    [{ ...reading, id: 'has space' }, 'id'],
    [{ ...reading, components: [] }, 'components'],
  ])('rejects a malformed reading with an error naming the field (%#)', (bad, field) => {
    const parsed = parseWith(ReadingBatch, { ...batch, readings: [bad] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(`readings[0].${field}`);
  });

  it('splits a batch: good readings pass, bad ones are refused one by one with their reason', () => {
    const bad = { ...reading, id: 'bad-one-0001', components: [{ ...reading.components[0], value: null }] };
    const split = splitReadingBatch({ ...batch, readings: [reading, bad, reading] });
    expect(split.ok).toBe(true);
    if (!split.ok) return;
    expect(split.value.accepted).toHaveLength(2);
    expect(split.value.rejected).toEqual([{ index: 1, id: 'bad-one-0001', reason: expect.stringContaining('readings[1].components[0].value') as unknown, raw: bad }]);
  });

  it.each([
    [{ ...batch, v: 2 }, 'v'],
    [{ ...batch, readings: [] }, 'readings'],
    [{ ...batch, sentAt: 'yesterday' }, 'sentAt'],
    [[], 'expected object'],
  ])('refuses a malformed envelope as a whole (%#)', (bad, field) => {
    const split = splitReadingBatch(bad);
    expect(split.ok).toBe(false);
    if (!split.ok) expect(split.reason).toContain(field);
  });

  it('reports invalid JSON without throwing', () => {
    const parsed = parseJson(Buffer.from('{"v":1,'));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/^payload is not valid JSON/);
  });
});

describe('other payloads', () => {
  it('gateway status: online and Last Will', () => {
    expect(parseWith(GatewayStatus, { v: 1, state: 'online', at: '2026-11-22T08:00:00Z', outboxDepth: 3 }).ok).toBe(true);
    expect(parseWith(GatewayStatus, { v: 1, state: 'offline', at: '2026-11-22T08:00:00Z', reason: 'connection_lost' }).ok).toBe(true);
    const bad = parseWith(GatewayStatus, { v: 1, state: 'sleeping', at: '2026-11-22T08:00:00Z' });
    expect(bad.ok || bad.reason).toMatch(/^state:/);
  });

  it('device status: battery must be a percentage', () => {
    const ok = parseWith(DeviceStatusReport, { v: 1, at: '2026-11-22T08:00:00Z', devices: [{ deviceId: 'sn-1', present: true, batteryPercent: 87, clockOffsetS: -4 }] });
    expect(ok.ok).toBe(true);
    const bad = parseWith(DeviceStatusReport, { v: 1, at: '2026-11-22T08:00:00Z', devices: [{ deviceId: 'sn-1', present: true, batteryPercent: 120 }] });
    expect(bad.ok || bad.reason).toMatch(/^devices\[0\]\.batteryPercent:/);
  });

  it('commands are a discriminated union on type', () => {
    const base = { v: 1, id: 'cmd-1', issuedAt: '2026-11-22T08:00:00Z' };
    expect(parseWith(GatewayCommand, { ...base, type: 'register_device', address: 'A4:C1:38:00:11:22' }).ok).toBe(true);
    const badAddress = parseWith(GatewayCommand, { ...base, type: 'register_device', address: 'kitchen' });
    expect(badAddress.ok || badAddress.reason).toMatch(/^address: expected a BLE address/);
    const unknownSetting = parseWith(GatewayCommand, { ...base, type: 'set_config', settings: { volume: 11 } });
    expect(unknownSetting.ok || unknownSetting.reason).toMatch(/settings/);
    expect(parseWith(GatewayCommand, { ...base, type: 'self_destruct' }).ok).toBe(false);
  });

  it('alerts carry severity, state and audience', () => {
    const alert = {
      v: 1,
      id: 'a-1',
      patientId: 'p-1001',
      careTeamId: 'team-north',
      rule: 'news2',
      audience: 'clinical',
      severity: 'high',
      state: 'open',
      summary: 'NEWS2 7 (high)',
      openedAt: '2026-11-22T08:00:00Z',
      updatedAt: '2026-11-22T08:00:00Z',
      revision: 0,
    };
    expect(parseWith(AlertMessage, alert).ok).toBe(true);
    const bad = parseWith(AlertMessage, { ...alert, severity: 'apocalyptic' });
    expect(bad.ok || bad.reason).toMatch(/^severity:/);
  });
});
