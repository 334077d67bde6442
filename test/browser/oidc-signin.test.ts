/**
 * The organisation sign-in in a real browser: headless Chromium runs the web application's OIDC
 * authorization code flow with PKCE (RFC 7636) against a small identity provider on a loopback
 * port, and the hub (configured with that issuer) turns the provider's JWT into its HttpOnly
 * session cookie. The provider checks what a real one checks (client, redirect URI, S256, state;
 * at the token endpoint the code, the redirect URI and SHA-256(code_verifier) = code_challenge),
 * so a flow that cut a corner would fail here rather than at the first hospital.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { da } from '../../web/src/i18n/da.js';
import { en } from '../../web/src/i18n/en.js';
import { sv } from '../../web/src/i18n/sv.js';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.js';
import { PATIENTS, TEAM, WebWorld } from './web-world.js';

const SHOTS = 'oidc-signin';
const CLIENT_ID = 'rpm-web';
/** A user the world seeds (u-web-clinician of team-north), as the provider names them. */
const USER = { sub: 'u-web-clinician', rpm_role: ['clinician'], rpm_teams: [TEAM] };

interface Grant {
  readonly challenge: string;
  readonly redirectUri: string;
}

/** What the test can make the provider do wrong, and what it saw. */
interface ProviderControl {
  /** Answer the redirect with another state (as a code injected from another sign-in would). */
  tamperState: boolean;
  /** Remember another challenge than the one sent, so the page's verifier cannot match it. */
  tamperChallenge: boolean;
  readonly authorizations: URLSearchParams[];
  readonly tokenRequests: { readonly body: URLSearchParams; readonly status: number; readonly error?: string }[];
  /** Every JWT the provider issued, to make sure none is left in the page's storage. */
  readonly issued: string[];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/** The identity provider: discovery, JWKS, an authorization endpoint with no login form, a token endpoint. */
async function startProvider(hubOrigin: () => string): Promise<{ server: Server; issuer: string; control: ProviderControl }> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const key: CryptoKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'browser-k1', alg: 'ES256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const control: ProviderControl = { tamperState: false, tamperChallenge: false, authorizations: [], tokenRequests: [], issued: [] };
  let issuer = '';
  const redirectUri = () => `${hubOrigin()}/app/signin`;

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', issuer);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/realms/care/.well-known/openid-configuration') {
        return json(200, { issuer, jwks_uri: `${issuer}/certs`, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` });
      }
      if (url.pathname === '/realms/care/certs') return json(200, { keys: [jwk] });
      if (url.pathname === '/realms/care/auth' && req.method === 'GET') {
        const q = url.searchParams;
        control.authorizations.push(q);
        const problems = [
          q.get('client_id') !== CLIENT_ID && 'client_id',
          q.get('redirect_uri') !== redirectUri() && 'redirect_uri',
          q.get('response_type') !== 'code' && 'response_type',
          q.get('code_challenge_method') !== 'S256' && 'code_challenge_method',
          !/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? '') && 'code_challenge',
          !q.get('state') && 'state',
        ].filter(Boolean);
        if (problems.length > 0) return json(400, { error: 'invalid_request', error_description: `bad ${problems.join(', ')}` });
        const code = randomBytes(16).toString('base64url');
        const challenge = control.tamperChallenge ? s256('not-the-verifier-the-page-made-0123456789abcdef') : q.get('code_challenge')!;
        grants.set(code, { challenge, redirectUri: q.get('redirect_uri')! });
        const back = new URL(q.get('redirect_uri')!);
        back.searchParams.set('code', code);
        back.searchParams.set('state', control.tamperState ? `${q.get('state')}x` : q.get('state')!);
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      if (url.pathname === '/realms/care/token') {
        // The page calls this from its own origin: CORS (the hub's CSP allows the issuer in connect-src).
        res.setHeader('access-control-allow-origin', hubOrigin());
        res.setHeader('vary', 'origin');
        if (req.method === 'OPTIONS') {
          res.writeHead(204, { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' });
          return res.end();
        }
        const body = new URLSearchParams(await readBody(req));
        const refuse = (error: string) => {
          control.tokenRequests.push({ body, status: 400, error });
          json(400, { error });
        };
        const code = body.get('code') ?? '';
        const grant = grants.get(code);
        grants.delete(code); // one use only (RFC 6749 §4.1.2)
        if (body.get('grant_type') !== 'authorization_code' || body.get('client_id') !== CLIENT_ID) return refuse('invalid_client');
        if (!grant || body.get('redirect_uri') !== grant.redirectUri) return refuse('invalid_grant');
        if (s256(body.get('code_verifier') ?? '') !== grant.challenge) return refuse('invalid_grant');
        const jwt = await new SignJWT({ ...USER })
          .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
          .setIssuer(issuer)
          .setAudience(CLIENT_ID)
          .setSubject(USER.sub)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(key);
        control.issued.push(jwt);
        control.tokenRequests.push({ body, status: 200 });
        return json(200, { access_token: jwt, id_token: jwt, token_type: 'Bearer', expires_in: 3600 });
      }
      json(404, { error: 'not_found' });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/care`;
  return { server, issuer, control };
}

describe('web application: organisation sign-in (OIDC code + PKCE) in Chromium', () => {
  const world = new WebWorld();
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    provider = await startProvider(() => world.baseUrl);
    // The hub reads its API settings from the environment (bin/compose-hub.ts); this file's worker is its own process.
    Object.assign(process.env, { API_OIDC_ISSUER: provider.issuer, API_OIDC_AUDIENCE: CLIENT_ID, API_OIDC_CLIENT_ID: CLIENT_ID });
    await world.start();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await world.close();
    await new Promise((r) => provider?.server.close(r));
  });

  async function newPage(locale: string): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    return { page, context };
  }

  /** Everything the page could read from its storage, to check no token or code is left there. */
  async function pageStorage(page: Page): Promise<string> {
    return page.evaluate(() => {
      // Spread, the storages give their keys and values; no DOM types in this (Node) project.
      const w = globalThis as unknown as { localStorage: object; sessionStorage: object };
      return JSON.stringify({ ...w.localStorage }) + JSON.stringify({ ...w.sessionStorage });
    });
  }

  /** A same-origin API call from the page: only the cookie can authenticate it. */
  async function apiStatus(page: Page, path: string): Promise<number> {
    return page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).status, path);
  }

  async function sessionCookie(context: BrowserContext) {
    return (await context.cookies(`${world.baseUrl}/api/v1/session`)).find((c) => c.name === 'rpm_session');
  }

  it('opens a deep link signed out, goes round the provider and lands back on it, signed in by cookie only; sign-out ends it', async () => {
    const { page, context } = await newPage('en-GB');
    await page.goto(`${world.baseUrl}/app/alerts`);
    const button = page.getByRole('button', { name: en.signin.oidc });
    await button.waitFor();
    await screenshot(page, SHOTS, 'sign-in-offers-organisation');
    expect(await seriousAxeViolations(page)).toEqual([]);

    const before = provider.control.tokenRequests.length;
    await button.click();
    await page.waitForURL((u) => u.pathname === '/app/alerts', { timeout: 20_000 });
    await page.locator('header.top').waitFor();
    await page.getByRole('heading', { level: 1, name: en.alerts.title }).waitFor();
    await screenshot(page, SHOTS, 'landed-on-alerts');

    // The provider saw one proper authorization request and one token request it accepted.
    const auth = provider.control.authorizations.at(-1)!;
    expect(auth.get('scope')).toBe('openid profile');
    const tokenRequest = provider.control.tokenRequests.slice(before);
    expect(tokenRequest.map((r) => r.status)).toEqual([200]);
    expect(s256(tokenRequest[0]!.body.get('code_verifier')!)).toBe(auth.get('code_challenge'));

    // The code left the address bar; the session is an HttpOnly cookie; nothing of the round trip is in storage.
    expect(new URL(page.url()).search).toBe('');
    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1', value: provider.control.issued.at(-1) });
    const jwt = provider.control.issued.at(-1)!;
    const stored = await pageStorage(page);
    expect(stored).not.toContain(jwt);
    expect(stored).not.toMatch(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    expect(stored).not.toContain(tokenRequest[0]!.body.get('code_verifier')!);
    expect(stored).not.toContain('rpm.oidc');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).not.toContain('rpm_session');

    // The worklist and the API answer by the cookie alone.
    expect(await apiStatus(page, '/api/v1/session')).toBe(200);
    expect(await apiStatus(page, '/api/v1/patients')).toBe(200);
    await page.getByRole('link', { name: en.nav.worklist }).click();
    await page.getByText(PATIENTS.hypertension.name).first().waitFor();
    await expect.poll(() => page.getByText(PATIENTS.otherTeam.name).count()).toBe(0);

    // Sign-out ends the session: the cookie goes, the API says 401, the sign-in page says so.
    await page.getByRole('button', { name: en.nav.signOut }).click();
    await page.getByText(en.signin.signedOut).waitFor();
    expect(await sessionCookie(context)).toBeUndefined();
    expect(await apiStatus(page, '/api/v1/session')).toBe(401);
    expect(await apiStatus(page, '/api/v1/patients')).toBe(401);
    await screenshot(page, SHOTS, 'signed-out');
  }, 90_000);

  it('shows a clear error in Danish and makes no session when the provider refuses the code verifier', async () => {
    const { page, context } = await newPage('da-DK');
    provider.control.tamperChallenge = true;
    try {
      const before = provider.control.tokenRequests.length;
      await page.goto(`${world.baseUrl}/app/alerts`);
      await page.getByRole('button', { name: da.signin.oidc }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor({ timeout: 20_000 });
      await screenshot(page, SHOTS, 'verifier-refused-da');
      expect(provider.control.tokenRequests.slice(before).map((r) => r.error)).toEqual(['invalid_grant']);
      await expect.poll(() => alert.textContent()).toContain(da.oidcSignIn.refused);
      expect(await sessionCookie(context)).toBeUndefined();
      expect(await apiStatus(page, '/api/v1/session')).toBe(401);
      expect(await page.getByRole('button', { name: da.signin.oidc }).isEnabled()).toBe(true);
      expect(await seriousAxeViolations(page)).toEqual([]);
    } finally {
      provider.control.tamperChallenge = false;
    }
  }, 60_000);

  it('refuses a response with another state (in Swedish), never exchanging its code', async () => {
    const { page, context } = await newPage('sv-SE');
    provider.control.tamperState = true;
    try {
      const before = provider.control.tokenRequests.length;
      await page.goto(`${world.baseUrl}/app/alerts`);
      await page.getByRole('button', { name: sv.signin.oidc }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor({ timeout: 20_000 });
      await screenshot(page, SHOTS, 'state-mismatch-sv');
      await expect.poll(() => alert.textContent()).toContain(sv.oidcSignIn.stateMismatch);
      expect(provider.control.tokenRequests.length).toBe(before);
      expect(new URL(page.url()).search).toBe('');
      expect(await sessionCookie(context)).toBeUndefined();
      expect(await apiStatus(page, '/api/v1/session')).toBe(401);
    } finally {
      provider.control.tamperState = false;
    }
  }, 60_000);
});
