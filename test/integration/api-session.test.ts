/**
 * The web application's session over real HTTP: a token exchanged for the `rpm_session` cookie
 * (attributes, lifetime, audit entry), the cookie authenticating reads and the live stream alone,
 * the CSRF token required on changes, bearer winning over the cookie, revocation ending the
 * session, sign-out, the failed-auth limiter, and the OIDC sign-in configuration from the issuer's
 * discovery document (cached; a clear 503 while unreachable). No mocks: registry tokens from the
 * SQL registry, JWTs signed by a key served by a local JWKS server.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../dashboard-api/app.js';
import { createOidcVerifier, DEFAULT_ROLE_MAP } from '../../dashboard-api/auth/oidc.js';
import { AuditTrail } from '../../hub/audit/audit-trail.js';
import { SqlAuditStore } from '../../hub/audit/sql-audit-store.js';
import { IDS, startApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { freshPglite } from '../support/sql-fixture.js';
import { tempDir } from '../support/temp-dir.js';
import { makeTestCerts } from '../support/test-certs.js';

/** The derivation as the contract states it, written out here so that the test pins it. */
const csrfOf = (token: string) => createHash('sha256').update(`rpm-csrf:${token}`).digest('base64url');

interface SessionBody {
  userId: string;
  role: string;
  careTeamIds: string[];
  expiresAt: string;
  csrfToken: string;
}

