/**
 * Who gets in: registry tokens (revocable), OIDC JWTs from a configured issuer verified against a
 * JWKS served by a local HTTP server, throttling of failed attempts per address, and the transport
 * around it: security headers, CORS for configured origins only, TLS when configured.
 */
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../dashboard-api/app.js';
import { createOidcVerifier, DEFAULT_ROLE_MAP } from '../../dashboard-api/auth/oidc.js';
import { AuditTrail } from '../../hub/audit/audit-trail.js';
import { IDS, startApiFixture, writeReadings, type ApiFixture } from '../support/api-fixture.js';
import { tempDir } from '../support/temp-dir.js';
import { makeTestCerts } from '../support/test-certs.js';

describe('registry tokens and throttling', () => {
  let fx: ApiFixture;

  beforeAll(async () => {
    fx = await startApiFixture({ authFailuresPerMinute: 3 });
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('refuses a revoked token', async () => {
    await fx.registry.createUser({ id: 'u-leaver', displayName: 'Leaver', role: 'clinician', careTeamIds: [IDS.north] });
    const { id, token } = await fx.registry.createToken({ userId: 'u-leaver', expiresInSeconds: 3600 });
    const url = `/api/v1/patients/${IDS.north1}`;
    const before = await fx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` }, remoteAddress: '198.51.100.1' });
    expect(before.statusCode).toBe(200);
    await fx.registry.revokeToken(id);
    const after = await fx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` }, remoteAddress: '198.51.100.1' });
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toBe('Bearer realm="rpm-hub"');
    expect(after.json()).toMatchObject({ code: 'RPM_ERR_UNAUTHENTICATED', detail: 'the token is unknown, expired or revoked' });
  });

  it('answers 429 after too many failures from one address, while valid tokens and other addresses go on', async () => {
    const bad = { authorization: 'Bearer tok_guessing-guessing-guessing-0000' };
    const attempt = (remoteAddress: string, headers: Record<string, string>) =>
      fx.app.inject({ method: 'GET', url: '/api/v1/patients', headers, remoteAddress });
    for (let i = 0; i < 3; i++) expect((await attempt('203.0.113.7', bad)).statusCode).toBe(401);
    const limited = await attempt('203.0.113.7', bad);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'RPM_ERR_RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Missing tokens count as failures too.
    expect((await attempt('203.0.113.7', {})).statusCode).toBe(429);
    // A colleague behind the same address with a valid token is served.
    expect((await attempt('203.0.113.7', fx.auth('clinician'))).statusCode).toBe(200);
    // Another address is not affected.
    expect((await attempt('203.0.113.8', bad)).statusCode).toBe(401);
  });
});

