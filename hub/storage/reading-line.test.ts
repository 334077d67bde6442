import { ATTRIBUTIONS } from '../../contract/attribution.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, VITAL_KINDS, type Reading } from '../../contract/index.js';
import { readingLine } from './reading-line.js';
import { toLineProtocol, type StoredReading } from './reading-points.js';

/** Text with every character line protocol escapes, and some it does not. */
const tricky = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ',', ' ', '=', '"', '\\', '\n', '\r', '\t', 'é', '-', '_'), minLength: 0, maxLength: 12 });
const instant = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString());
const value = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0, -0, 1e21, 5e-324, 120, 36.6));

const stored: fc.Arbitrary<StoredReading> = fc
  .record({
    kind: fc.constantFrom(...VITAL_KINDS),
    id: tricky,
    deviceId: tricky,
    userIndex: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    gatewayId: tricky,
    patientId: fc.option(tricky, { nil: undefined }),
    measuredAt: instant,
    receivedAt: instant,
    timeSource: fc.constantFrom('device', 'receipt'),
    late: fc.boolean(),
    clockSuspect: fc.boolean(),
    implausible: fc.boolean(),
    attribution: fc.option(fc.constantFrom(...ATTRIBUTIONS), { nil: undefined }),
    values: fc.array(value, { minLength: 1, maxLength: 4 }),
    /** Now and then a component outside the catalogue's shape: odd or duplicate names take the general path. */
    oddName: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.oneof(tricky, fc.constantFrom('late', 'reading_id', 'systolic', 'spo2')), weight: 1 }),
  })
  .map((r) => {
    const specs = CATALOGUE[r.kind].components;
    const components = r.values.slice(0, specs.length).map((v, i) => ({ name: specs[i]!.name, code: specs[i]!.loinc, value: v, unit: specs[i]!.unit }));
    if (r.oddName !== undefined) components.push({ name: r.oddName, code: '0-0', value: r.values[0]!, unit: '1' });
    const reading = {
      id: r.id,
      kind: r.kind,
      device: { id: r.deviceId, ...(r.userIndex !== undefined && { userIndex: r.userIndex }) },
      components,
      measuredAt: r.measuredAt,
      receivedAt: r.receivedAt,
      timeSource: r.timeSource,
      late: r.late,
      clockSuspect: r.clockSuspect,
    } as Reading;
    return { reading, gatewayId: r.gatewayId, patientId: r.patientId, implausible: r.implausible, ...(r.attribution && { attribution: r.attribution }) };
  });

describe('readingLine', () => {
  it('is byte-identical to Point.toLineProtocol for any reading', () => {
    fc.assert(
      fc.property(stored, (s) => {
        expect(readingLine(s)).toBe(toLineProtocol(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes the wire format pinned here', () => {
    const reading = {
      id: 'h-1',
      kind: 'blood_pressure',
      device: { id: 'sn 1,a=b', userIndex: 2 },
      components: [
        { name: 'systolic', code: '8480-6', value: 120.5, unit: 'mm[Hg]' },
        { name: 'diastolic', code: '8462-4', value: 80, unit: 'mm[Hg]' },
      ],
      measuredAt: '2026-01-02T03:04:05.678Z',
      receivedAt: '2026-01-02T03:04:06.000Z',
      timeSource: 'device',
      late: false,
      clockSuspect: true,
    } as Reading;
    expect(readingLine({ reading, gatewayId: 'home-1', patientId: undefined, implausible: false })).toBe(
      'blood_pressure,device=sn\\ 1\\,a\\=b,gateway=home-1,patient=_unassigned,user_index=2 ' +
        'clock_suspect=T,diastolic=80,implausible=F,late=F,reading_id="h-1",received_at=1767323046000i,systolic=120.5,time_source="device" 1767323045678',
    );
    // With a patient, how it was determined is a field (the first by name), not a tag: no new series.
    expect(readingLine({ reading, gatewayId: 'room-1', patientId: 'p-1', implausible: false, attribution: 'session' })).toBe(
      'blood_pressure,device=sn\\ 1\\,a\\=b,gateway=room-1,patient=p-1,user_index=2 ' +
        'attribution="session",clock_suspect=T,diastolic=80,implausible=F,late=F,reading_id="h-1",received_at=1767323046000i,systolic=120.5,time_source="device" 1767323045678',
    );
  });
});