function cookieAttributes(setCookie: string | null): Record<string, string | true> {
  if (!setCookie) throw new Error('no set-cookie header');
  const [pair, ...attrs] = setCookie.split(';').map((s) => s.trim());
  const out: Record<string, string | true> = {};
  const eq = (pair ?? '').indexOf('=');
  out.name = (pair ?? '').slice(0, eq);
  out.value = (pair ?? '').slice(eq + 1);
  for (const a of attrs) {
    const i = a.indexOf('=');
    if (i < 0) out[a.toLowerCase()] = true;
    else out[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
  }
  return out;
}

describe('session cookie with registry tokens', () => {
  let fx: ApiFixture;
  let base: string;

  beforeAll(async () => {
    fx = await startApiFixture({ authFailuresPerMinute: 3 });
    base = await fx.listen();
  });

  afterAll(async () => {
    await fx?.close();
  });

  const signIn = (token: string) => fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  const withCookie = (token: string, extra: Record<string, string> = {}) => ({ cookie: `theme=dark; rpm_session=${token}`, ...extra });

  it('exchanges a token for an HttpOnly, SameSite=Strict cookie on /api/v1 that lasts as long as the token', async () => {
    const before = Date.now();
    const res = await signIn(fx.tokens.clinician);
    expect(res.status).toBe(201);
    const body = (await res.json()) as SessionBody;
    expect(body).toMatchObject({ userId: 'u-clinician', role: 'clinician', careTeamIds: [IDS.north], csrfToken: csrfOf(fx.tokens.clinician) });
    const cookie = cookieAttributes(res.headers.get('set-cookie'));
    expect(cookie).toMatchObject({ name: 'rpm_session', value: fx.tokens.clinician, httponly: true, samesite: 'Strict', path: '/api/v1' });
    // No TLS here: no Secure attribute (a browser would drop a Secure cookie over plain HTTP).
    expect(cookie.secure).toBeUndefined();
    // The fixture's tokens expire in an hour: the session ends with the token, not 12 h later.
    const maxAge = Number(cookie['max-age']);
    expect(maxAge).toBeGreaterThan(3500);
    expect(maxAge).toBeLessThanOrEqual(3600);
    const expiresAt = Date.parse(body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3500_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('caps the session at 12 h for a long-lived token', async () => {
    await fx.registry.createUser({ id: 'u-long', displayName: 'Long', role: 'carer', careTeamIds: [IDS.north] });
    const { token } = await fx.registry.createToken({ userId: 'u-long', expiresInSeconds: 30 * 86400 });
    const res = await signIn(token);
    expect(res.status).toBe(201);
    expect(cookieAttributes(res.headers.get('set-cookie'))['max-age']).toBe(String(12 * 3600));
  });

  it('records the sign-in in the audit log, without the token', async () => {
    await fx.registry.createUser({ id: 'u-audited', displayName: 'Audited', role: 'clinician', careTeamIds: [IDS.north] });
    const { token } = await fx.registry.createToken({ userId: 'u-audited', expiresInSeconds: 3600 });
    expect((await signIn(token)).status).toBe(201);
    const audit = await fx.app.inject({ method: 'GET', url: '/api/v1/audit?userId=u-audited', headers: fx.auth('admin') });
    const entries = audit.json<{ entries: { action: string; route: string; outcome: string; status: number; patientId: string | null }[] }>().entries;
    expect(entries).toEqual([expect.objectContaining({ action: 'session.create', route: 'POST /api/v1/session', outcome: 'allowed', status: 201, patientId: null })]);
    expect(audit.body).not.toContain(token);
  });

  it('authenticates reads and the live stream (EventSource) by the cookie alone', async () => {
    const token = fx.tokens.carer;
    const patients = await fetch(`${base}/api/v1/patients`, { headers: withCookie(token) });
    expect(patients.status).toBe(200);
    expect(((await patients.json()) as { patients: unknown[] }).patients).toHaveLength(2);
    const controller = new AbortController();
    const live = await fetch(`${base}/api/v1/live`, { headers: withCookie(token, { accept: 'text/event-stream' }), signal: controller.signal });
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toMatch(/^text\/event-stream/);
    controller.abort();
  });

  it('recovers the session after a reload: GET /session by cookie or bearer, 401 problem+json without one', async () => {
    const token = fx.tokens.clinician;
    const byCookie = await fetch(`${base}/api/v1/session`, { headers: withCookie(token) });
    expect(byCookie.status).toBe(200);
    expect(await byCookie.json()).toMatchObject({ userId: 'u-clinician', role: 'clinician', careTeamIds: [IDS.north], csrfToken: csrfOf(token) });
    const byBearer = await fetch(`${base}/api/v1/session`, { headers: fx.auth('admin') });
    expect(await byBearer.json()).toMatchObject({ userId: 'u-admin', role: 'admin', csrfToken: csrfOf(fx.tokens.admin) });
    const none = await fetch(`${base}/api/v1/session`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await none.json()).toMatchObject({ code: 'RPM_ERR_UNAUTHENTICATED' });
  });

  it('refuses a change authenticated by the cookie without the right x-csrf-token (403 RPM_ERR_CSRF), and makes it with it', async () => {
    const token = fx.tokens.admin;
    const create = (id: string, headers: Record<string, string>) =>
      fetch(`${base}/api/v1/patients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...withCookie(token), ...headers },
        body: JSON.stringify({ id, careTeamId: IDS.north, displayName: 'Cookie Resident' }),
      });
    for (const [id, headers] of [
      ['p-csrf-none', {}],
      ['p-csrf-wrong', { 'x-csrf-token': csrfOf(fx.tokens.clinician) }],
      ['p-csrf-raw', { 'x-csrf-token': token }],
    ] as const) {
      const refused = await create(id, headers);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await refused.json()).toMatchObject({ code: 'RPM_ERR_CSRF', detail: 'send the header x-csrf-token with the csrfToken of GET /api/v1/session' });
      // Nothing was made.
      expect((await fx.app.inject({ method: 'GET', url: `/api/v1/patients/${id}`, headers: fx.auth('admin') })).statusCode).toBe(404);
    }
    const made = await create('p-csrf-ok', { 'x-csrf-token': csrfOf(token) });
    expect(made.status).toBe(201);
  });

  it('lets an Authorization header win over the cookie, and needs no CSRF token with it', async () => {
    // Carer's bearer beside an admin's cookie: the request is the carer's.
    const who = await fetch(`${base}/api/v1/session`, { headers: { ...withCookie(fx.tokens.admin), ...fx.auth('carer') } });
    expect(await who.json()).toMatchObject({ userId: 'u-carer', role: 'carer' });
    const post = await fetch(`${base}/api/v1/patients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...withCookie(fx.tokens.clinician), ...fx.auth('admin') },
      body: JSON.stringify({ id: 'p-bearer-wins', careTeamId: IDS.north, displayName: 'Bearer Resident' }),
    });
    expect(post.status).toBe(201);
    // A malformed Authorization header is refused; the cookie does not stand in for it.
    const malformed = await fetch(`${base}/api/v1/patients`, { headers: { ...withCookie(fx.tokens.admin), authorization: 'Basic YWxhZGRpbjpvcGVu' } });
    expect(malformed.status).toBe(401);
  });

  it('ends the session when the token is revoked', async () => {
    await fx.registry.createUser({ id: 'u-revoked', displayName: 'Revoked', role: 'clinician', careTeamIds: [IDS.north] });
    const { id, token } = await fx.registry.createToken({ userId: 'u-revoked', expiresInSeconds: 3600 });
    expect((await signIn(token)).status).toBe(201);
    expect((await fetch(`${base}/api/v1/session`, { headers: withCookie(token) })).status).toBe(200);
    await fx.registry.revokeToken(id);
    const after = await fetch(`${base}/api/v1/session`, { headers: withCookie(token) });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ code: 'RPM_ERR_UNAUTHENTICATED', detail: 'the token is unknown, expired or revoked' });
  });

  it('signs out: DELETE /session clears the cookie with 204, needing no valid session', async () => {
    for (const headers of [withCookie(fx.tokens.clinician), {}]) {
      const res = await fetch(`${base}/api/v1/session`, { method: 'DELETE', headers });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
      expect(cookieAttributes(res.headers.get('set-cookie'))).toMatchObject({ name: 'rpm_session', value: '', 'max-age': '0', path: '/api/v1', httponly: true });
    }
  });

  it('refuses unknown, malformed and over-long tokens, counting failures against the address', async () => {
    const post = (token: unknown, remoteAddress: string) =>
      fx.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token }, remoteAddress });
    const unknown = await post('tok_unknown-unknown-unknown-unknown', '198.51.100.20');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['set-cookie']).toBeUndefined();
    expect(unknown.json()).toMatchObject({ code: 'RPM_ERR_UNAUTHENTICATED', detail: 'the token is unknown, expired or revoked' });
    expect((await post('not a token at all', '198.51.100.20')).json()).toMatchObject({ code: 'RPM_ERR_UNAUTHENTICATED', detail: 'the token is not well-formed' });
    expect((await post('tok_still-guessing-guessing-guessing', '198.51.100.20')).statusCode).toBe(401);
    const limited = await post('tok_still-guessing-guessing-guessing', '198.51.100.20');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The limiter is the bearer auth's: the same address is throttled there too, while a valid token still works.
    expect((await fx.app.inject({ method: 'GET', url: '/api/v1/patients', headers: { authorization: 'Bearer tok_x-x-x-x-x-x-x-x-x' }, remoteAddress: '198.51.100.20' })).statusCode).toBe(429);
    expect((await post(fx.tokens.clinician, '198.51.100.20')).statusCode).toBe(201);

    const long = await post(`eyJ${'a'.repeat(3950)}.b.c`, '198.51.100.21');
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'RPM_ERR_VALIDATION', errors: [{ path: 'body.token' }] });
    const missing = await post(undefined, '198.51.100.21');
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'RPM_ERR_VALIDATION' });
  });

  it('makes no session (no cookie, 503) when the sign-in cannot be recorded in the audit log', async () => {
    const broken = await freshPglite();
    const store = new SqlAuditStore(broken);
    const app = await buildApp({ ...fx.services, audit: { trail: new AuditTrail(store, { flushEveryMs: 1 }), store } });
    try {
      await broken.close(); // the audit database is gone
      const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: fx.tokens.clinician } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'RPM_ERR_AUDIT_UNAVAILABLE', detail: 'the sign-in cannot be recorded, so no session was made; try again shortly' });
      expect(res.headers['set-cookie']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('answers the sign-in configuration without OIDC as null', async () => {
    const res = await fetch(`${base}/api/v1/session/config`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ oidc: null });
  });

  it('marks the cookie Secure when the API serves TLS, or a trusted proxy says the request came over HTTPS', async () => {
    const dir = await tempDir('api-session-tls');
    const certs = await makeTestCerts(dir.path, []);
    for (const [options, headers] of [
      [{ https: certs.server }, {}],
      [{ trustProxy: true }, { 'x-forwarded-proto': 'https' }],
    ] as const) {
      // Its own audit trail: closing this app closes it, not the fixture's.
      const app = await buildApp({ ...fx.services, audit: { trail: new AuditTrail(fx.services.audit.store), store: fx.services.audit.store } }, options);
      try {
        const res = await app.inject({ method: 'POST', url: '/api/v1/session', headers, payload: { token: fx.tokens.clinician } });
        expect(res.statusCode).toBe(201);
        expect(cookieAttributes(String(res.headers['set-cookie'])).secure).toBe(true);
      } finally {
        await app.close();
      }
    }
    await dir.remove();
  });
});

