/**
 * The browser session, stateless: the `rpm_session` cookie carries the API token itself (HttpOnly,
 * SameSite=Strict, Path=/api/v1), so any hub behind a load balancer accepts it and revoking the
 * token ends the session. The CSRF token is derived from it (SHA-256 with a purpose prefix): the
 * page learns it from the API, an attacker on another site can neither read the cookie nor the
 * API's answers (CORS is off), so cannot compute it. See docs/decisions.md.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { serializeCookie } from './cookies.js';

export const SESSION_COOKIE = 'rpm_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A browser session lasts at most this long, however long the token behind it is valid. */
export const MAX_SESSION_SECONDS = 12 * 3600;
/**
 * Browsers keep cookies of at least 4096 bytes, name and attributes included (RFC 6265 §6.1);
 * the attributes take about 90 of those. Longer tokens (large JWTs) must use the bearer header.
 */
export const MAX_SESSION_TOKEN_LENGTH = 3900;
/** RFC 9110 §9.2.1: the methods that are not safe, i.e. may change something. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isUnsafeMethod(method: string): boolean {
  return UNSAFE_METHODS.has(method.toUpperCase());
}

/** base64url(SHA-256("rpm-csrf:" + token)): the same on every hub, computable only with the token. */
export function csrfTokenFor(token: string): string {
  return createHash('sha256').update(`rpm-csrf:${token}`).digest('base64url');
}

/** Whether a request's x-csrf-token header is the one this session token calls for (constant time). */
export function csrfMatches(token: string, header: string | readonly string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(token));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** When a session made now from a credential valid until `credentialExpiresAt` ends, and its cookie's Max-Age. */
export function sessionLifetime(credentialExpiresAt: string | undefined, now: Date): { expiresAt: Date; maxAgeSeconds: number } {
  const capped = now.getTime() + MAX_SESSION_SECONDS * 1000;
  const credential = credentialExpiresAt === undefined ? Number.NaN : Date.parse(credentialExpiresAt);
  const end = Number.isFinite(credential) ? Math.min(credential, capped) : capped;
  const maxAgeSeconds = Math.max(0, Math.floor((end - now.getTime()) / 1000));
  // The browser drops the cookie up to a second before the end (Max-Age is whole seconds), never after it.
  return { expiresAt: new Date(Math.max(end, now.getTime())), maxAgeSeconds };
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return serializeCookie(SESSION_COOKIE, token, { maxAge: maxAgeSeconds, path: '/api/v1', httpOnly: true, secure, sameSite: 'Strict' });
}

/** Set-Cookie that makes the browser drop the session cookie at once. */
export function clearedSessionCookie(secure: boolean): string {
  return serializeCookie(SESSION_COOKIE, '', { maxAge: 0, path: '/api/v1', httpOnly: true, secure, sameSite: 'Strict' });
}
