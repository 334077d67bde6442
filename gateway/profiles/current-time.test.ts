import { describe, expect, it } from 'vitest';
import { decoderSuite } from '../../test/fixtures/gatt/decoder-suite.js';
import { CURRENT_TIME_REJECTS, CURRENT_TIME_VECTORS } from '../../test/fixtures/gatt/device-and-time.js';
import { bytes, hexOf } from '../../test/fixtures/gatt/vector.js';
import { clockOffsetSeconds, currentTimeFor, decodeCurrentTime, encodeCurrentTime } from './current-time.js';

decoderSuite('Current Time 0x2A2B', decodeCurrentTime, CURRENT_TIME_VECTORS, CURRENT_TIME_REJECTS);

describe('Current Time encoder (the gateway sets device clocks)', () => {
  it.each(CURRENT_TIME_VECTORS.map((v) => [v.name, v] as const))('re-encodes %s to the same octets', (_name, v) => {
    expect(hexOf(encodeCurrentTime(v.expected))).toBe(hexOf(bytes(v.hex)));
  });

  it('tolerates octets appended by a later CTS version (eisaev/blevalueparser TooLong calls them invalid)', () => {
    expect(decodeCurrentTime(bytes('e707 01 04 14 16 07 03 80 08 08')).ok).toBe(true);
  });

  it('sets a clock to local time in the box zone, with day of week and 1/256 s', () => {
    // 19:22:07.996 UTC is 20:22:07 in Copenhagen (CET), a Monday.
    const t = currentTimeFor(new Date('2023-01-02T19:22:07.996Z'), 'Europe/Copenhagen');
    expect(t).toEqual({
      dateTime: { year: 2023, month: 1, day: 2, hours: 20, minutes: 22, seconds: 7 },
      dayOfWeek: 'monday',
      fractions256: 254,
      adjustReason: ['externalReferenceTimeUpdate'],
    });
    expect(hexOf(encodeCurrentTime(t))).toBe('e707010214160701fe02');
  });

  it('names Sunday 7, not 0', () => {
    expect(currentTimeFor(new Date('2023-01-01T12:00:00Z'), 'UTC').dayOfWeek).toBe('sunday');
  });

  it('measures the device clock offset (device fast = positive)', () => {
    const device = CURRENT_TIME_VECTORS[3]!.expected; // 2023-01-05 20:22:07 + 128/256 s, Thursday
    expect(clockOffsetSeconds(device, new Date('2023-01-05T19:20:07Z'), 'Europe/Copenhagen')).toBe(120.5);
    expect(clockOffsetSeconds({ dayOfWeek: 'unknown', fractions256: 0, adjustReason: [] }, new Date(), 'UTC')).toBeUndefined();
  });
});
