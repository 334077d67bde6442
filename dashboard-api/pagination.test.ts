import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { decodeCursor, encodeCursor } from './pagination.js';

describe('cursors', () => {
  it('round-trips a position through an opaque base64url string', () => {
    const cursor = encodeCursor({ t: 1_790_000_000_123, id: 'h-abc_DEF-1' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ t: 1_790_000_000_123, id: 'h-abc_DEF-1' });
  });

  it.each([
    ['not base64 json', 'bm90IGpzb24'],
    ['json of the wrong shape', Buffer.from(JSON.stringify({ v: 2, t: 1, id: 'x' })).toString('base64url')],
    ['a negative time', Buffer.from(JSON.stringify({ v: 1, t: -5, id: 'x' })).toString('base64url')],
    ['an extra field', Buffer.from(JSON.stringify({ v: 1, t: 5, id: 'x', admin: true })).toString('base64url')],
  ])('refuses %s with a validation error naming the field', (_what, cursor) => {
    let caught: unknown;
    try {
      decodeCursor(cursor);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe('RPM_ERR_VALIDATION');
    expect((caught as ApiError).errors?.[0]?.path).toBe('querystring.cursor');
  });
});
