/**
 * The care-team web application in real headless Chromium against a real hub (broker, ingest,
 * InfluxDB, PGlite, alert engine, API serving the built pages) with a firmware-sim home publishing
 * over MQTT. Each page is screenshotted (test-results/screenshots/web-app/) and checked with axe-core.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { da } from '../../web/src/i18n/da.js';
import { en } from '../../web/src/i18n/en.js';
import { sv } from '../../web/src/i18n/sv.js';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.js';
import { writeReadings } from '../support/api-fixture.js';
import { GATEWAY, PATIENTS, WebWorld, type WebUser } from './web-world.js';

type El = { getAttribute(name: string): string | null; textContent: string | null };

const SHOTS = 'web-app';
const ordinary = { systolic: 132, diastolic: 84, pulse: 72, spo2: 95, temperature: 36.8, weight: 74 };

describe('care-team web application (Chromium)', () => {
  const world = new WebWorld();
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await world.start();
    browser = await launchBrowser();
    // The deteriorating resident: blood pressure in grade 3, so the engine opens alerts before the first page.
    await world.publish({ ...ordinary, systolic: 186, diastolic: 112, pulse: 98 }, ['bp']);
    await waitForApi('clinician', async (get) => (await get(`/api/v1/alerts?patientId=${PATIENTS.deteriorating.id}`)).alerts.length > 0);
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await world.close();
  });

  type Get = (path: string) => Promise<{ alerts: { id: string; state: string; severity: string; rule: string; acknowledgedBy?: string }[] } & Record<string, unknown>>;
  const apiAs = (user: WebUser): Get => async (path) => {
    const res = await fetch(`${world.baseUrl}${path}`, { headers: { authorization: `Bearer ${world.tokens[user]}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as never;
  };
  async function waitForApi(user: WebUser, ready: (get: Get) => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await ready(apiAs(user)).catch(() => false))) {
      if (Date.now() > until) throw new Error('the hub did not reach the expected state in time');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function newPage(options: { locale?: string; width?: number } = {}): Promise<Page> {
    const context = await browser.newContext({ locale: options.locale ?? 'en-GB', viewport: { width: options.width ?? 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
    return page;
  }

  /** Signs in through the one-click link (#signin=<token>) on the given page path. */
  async function signedIn(user: WebUser, path = '/app/', options: { locale?: string; width?: number } = {}): Promise<Page> {
    const page = await newPage(options);
    await page.goto(`${world.baseUrl}${path}#signin=${world.tokens[user]}`);
    await page.locator('header.top').waitFor();
    return page;
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousAxeViolations(page)).toEqual([]);
  }

  it('signs in with an access token, keeps no token in the page, and shows the deteriorating resident first', async () => {
    const page = await newPage();
    await page.goto(`${world.baseUrl}/app/`);
    await page.getByLabel(en.signin.token).fill(world.tokens.clinician);
    await screenshot(page, SHOTS, 'sign-in');
    await expectAccessible(page);
    await page.getByRole('button', { name: en.signin.submit }).click();
    const rows = page.locator('[data-testid=worklist] tbody tr');
    await rows.first().waitFor();
    expect(await rows.first().getAttribute('data-patient-id')).toBe(PATIENTS.deteriorating.id);
    const shown = await rows.evaluateAll((els: El[]) => els.map((e) => e.getAttribute('data-patient-id')));
    expect(shown.sort()).toEqual([PATIENTS.hypertension.id, PATIENTS.copd.id, PATIENTS.heartFailure.id, PATIENTS.deteriorating.id].sort());
    // Why it is first: the open alert's summary and the NEWS2 line are in the row.
    await expect.poll(() => rows.first().textContent()).toMatch(/Systolic|systolic/);
    expect(await rows.first().textContent()).toContain('NEWS2');
    // The session lives in an HttpOnly cookie only.
    const storage = await page.evaluate(() => {
      const w = globalThis as unknown as { localStorage: object; sessionStorage: object; document: { cookie: string } };
      return JSON.stringify({ ...w.localStorage }) + JSON.stringify({ ...w.sessionStorage }) + w.document.cookie;
    });
    expect(storage).not.toContain(world.tokens.clinician);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'rpm_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await screenshot(page, SHOTS, 'worklist');
    await expectAccessible(page);

    await page.getByLabel(en.worklist.search).fill('lindq');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-patient-id')).toBe(PATIENTS.copd.id);
  });

  it('an urgent alert raised by a firmware-sim reading appears live, is announced, and is acknowledged from the page', async () => {
    const page = await signedIn('clinician', '/app/alerts');
    await page.locator('.live-live').waitFor();
    const before = await page.locator('[data-alert-id]').count();
    // Below the urgent band even for COPD (SpO2 < 80 %; the resident has COPD).
    await world.publish({ ...ordinary, spo2: 78 }, ['spo2']);
    const urgent = page.locator('[data-alert-id]', { has: page.locator('.badge-urgent') });
    await urgent.first().waitFor({ timeout: 15_000 });
    // New rows (the SpO2 threshold, perhaps NEWS2 as well), each alert once.
    const ids = await page.locator('[data-alert-id]').evaluateAll((els: El[]) => els.map((e) => e.getAttribute('data-alert-id')));
    expect(ids.length).toBeGreaterThan(before);
    expect(new Set(ids).size).toBe(ids.length);
    await expect.poll(() => page.getByTestId('announce-assertive').textContent()).toContain(PATIENTS.deteriorating.name);
    await screenshot(page, SHOTS, 'alert-inbox-live');
    await expectAccessible(page);

    const alertId = (await urgent.first().getAttribute('data-alert-id'))!;
    await urgent.first().getByRole('link').click();
    await page.getByTestId('alert-detail').waitFor();
    await page.locator('[data-action=acknowledge]').click();
    await page.getByLabel(en.alerts.note).fill('Called the resident; GP visit arranged');
    await page.getByTestId('outcome').selectOption('action_taken:call');
    await page.getByTestId('action-submit').click();
    await expect.poll(() => page.getByTestId('alert-state').textContent()).toBe(en.state.acknowledged);
    await page.locator('.evidence .chart').waitFor();
    await screenshot(page, SHOTS, 'alert-detail');
    await expectAccessible(page);

    const stored = (await apiAs('clinician')(`/api/v1/alerts/${alertId}`)) as unknown as { state: string; acknowledgedBy: string };
    expect(stored).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'u-web-clinician', outcome: { kind: 'action_taken', action: 'call' } });
  });

  it('a carer sees no acknowledge button, and the API refuses one anyway', async () => {
    const open = (await apiAs('clinician')('/api/v1/alerts?state=open')).alerts;
    expect(open.length).toBeGreaterThan(0);
    const alertId = open[0]!.id;
    const page = await signedIn('carer', `/app/alerts/${alertId}`);
    await page.getByTestId('alert-detail').waitFor();
    expect(await page.locator('[data-action=acknowledge]').count()).toBe(0);
    expect(await page.locator('[data-action=comment]').count()).toBe(1);
    await screenshot(page, SHOTS, 'alert-detail-carer');
    const answer = await page.evaluate(async (id) => {
      const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const res = await fetch(`/api/v1/alerts/${id}/acknowledge`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: '{}' });
      return { status: res.status, body: (await res.json()) as { code?: string } };
    }, alertId);
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('RPM_ERR_FORBIDDEN');
    expect(((await apiAs('clinician')(`/api/v1/alerts/${alertId}`)) as unknown as { state: string }).state).toBe('open');
  });

  it('the patient page charts every blood pressure reading of the last 7 days, and buckets for 30 days', async () => {
    const page = await signedIn('clinician', `/app/patients/${PATIENTS.hypertension.id}`);
    const chart = page.getByTestId('chart-blood_pressure');
    await chart.waitFor();
    expect(Number(await chart.getAttribute('data-points'))).toBe(world.bpLast7Days);
    expect(await page.getByTestId('readings-table').locator('tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, SHOTS, 'patient-7-days');
    await expectAccessible(page);
    await page.locator('[data-range="30d"]').click();
    await expect.poll(async () => Number(await page.getByTestId('chart-blood_pressure').getAttribute('data-points'))).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('vital-blood_pressure').textContent()).toContain(en.patient.hourlyMeans);
  });

  it('switching to Danish and Swedish changes every visible label, and the choice is kept per user', async () => {
    const page = await signedIn('clinician', '/app/');
    await page.locator('[data-testid=worklist]').waitFor();
    const labels = () =>
      page.locator('nav a, h1, th[scope=col], label > span, button, .intro').evaluateAll((els: El[]) => els.map((e) => (e.textContent ?? '').replace(/\s+\d+$/, '').trim()).filter(Boolean));
    const english = await labels();
    const catalogueStrings = (c: object): string[] => Object.values(c).flatMap((v) => (typeof v === 'string' ? [v] : catalogueStrings(v as object)));
    const sameEverywhere = new Set(catalogueStrings(en).filter((s) => catalogueStrings(da).includes(s) && catalogueStrings(sv).includes(s)));
    for (const [language, catalogue] of [['da', da], ['sv', sv]] as const) {
      await page.getByTestId('language').selectOption(language);
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe(language);
      await expect.poll(() => page.locator('h1').textContent()).toBe(catalogue.worklist.title);
      const now = await labels();
      const stillEnglish = now.filter((text) => english.includes(text) && catalogueStrings(en).includes(text) && !sameEverywhere.has(text) && !catalogueStrings(catalogue).includes(text));
      expect(stillEnglish).toEqual([]);
      // The alert's summary too, from its structured message (the engine's text is English).
      await expect.poll(() => page.locator('[data-testid=worklist] tbody tr').first().textContent()).toContain(`${catalogue.component.systolic} 186 mmHg`);
      await screenshot(page, SHOTS, `worklist-${language}`);
      await expectAccessible(page);
    }
    await page.getByTestId('language').selectOption('da');
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent()).toBe(da.worklist.title);
    await page.goto(`${world.baseUrl}/app/patients/${PATIENTS.hypertension.id}`);
    await page.getByTestId('chart-blood_pressure').waitFor();
    await screenshot(page, SHOTS, 'patient-7-days-da');
  });

  it('a carer enters respiration, consciousness and oxygen from the patient page in Swedish; the hub stores them as entered', async () => {
    const page = await signedIn('carer', `/app/patients/${PATIENTS.deteriorating.id}`, { locale: 'sv-SE' });
    const form = page.getByTestId('observation-form');
    await form.waitFor();
    await form.getByLabel(sv.observation.respiration).fill('25');
    await form.getByLabel(sv.observation.consciousness).selectOption('V');
    await form.getByLabel(sv.observation.oxygen).selectOption('yes');
    await form.getByLabel(sv.observation.flow).fill('2');
    await screenshot(page, SHOTS, 'observation-entry-sv');
    await expectAccessible(page);
    await form.getByRole('button', { name: sv.observation.save }).click();
    await page.getByText(sv.observation.saved).waitFor();
    const stored = (await apiAs('clinician')(`/api/v1/patients/${PATIENTS.deteriorating.id}/readings?kind=respiratory_rate`)) as unknown as { readings: { source: string; enteredBy?: string; components: { value: number }[] }[] };
    expect(stored.readings.at(-1)).toMatchObject({ source: 'manual', enteredBy: 'u-web-carer', components: [{ value: 25 }] });
    // An impossible value is stopped by the form (the browser says why, in its language); nothing more is stored.
    await form.getByLabel(sv.observation.respiration).fill('99');
    await form.getByRole('button', { name: sv.observation.save }).click();
    expect(await form.getByLabel(sv.observation.respiration).evaluate((el) => (el as unknown as { validity: { valid: boolean } }).validity.valid)).toBe(false);
    const after = (await apiAs('clinician')(`/api/v1/patients/${PATIENTS.deteriorating.id}/readings?kind=respiratory_rate`)) as unknown as { readings: unknown[] };
    expect(after.readings).toHaveLength(stored.readings.length);
  });

  it('an expired session returns to sign-in and, after signing in, to the page the user was on', async () => {
    const page = await signedIn('clinician', `/app/patients/${PATIENTS.copd.id}`);
    await page.getByTestId('chart-spo2').waitFor();
    await page.context().clearCookies();
    await page.locator('[data-range="24h"]').click();
    await page.getByText(en.signin.expired).waitFor();
    await screenshot(page, SHOTS, 'session-expired');
    await page.getByLabel(en.signin.token).fill(world.tokens.clinician);
    await page.getByRole('button', { name: en.signin.submit }).click();
    await page.getByTestId('chart-spo2').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/app/patients/${PATIENTS.copd.id}`);
  });

  it("API errors read as a clear message in the user's language, never a blank page", async () => {
    const page = await signedIn('clinician', `/app/patients/${PATIENTS.otherTeam.id}`, { locale: 'sv-SE' });
    await page.getByText(sv.error.notFound).waitFor();
    await screenshot(page, SHOTS, 'not-your-patient-sv');
    await page.goto(`${world.baseUrl}/app/no/such/page`);
    await page.getByText(sv.error.pageNotFound).waitFor();
    const bad = await newPage({ locale: 'da-DK' });
    await bad.goto(`${world.baseUrl}/app/`);
    await bad.getByLabel(da.signin.token).fill('not-a-valid-token-at-all-0000');
    await bad.getByRole('button', { name: da.signin.submit }).click();
    await bad.getByText(da.error.unauthenticated).waitFor();
  });

  it('the inbox re-syncs after the live connection drops, with no duplicate rows', async () => {
    const page = await signedIn('clinician', '/app/alerts');
    await page.locator('.live-live').waitFor();
    // Every open connection dropped, as when a proxy restarts; the page reconnects by itself.
    world.server.api.app.server.closeAllConnections();
    await page.locator('.live-reconnecting').waitFor();
    await world.publish({ ...ordinary, temperature: 31.5 }, ['temperature']);
    await waitForApi('clinician', async (get) => (await get('/api/v1/alerts')).alerts.some((a) => a.rule.includes('body_temperature')));
    await page.locator('.live-live').waitFor({ timeout: 20_000 });
    const ids = await page.locator('[data-alert-id]').evaluateAll((els: El[]) => els.map((e) => e.getAttribute('data-alert-id')));
    expect(new Set(ids).size).toBe(ids.length);
    const listed = (await apiAs('clinician')('/api/v1/alerts')).alerts.map((a) => a.id);
    await expect.poll(async () => (await page.locator('[data-alert-id]').evaluateAll((els: El[]) => els.map((e) => e.getAttribute('data-alert-id')))).sort()).toEqual(listed.sort());
  });

  it('the technical view shows boxes and devices, and an admin assigns waiting readings', async () => {
    await writeReadings(world.influx, undefined, [{ kind: 'body_weight', at: new Date(Date.now() - 3_600_000), deviceId: 'sn-web-stray-1', gatewayId: GATEWAY.id, values: { weight: 70.2 } }]);
    const page = await signedIn('admin', '/app/technical', { width: 768 });
    await page.getByTestId('gateways').getByText(GATEWAY.id).waitFor();
    const row = page.getByTestId('unassigned').locator('tr', { hasText: 'sn-web-stray-1' });
    await row.waitFor();
    await screenshot(page, SHOTS, 'technical-tablet');
    await expectAccessible(page);
    await row.locator('select').selectOption(PATIENTS.heartFailure.id);
    await row.getByRole('button', { name: en.technical.assign }).click();
    await page.getByText(/Assigned: 1 reading moved/).waitFor();
  });
});
