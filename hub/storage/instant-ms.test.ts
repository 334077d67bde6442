import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantMs } from './instant-ms.js';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('instantMs', () => {
  it('equals Date.parse on valid instants across the whole four-digit year range', () => {
    // -62167219200000 is 0000-01-01, 253402300799999 is 9999-12-31T23:59:59.999.
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), fc.constantFrom('', '.5', '.12', '.1239', '.999999999', '.0'), (ms, fraction) => {
        const text = new Date(ms).toISOString().slice(0, 19) + fraction + 'Z';
        expect(instantMs(text)).toBe(Date.parse(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('equals Date.parse (NaN included) on malformed and out-of-range text', () => {
    const field = (max: number, width: number) => fc.integer({ min: 0, max }).map((n) => pad(n, width));
    const instantish = fc
      .tuple(field(9999, 4), field(13, 2), field(32, 2), field(25, 2), field(61, 2), field(61, 2), fc.constantFrom('', '.', '.5', '.x1', '.123456'), fc.constantFrom('Z', 'z', '', '+00:00', 'ZZ'))
      .map(([y, mo, d, h, mi, s, f, z]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f}${z}`);
    fc.assert(
      fc.property(fc.oneof(instantish, fc.string({ maxLength: 30 }), fc.constantFrom('2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-01-01 00:00:00Z', '+02024-01-01T00:00:00Z', '2024-01-01T00:00:00.Z')), (text) => {
        expect(Object.is(instantMs(text), Date.parse(text))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});
