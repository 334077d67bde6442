import { describe, expect, it } from 'vitest';
import { codeFromBytes, formatCode, normaliseCode, splitCode } from './checkin-code.js';

describe('check-in codes', () => {
  it('are 12 characters of Crockford base32 from 12 bytes, printed in groups of four', () => {
    const code = codeFromBytes(new Uint8Array([0, 1, 9, 10, 17, 18, 31, 32, 33, 255, 100, 200]));
    expect(code).toBe('019AHJZ01Z48');
    expect(formatCode(code)).toBe('019A-HJZ0-1Z48');
    expect(splitCode(code)).toEqual({ id: '019A', secret: 'HJZ01Z48' });
  });

  it.each([
    ['019a-hjz0-1z48', '019AHJZ01Z48'],
    [' 019A HJZO 1Z48 ', '019AHJZ01Z48'],
    ['o19A-HJZ0-lZ48', '019AHJZ01Z48'],
    ['019A-HJZ0-1ZW', undefined],
    ['019A-HJZ0-1Z48X', undefined],
    ['019A-HJZ0-1ZWU', undefined],
    ['', undefined],
  ])('%j reads as %j', (input, expected) => {
    expect(normaliseCode(input)).toBe(expected);
  });
});
