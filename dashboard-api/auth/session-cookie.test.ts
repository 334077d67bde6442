import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csrfMatches, csrfTokenFor, isUnsafeMethod, MAX_SESSION_SECONDS, sessionCookie, sessionLifetime, clearedSessionCookie } from './session-cookie.js';

describe('session cookie', () => {
  it('derives the CSRF token as base64url(SHA-256("rpm-csrf:" + token))', () => {
    // Written out independently of the module, so the derivation cannot drift silently (hubs must agree).
    const expected = createHash('sha256').update('rpm-csrf:tok_example').digest('base64url');
    expect(csrfTokenFor('tok_example')).toBe(expected);
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfTokenFor('tok_other')).not.toBe(expected);
  });

  it('matches only the exact CSRF token of the session', () => {
    const good = csrfTokenFor('tok_a');
    expect(csrfMatches('tok_a', good)).toBe(true);
    expect(csrfMatches('tok_a', ` ${good} `)).toBe(true);
    expect(csrfMatches('tok_a', csrfTokenFor('tok_b'))).toBe(false);
    expect(csrfMatches('tok_a', good.slice(1))).toBe(false);
    expect(csrfMatches('tok_a', undefined)).toBe(false);
    expect(csrfMatches('tok_a', [good, good])).toBe(false);
  });

  it('calls POST, PUT, PATCH and DELETE unsafe, GET and HEAD safe', () => {
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'post'].map(isUnsafeMethod)).toEqual([true, true, true, true, true]);
    expect(['GET', 'HEAD', 'OPTIONS'].map(isUnsafeMethod)).toEqual([false, false, false]);
  });

  it('lasts until the token expires, at most 12 h', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    expect(sessionLifetime('2026-12-03T12:00:00.000Z', now)).toEqual({ expiresAt: new Date('2026-12-03T12:00:00Z'), maxAgeSeconds: 7200 });
    expect(sessionLifetime('2027-01-01T00:00:00.000Z', now)).toEqual({ expiresAt: new Date('2026-12-03T22:00:00Z'), maxAgeSeconds: MAX_SESSION_SECONDS });
    expect(sessionLifetime(undefined, now).maxAgeSeconds).toBe(12 * 3600);
    expect(sessionLifetime('2026-12-03T09:00:00.000Z', now)).toEqual({ expiresAt: now, maxAgeSeconds: 0 });
    // A fraction of a second is not rounded up past the token's expiry.
    expect(sessionLifetime('2026-12-03T10:00:01.900Z', now)).toEqual({ expiresAt: new Date('2026-12-03T10:00:01.900Z'), maxAgeSeconds: 1 });
  });

  it('sets the cookie HttpOnly, SameSite=Strict, on /api/v1 only, Secure over TLS; clearing it sets Max-Age=0', () => {
    expect(sessionCookie('tok_a', 60, false)).toBe('rpm_session=tok_a; Max-Age=60; Path=/api/v1; HttpOnly; SameSite=Strict');
    expect(sessionCookie('tok_a', 60, true)).toBe('rpm_session=tok_a; Max-Age=60; Path=/api/v1; HttpOnly; Secure; SameSite=Strict');
    expect(clearedSessionCookie(false)).toBe('rpm_session=; Max-Age=0; Path=/api/v1; HttpOnly; SameSite=Strict');
  });
});