describe('OIDC', () => {
  let fx: ApiFixture;
  let jwks: Server;
  let issuer: string;
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;
  let discoveryHits = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    signingKey = pair.privateKey;
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((req, res) => {
      if (req.url === '/realms/care/.well-known/openid-configuration') {
        discoveryHits += 1;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }));
      } else if (req.url === '/realms/care/protocol/openid-connect/certs') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/realms/care`;
    const verifier = createOidcVerifier({
      issuer,
      audience: 'rpm-dashboard',
      userClaim: 'preferred_username',
      roleClaim: 'realm_access.roles',
      teamsClaim: 'rpm_teams',
      roleMap: { ...DEFAULT_ROLE_MAP, 'rpm-nurse': 'clinician' },
    });
    fx = await startApiFixture({ jwt: verifier });
    await writeReadings(fx.influx, IDS.north1, [{ kind: 'spo2', at: new Date('2026-03-01T08:00:00Z'), values: { spo2: 95 } }]);
  });

  afterAll(async () => {
    await fx?.close();
    await new Promise((r) => jwks?.close(r));
  });

  async function jwt(claims: Record<string, unknown>, options: { key?: CryptoKey; iss?: string; aud?: string; exp?: string | number; kid?: string } = {}) {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'k1' })
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? 'rpm-dashboard')
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '5m')
      .sign(options.key ?? signingKey);
  }

  const nurse = { preferred_username: 'nurse.jensen', realm_access: { roles: ['offline_access', 'rpm-nurse'] }, rpm_teams: [IDS.north] };
  const get = (token: string, url: string) => fx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('accepts a JWT from the issuer and maps its claims to role and care teams', async () => {
    const token = await jwt(nurse);
    const own = await get(token, `/api/v1/patients/${IDS.north1}/readings?kind=spo2&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z`);
    expect(own.statusCode).toBe(200);
    expect(own.json<{ readings: unknown[] }>().readings).toHaveLength(1);
    expect((await get(token, `/api/v1/patients/${IDS.south1}`)).statusCode).toBe(404);
    // clinician, not admin
    expect((await get(token, '/api/v1/audit')).statusCode).toBe(403);
    // The issuer's metadata was discovered once and cached.
    expect(discoveryHits).toBe(1);
    // The audit log names the OIDC user.
    const audit = await fx.app.inject({ method: 'GET', url: '/api/v1/audit?userId=nurse.jensen', headers: fx.auth('admin') });
    expect(audit.json<{ entries: { action: string }[] }>().entries.map((e) => e.action)).toContain('readings.read');
  });

  it.each([
    ['signed with another key', () => jwt(nurse, { key: otherKey })],
    ['from another issuer', () => jwt(nurse, { iss: 'http://127.0.0.1:1/realms/evil' })],
    ['for another audience', () => jwt(nurse, { aud: 'some-other-app' })],
    ['expired', () => jwt(nurse, { exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['without a known role', () => jwt({ ...nurse, realm_access: { roles: ['offline_access'] } })],
    ['unsigned (alg none)', async () => `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...nurse, iss: issuer, aud: 'rpm-dashboard' })).toString('base64url')}.x`],
  ])('refuses a JWT %s', async (_what, make) => {
    const res = await get(await make(), '/api/v1/patients');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'RPM_ERR_UNAUTHENTICATED' });
  });

  it('still accepts registry tokens beside OIDC', async () => {
    expect((await fx.app.inject({ method: 'GET', url: '/api/v1/patients', headers: fx.auth('carer') })).statusCode).toBe(200);
  });
});

describe('transport: headers, CORS, TLS', () => {
  let fx: ApiFixture;

  beforeAll(async () => {
    fx = await startApiFixture({ corsOrigins: ['https://dashboard.region.example'] });
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('sets security headers on API answers, errors included, and keeps patient data out of caches', async () => {
    for (const headers of [fx.auth('clinician'), {}]) {
      const res = await fx.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}`, headers });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      // Without TLS there is no HSTS (RFC 6797 §7.2: not over plain HTTP).
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('allows configured origins only', async () => {
    const allowed = await fx.app.inject({ method: 'OPTIONS', url: '/api/v1/patients', headers: { origin: 'https://dashboard.region.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://dashboard.region.example');
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('authorization');
    const other = await fx.app.inject({ method: 'GET', url: '/api/v1/patients', headers: { ...fx.auth('clinician'), origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows no origin by default', async () => {
    // Its own audit trail: closing this app must not close the fixture's.
    const app = await buildApp({ ...fx.services, audit: { trail: new AuditTrail(fx.services.audit.store), store: fx.services.audit.store } });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/v1/patients', headers: { ...fx.auth('clinician'), origin: 'https://dashboard.region.example' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe('TLS', () => {
  it('serves HTTPS with the configured certificate and sends HSTS', async () => {
    const dir = await tempDir('api-tls');
    const certs = await makeTestCerts(dir.path, []);
    const fx = await startApiFixture({ https: certs.server });
    try {
      const base = await fx.listen();
      expect(base.startsWith('https://')).toBe(true);
      const { status, headers, body } = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const req = httpsRequest(`${base}/api/v1/patients`, { ca: certs.ca, headers: fx.auth('clinician') }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
      expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect((JSON.parse(body) as { patients: unknown[] }).patients).toHaveLength(2);
    } finally {
      await fx.close();
      await dir.remove();
    }
  });
});
