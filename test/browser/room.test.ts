/**
 * The community room's pages in real headless Chromium against a real hub (broker, ingest, InfluxDB,
 * PGlite, alert engine, the API serving the built pages), the room's shared devices publishing over
 * MQTT through firmware-sim. In Swedish, staff check resident A in, the devices' readings arrive on
 * the page, they enter respiration, ACVPU and oxygen, NEWS2 is complete and A's alert reaches the
 * worklist. In Danish, resident B checks in at the kiosk with their card and sees only their own
 * first name and readings; at the timeout the screen holds nothing of A or B, and the replayed
 * kiosk session gets a clear refusal and stores nothing. Screenshots in docs/screenshots/.
 */
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { da } from '../../web/src/i18n/da.js';
import { sv } from '../../web/src/i18n/sv.js';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.js';
import { RESIDENTS, ROOM, RoomWorld, type RoomUser } from './room-world.js';

const SHOTS = 'room';
const DOCS = resolve(import.meta.dirname, '../../docs/screenshots');
/** A: a COPD resident getting worse (NEWS2 high with what staff enter); B: an ordinary morning. */
const VITALS_A = { systolic: 168, diastolic: 97, pulse: 112, spo2: 91, temperature: 38.4, weight: 63.2 };
const VITALS_B = { systolic: 124, diastolic: 79, pulse: 66, spo2: 97, temperature: 36.6, weight: 88.8 };

