/**
 * The web application served by the API over real HTTP, from a temporary build directory (a fake
 * index.html and hashed asset, not the real build): / redirects to /app/, hashed assets are cached
 * for a year, index.html is revalidated, unknown paths under /app/ answer index.html (the page's
 * router decides), missing assets and hidden files are 404, the pages carry a strict CSP, and an
 * API without a build serves no web routes at all.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../dashboard-api/app.js';
import { AuditTrail } from '../../hub/audit/audit-trail.js';
import { startApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { tempDir } from '../support/temp-dir.js';

const INDEX = '<!doctype html><html lang="en"><head><script type="module" src="/app/assets/index-4f2a9c1b.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("rpm web");';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

describe('web application from a build directory', () => {
  let fx: ApiFixture;
  let base: string;
  let dir: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    dir = await tempDir('web-dist');
    await mkdir(join(dir.path, 'assets'));
    await writeFile(join(dir.path, 'index.html'), INDEX);
    await writeFile(join(dir.path, 'assets', 'index-4f2a9c1b.js'), SCRIPT);
    await writeFile(join(dir.path, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(dir.path, '.env'), 'SECRET=1');
    fx = await startApiFixture({ webRoot: dir.path });
    base = await fx.listen();
  });

  afterAll(async () => {
    await fx?.close();
    await dir?.remove();
  });

  const get = (path: string) => fetch(`${base}${path}`, { redirect: 'manual' });

  it('redirects / and /app to /app/', async () => {
    for (const path of ['/', '/app']) {
      const res = await get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location')).toBe('/app/');
    }
  });

  it('serves index.html at /app/ with no-cache and the strict CSP', async () => {
    const res = await get('/app/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(INDEX);
  });

  it('serves hashed assets as immutable for a year, other files with no-cache', async () => {
    const script = await get('/app/assets/index-4f2a9c1b.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe(SCRIPT);
    const icon = await get('/app/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    const direct = await get('/app/index.html');
    expect(direct.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers index.html for any other path under /app/ (the page routes itself)', async () => {
    for (const path of ['/app/patients/p-n1', '/app/alerts?state=open', '/app/deep/ly/nested/']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toBe(CSP);
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('answers 404 problem+json for a missing asset, hidden files and escapes from the root', async () => {
    const missing = await get('/app/assets/index-00000000.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.headers.get('cache-control') ?? '').not.toMatch(/immutable/);
    for (const path of ['/app/.env', '/app/%2e%2e/%2e%2e/etc/passwd', '/app/..%2F..%2Fpackage.json']) {
      const res = await get(path);
      const text = await res.text();
      expect(text, path).not.toContain('SECRET');
      expect(text, path).not.toContain('root:');
      expect(text, path).not.toContain('"name"');
    }
  });

  it('keeps the API as it was: JSON, its own CSP and no-store', async () => {
    const res = await fetch(`${base}/api/v1/patients`, { headers: fx.auth('clinician') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it("allows the OIDC issuer's origin in connect-src when browser sign-in is configured", async () => {
    const services = { ...fx.services, audit: { trail: new AuditTrail(fx.services.audit.store), store: fx.services.audit.store } };
    const app = await buildApp(services, { webRoot: dir.path, oidcClient: { issuer: 'https://login.region.example/realms/care', clientId: 'rpm-web', scope: 'openid' } });
    try {
      const res = await app.inject({ method: 'GET', url: '/app/' });
      expect(res.headers['content-security-policy']).toBe(CSP.replace("connect-src 'self'", "connect-src 'self' https://login.region.example"));
    } finally {
      await app.close();
    }
  });

  it('serves no web routes when the build directory does not exist', async () => {
    const services = { ...fx.services, audit: { trail: new AuditTrail(fx.services.audit.store), store: fx.services.audit.store } };
    const app = await buildApp(services, { webRoot: join(dir.path, 'not-built') });
    try {
      for (const url of ['/', '/app/', '/app/assets/index-4f2a9c1b.js']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(404);
        expect(res.json()).toMatchObject({ code: 'RPM_ERR_ROUTE_NOT_FOUND' });
      }
    } finally {
      await app.close();
    }
  });
});
