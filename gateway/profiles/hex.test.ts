import { describe, expect, it } from 'vitest';
import { parseHex } from './hex.js';

describe('parseHex', () => {
  it.each([
    ['1e 04 00', [0x1e, 0x04, 0x00]],
    ['1E:04:00', [0x1e, 0x04, 0x00]],
    ['0x1e0400', [0x1e, 0x04, 0x00]],
    ['0x1e, 0x04, 0x00', [0x1e, 0x04, 0x00]],
    ['  1e-04-00 ', [0x1e, 0x04, 0x00]],
  ])('%s', (text, expected) => {
    expect(parseHex(text)).toEqual({ ok: true, value: Uint8Array.from(expected) });
  });

  it.each([
    ['', /no bytes/],
    ['1e 0', /odd number of digits/],
    ['zz', /"z" is not a hex digit/],
    ['1e 04 g0', /"g" is not a hex digit/],
  ])('refuses %j', (text, reason) => {
    const r = parseHex(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