describe('community room pages (Chromium)', () => {
  const world = new RoomWorld();
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await world.start();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await world.close();
  });

  const apiAs = async <T,>(user: RoomUser, path: string): Promise<T> => {
    const res = await fetch(`${world.baseUrl}${path}`, { headers: { authorization: `Bearer ${world.tokens[user]}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as T;
  };

  async function newPage(locale: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
    return page;
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousAxeViolations(page)).toEqual([]);
  }

  it('in Swedish, staff check resident A in; the shared devices’ readings arrive; entered respiration, ACVPU and oxygen make NEWS2 complete; check-out', async () => {
    const page = await newPage('sv-SE');
    await page.goto(`${world.baseUrl}/app/rooms#signin=${world.tokens.staff}`);
    const rooms = page.getByTestId('rooms');
    await rooms.waitFor();
    expect(await rooms.textContent()).toContain(sv.rooms.free);
    await expectAccessible(page);
    await page.getByRole('link', { name: ROOM.name }).click();

    const form = page.getByTestId('checkin-form');
    await form.waitFor();
    // Only this team's residents are offered; a search narrows them to one, which is then chosen.
    await form.getByLabel(sv.rooms.search).fill('åkes');
    await expect.poll(() => form.locator('select').inputValue()).toBe(RESIDENTS.a.id);
    await form.getByLabel(sv.rooms.minutes).fill('10');
    await expectAccessible(page);
    await form.getByRole('button', { name: sv.rooms.checkIn }).click();

    const panel = page.getByTestId('room-session');
    await panel.waitFor();
    expect(await panel.locator('h2').first().textContent()).toBe(sv.rooms.checkedIn.replace('{{name}}', RESIDENTS.a.name));
    expect(await page.getByTestId('countdown').textContent()).toMatch(/^(10:00|9:5\d)$/);

    await world.measure(VITALS_A);
    const rows = panel.getByTestId('session-readings').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(5);
    const table = await panel.getByTestId('session-readings').textContent();
    expect(table).toContain('168/97');
    expect(table).toContain('91 %');

    const entry = panel.getByTestId('observation-form');
    await entry.getByLabel(sv.observation.respiration).fill('25');
    await entry.getByLabel(sv.observation.consciousness).selectOption('V');
    await entry.getByLabel(sv.observation.oxygen).selectOption('yes');
    await entry.getByLabel(sv.observation.flow).fill('2');
    await entry.getByRole('button', { name: sv.observation.save }).click();
    await page.getByText(sv.observation.saved).waitFor();

    const news2 = page.getByTestId('news2');
    await expect.poll(() => news2.getAttribute('data-complete'), { timeout: 30_000 }).toBe('true');
    expect(await news2.textContent()).toContain(sv.news2.complete);
    await expectAccessible(page);
    await screenshot(page, SHOTS, 'room-checkin-sv');
    await page.screenshot({ path: resolve(DOCS, 'room-checkin-sv.png'), fullPage: true });

    // The scenario resident's alert is on the care team's worklist.
    const alerts = await apiAs<{ alerts: { rule: string; state: string }[] }>('staff', `/api/v1/alerts?patientId=${RESIDENTS.a.id}`);
    expect(alerts.alerts.some((a) => a.rule.startsWith('news2') && a.state === 'open')).toBe(true);

    await panel.getByRole('button', { name: sv.rooms.checkOut }).click();
    await page.getByText(sv.rooms.ended).waitFor();
    await form.waitFor();
    const room = await apiAs<{ busy: boolean }>('staff', `/api/v1/rooms/${ROOM.id}`);
    expect(room.busy).toBe(false);

    await page.getByRole('link', { name: sv.nav.worklist }).click();
    const first = page.locator('[data-testid=worklist] tbody tr').first();
    await expect.poll(() => first.getAttribute('data-patient-id'), { timeout: 15_000 }).toBe(RESIDENTS.a.id);
    expect(await first.textContent()).toContain('NEWS2');
  }, 120_000);

  it('a busy room is said clearly in Swedish', async () => {
    const page = await newPage('sv-SE');
    await page.goto(`${world.baseUrl}/app/rooms/${ROOM.id}#signin=${world.tokens.staff}`);
    const form = page.getByTestId('checkin-form');
    await form.waitFor();
    // Someone else checks a resident in meanwhile (another screen).
    const other = await fetch(`${world.baseUrl}/api/v1/rooms/${ROOM.id}/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.tokens.staff}`, 'content-type': 'application/json' },
      body: JSON.stringify({ patientId: RESIDENTS.c.id, minutes: 5 }),
    });
    expect(other.status).toBe(201);
    const session = (await other.json()) as { id: string };
    try {
      await form.getByLabel(sv.rooms.search).fill('åkes');
      await expect.poll(() => form.locator('select').inputValue()).toBe(RESIDENTS.a.id);
      await form.getByRole('button', { name: sv.rooms.checkIn }).click();
      await page.getByText(sv.rooms.busyError).waitFor();
    } finally {
      const closed = await fetch(`${world.baseUrl}/api/v1/rooms/${ROOM.id}/sessions/${session.id}/close`, { method: 'POST', headers: { authorization: `Bearer ${world.tokens.staff}` } });
      expect(closed.status).toBe(200);
    }
  }, 60_000);

  it('in Danish, B checks in at the kiosk and sees only B’s first name and readings; at the timeout the screen clears; the replayed session is refused and stores nothing', async () => {
    const page = await newPage('da-DK');
    await page.goto(`${world.baseUrl}${world.kioskPath}`);
    const checkin = page.getByTestId('kiosk-checkin');
    await checkin.waitFor();
    const historyLength = () => page.evaluate(() => (globalThis as unknown as { history: { length: number } }).history.length);
    const historyBefore = await historyLength();
    expect(await page.locator('h1').textContent()).toBe(da.rooms.kiosk.title.replace('{{room}}', ROOM.name));
    // Nothing on the welcome screen names a resident.
    for (const p of Object.values(RESIDENTS)) expect(await page.content()).not.toContain(p.name.split(', ')[1]);
    await expectAccessible(page);

    // A wrong code first: said in Danish, nothing opened.
    await checkin.getByLabel(da.rooms.kiosk.code).fill('AAAA-BBBB-CCCC');
    await checkin.getByRole('button', { name: da.rooms.kiosk.start }).click();
    await page.getByText(da.rooms.kiosk.badCode).waitFor();

    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/kiosk/sessions') && r.status() === 201);
    await checkin.getByLabel(da.rooms.kiosk.code).fill(world.codeOfB.toLowerCase());
    await checkin.getByRole('button', { name: da.rooms.kiosk.start }).click();
    const response = await answer;
    expect(response.headers()['cache-control']).toBe('no-store');
    const { sessionToken } = (await response.json()) as { sessionToken: string };

    const session = page.getByTestId('kiosk-session');
    await session.waitFor();
    expect(await session.locator('h1').textContent()).toBe(da.rooms.kiosk.hello.replace('{{name}}', 'Bent'));
    await world.measure(VITALS_B);
    const rows = session.getByTestId('session-readings').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(5);
    const shown = await page.locator('body').innerText();
    expect(shown).toContain('124/79');
    expect(shown).toContain('88,8 kg');
    // Only B's first name and B's own readings: not B's surname, nothing of A (name or values).
    for (const absent of ['Bæk', 'Åkesson', 'Astrid', 'Carlsson', '168/97', '63,2', '38,4', RESIDENTS.b.id]) expect(await page.content()).not.toContain(absent);
    await expectAccessible(page);
    await screenshot(page, SHOTS, 'kiosk-da');
    await page.screenshot({ path: resolve(DOCS, 'kiosk-da.png'), fullPage: true });

    // The kiosk's check-in lasts 1 minute: the screen clears itself at the timeout.
    await page.getByText(da.rooms.kiosk.timedOut).waitFor({ timeout: 75_000 });
    const html = await page.content();
    for (const gone of ['Bent', 'Bæk', 'Astrid', 'Åkesson', '124/79', '88,8', '168/97', '63,2']) expect(html).not.toContain(gone);
    expect(new URL(page.url()).pathname).toBe(world.kioskPath);
    // No navigation happened: the history holds no entry of the session.
    expect(await historyLength()).toBe(historyBefore);
    await screenshot(page, SHOTS, 'kiosk-cleared-da');

    // The session token replayed after the session: a clear refusal, no data, nothing stored.
    const sessionsBefore = (await world.registry.db.query<{ n: number }>('SELECT count(*)::int AS n FROM measurement_sessions'))[0]!.n;
    const replay = await page.evaluate(
      async ({ link, token }) => {
        const res = await fetch('/api/v1/kiosk/session/close', { method: 'POST', headers: { 'x-kiosk-link': link, 'x-kiosk-session': token }, credentials: 'omit' });
        const read = await fetch('/api/v1/kiosk/session', { headers: { 'x-kiosk-link': link, 'x-kiosk-session': token }, credentials: 'omit' });
        return { close: res.status, read: read.status, body: await read.text() };
      },
      { link: world.kioskPath.split('/').at(-1)!, token: sessionToken },
    );
    expect(replay).toMatchObject({ close: 409, read: 409 });
    const problem = JSON.parse(replay.body) as { code: string; detail: string };
    expect(problem.code).toBe('RPM_ERR_SESSION_CLOSED');
    expect(problem.detail).toMatch(/timed out/);
    expect(replay.body).not.toMatch(/Bent|124/);
    expect((await world.registry.db.query<{ n: number }>('SELECT count(*)::int AS n FROM measurement_sessions'))[0]!.n).toBe(sessionsBefore);
    const b = await apiAs<{ readings: unknown[] }>('staff', `/api/v1/patients/${RESIDENTS.b.id}/readings?kind=blood_pressure`);
    expect(b.readings).toHaveLength(1);
  }, 150_000);
});