describe('session with OIDC', () => {
  let fx: ApiFixture;
  let idp: Server;
  let issuer: string;
  let key: CryptoKey;
  let discoveryHits = 0;
  let down = false;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    idp = createServer((req, res) => {
      if (down) {
        res.statusCode = 502;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      if (req.url === '/realms/care/.well-known/openid-configuration') {
        discoveryHits += 1;
        res.end(
          JSON.stringify({
            issuer,
            jwks_uri: `${issuer}/certs`,
            authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
            token_endpoint: `${issuer}/protocol/openid-connect/token`,
          }),
        );
      } else if (req.url === '/realms/care/certs') {
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/realms/care`;
    const jwt = createOidcVerifier({ issuer, audience: 'rpm-web', userClaim: 'preferred_username', roleClaim: 'roles', teamsClaim: 'rpm_teams', roleMap: DEFAULT_ROLE_MAP });
    fx = await startApiFixture({ jwt, oidcClient: { issuer, clientId: 'rpm-web', scope: 'openid profile' } });
  });

  afterAll(async () => {
    await fx?.close();
    await new Promise((r) => idp?.close(r));
  });

  it('answers 503 RPM_ERR_SIGN_IN_PROVIDER_UNAVAILABLE while the issuer cannot be reached, then the client settings once it can (fetched once)', async () => {
    down = true;
    const unreachable = await fx.app.inject({ method: 'GET', url: '/api/v1/session/config' });
    expect(unreachable.statusCode).toBe(503);
    expect(unreachable.json()).toMatchObject({ code: 'RPM_ERR_SIGN_IN_PROVIDER_UNAVAILABLE', detail: expect.stringContaining(issuer) as string });
    down = false;
    const hitsBefore = discoveryHits;
    for (let i = 0; i < 3; i++) {
      const res = await fx.app.inject({ method: 'GET', url: '/api/v1/session/config' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        oidc: {
          issuer,
          clientId: 'rpm-web',
          authorizationEndpoint: `${issuer}/protocol/openid-connect/auth`,
          tokenEndpoint: `${issuer}/protocol/openid-connect/token`,
          scope: 'openid profile',
        },
      });
    }
    expect(discoveryHits - hitsBefore).toBe(1);
  });

  it('exchanges an OIDC JWT for a session that ends when the JWT expires', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = await new SignJWT({ preferred_username: 'nurse.holm', roles: ['clinician'], rpm_teams: [IDS.north] })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience('rpm-web')
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(key);
    const res = await fx.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ userId: 'nurse.holm', role: 'clinician', careTeamIds: [IDS.north], expiresAt: new Date(exp * 1000).toISOString(), csrfToken: csrfOf(token) });
    const maxAge = Number(cookieAttributes(String(res.headers['set-cookie']))['max-age']);
    expect(maxAge).toBeGreaterThan(590);
    expect(maxAge).toBeLessThanOrEqual(600);
    const read = await fx.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}`, headers: { cookie: `rpm_session=${token}` } });
    expect(read.statusCode).toBe(200);
  });
});
