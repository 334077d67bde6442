/**
 * Pins the error catalogue: clients switch on these codes, so a code must never change its status
 * or disappear once released. Adding a code means adding a row here; changing one fails.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, problem } from './errors.js';

const RELEASED: Readonly<Record<string, number>> = {
  RPM_ERR_VALIDATION: 400,
  RPM_ERR_UNAUTHENTICATED: 401,
  RPM_ERR_FORBIDDEN: 403,
  RPM_ERR_CSRF: 403,
  RPM_ERR_NOT_FOUND: 404,
  RPM_ERR_ROUTE_NOT_FOUND: 404,
  RPM_ERR_METHOD_NOT_ALLOWED: 405,
  RPM_ERR_CONFLICT: 409,
  RPM_ERR_OBSERVATION_SUPERSEDED: 409,
  RPM_ERR_SESSION_CLOSED: 409,
  RPM_ERR_ROOM_BUSY: 409,
  RPM_ERR_LINK_USED: 410,
  RPM_ERR_LINK_EXPIRED: 410,
  RPM_ERR_PAYLOAD_TOO_LARGE: 413,
  RPM_ERR_PATH_TOO_LONG: 414,
  RPM_ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  RPM_ERR_RATE_LIMITED: 429,
  RPM_ERR_STORAGE_UNAVAILABLE: 503,
  RPM_ERR_SIGN_IN_PROVIDER_UNAVAILABLE: 503,
  RPM_ERR_AUDIT_UNAVAILABLE: 503,
  RPM_ERR_DEADLINE_EXCEEDED: 503,
  RPM_ERR_INTERNAL: 500,
};

describe('error catalogue', () => {
  it('keeps every released code with its HTTP status, and nothing unlisted', () => {
    const actual = Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, entry]) => [code, entry.status]));
    expect(actual).toEqual(RELEASED);
  });

  it('names every code RPM_ERR_* in upper snake case with a title', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^RPM_ERR_[A-Z]+(_[A-Z]+)*$/);
      expect(entry.title.length).toBeGreaterThan(3);
    }
  });

  it('renders RFC 9457 problem documents with a type URN per code', () => {
    expect(problem('RPM_ERR_NOT_FOUND', 'no patient p-9', '/api/v1/patients/p-9')).toEqual({
      type: 'urn:rpm-hub:problem:RPM_ERR_NOT_FOUND',
      title: 'Not found',
      status: 404,
      detail: 'no patient p-9',
      instance: '/api/v1/patients/p-9',
      code: 'RPM_ERR_NOT_FOUND',
    });
  });
});
