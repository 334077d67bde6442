import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { representable } from './representable.js';

/** True when `s` is well-formed UTF-16 (no lone surrogate) and holds no C0 control or DEL. */
function storable(s: string): boolean {
  const wellFormed = new TextDecoder().decode(new TextEncoder().encode(s)) === s; // lone surrogates become U+FFFD
  return wellFormed && ![...s].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f');
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) }),
  fc.string({ unit: 'binary', minLength: 10_000, maxLength: 10_240 }),
);

describe('representable', () => {
  it('escapes NUL, controls and lone surrogates visibly and keeps the rest', () => {
    expect(representable('p-1\u0000x', 128)).toBe('p-1\\u0000x');
    expect(representable('a\nb\u007f', 128)).toBe('a\\u000Ab\\u007F');
    expect(representable('\ud800z\udfff', 128)).toBe('\\uD800z\\uDFFF');
    expect(representable('Ørsted 🫀', 128)).toBe('Ørsted 🫀');
  });

  it('cuts to the bound without splitting a surrogate pair or an escape', () => {
    expect(representable('ab🫀', 3)).toBe('ab');
    expect(representable('ab\u0000', 7)).toBe('ab');
    expect(representable('x'.repeat(200), 128)).toBe('x'.repeat(128));
  });

  it('returns well-formed UTF-16 without NUL or controls, within the bound, for any input', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 0, max: 300 }), (s, maxLen) => {
        const out = representable(s, maxLen);
        expect(out.length).toBeLessThanOrEqual(maxLen);
        expect(storable(out)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('changes nothing already storable and within the bound', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        fc.pre(storable(s) && s.length <= 128);
        expect(representable(s, 128)).toBe(s);
      }),
    );
  });
});
