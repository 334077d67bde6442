/**
 * The care-team web application by keyboard alone, on a 768 px tablet: sign in, move through the
 * worklist, open a patient, switch the chart period, open an alert from the patient's history and
 * acknowledge it with an outcome — Tab, Shift+Tab, Enter and arrow keys only, never a click. After
 * every key that moves focus the focused element must show the focus outline and be on screen.
 * Each page is screenshotted at 768 px (test-results/screenshots/web-keyboard/) and checked with
 * axe-core. Its own WebWorld (own hub, own InfluxDB database), so it runs beside web-app.test.ts.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { da } from '../../web/src/i18n/da.js';
import { en } from '../../web/src/i18n/en.js';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.js';
import { PATIENTS, WebWorld } from './web-world.js';

const SHOTS = 'web-keyboard';
const TABLET = { width: 768, height: 1024 };
const ordinary = { systolic: 132, diastolic: 84, pulse: 72, spo2: 95, temperature: 36.8, weight: 74 };

/** expect.poll with room for a loaded machine (its default is one second). */
const poll: typeof expect.poll = (fn, options) => expect.poll(fn, { timeout: 15_000, ...(typeof options === 'number' ? { timeout: options } : options) });

interface FocusState {
  readonly tag: string;
  readonly text: string;
  readonly outline: string;
  readonly outlineWidth: number;
  readonly onScreen: boolean;
  readonly matches: boolean;
}

/** What has focus, whether its outline shows (the page's :focus-visible style) and whether it is in the viewport. */
function focusState(page: Page, selector: string): Promise<FocusState> {
  return page.evaluate((sel) => {
    type E = { tagName: string; textContent: string | null; matches(s: string): boolean; getBoundingClientRect(): { top: number; bottom: number; left: number; right: number } };
    const w = globalThis as unknown as { document: { activeElement: E | null }; getComputedStyle(e: E): { outlineStyle: string; outlineWidth: string }; innerHeight: number; innerWidth: number };
    const el = w.document.activeElement;
    if (!el) return { tag: 'none', text: '', outline: 'none', outlineWidth: 0, onScreen: false, matches: false };
    const style = w.getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.textContent ?? '').trim().slice(0, 60),
      outline: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth) || 0,
      onScreen: r.bottom > 0 && r.top < w.innerHeight && r.right > 0 && r.left < w.innerWidth,
      matches: el.matches(sel),
    };
  }, selector);
}

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`, checking visible focus at every step. */
async function tabTo(page: Page, selector: string, options: { back?: boolean; max?: number } = {}): Promise<void> {
  const max = options.max ?? 80;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const f = await focusState(page, selector);
    if (f.tag !== 'body') {
      expect(f.outline, `outline on <${f.tag}> "${f.text}"`).not.toBe('none');
      expect(f.outlineWidth, `outline width on <${f.tag}> "${f.text}"`).toBeGreaterThanOrEqual(2);
      expect(f.onScreen, `<${f.tag}> "${f.text}" scrolled into view`).toBe(true);
    }
    if (f.matches) return;
  }
  throw new Error(`${selector} not reached within ${max} key presses`);
}

describe('the web application by keyboard only (Chromium, 768 px)', () => {
  const world = new WebWorld();
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    await world.start();
    browser = await launchBrowser();
    // Blood pressure in grade 3: the engine opens an alert for the deteriorating resident.
    await world.publish({ ...ordinary, systolic: 188, diastolic: 114, pulse: 96 }, ['bp']);
    const until = Date.now() + 20_000;
    for (;;) {
      const res = await fetch(`${world.baseUrl}/api/v1/alerts?patientId=${PATIENTS.deteriorating.id}&state=open`, { headers: { authorization: `Bearer ${world.tokens.clinician}` } });
      if (res.ok && ((await res.json()) as { alerts: unknown[] }).alerts.length > 0) break;
      if (Date.now() > until) throw new Error('no alert was raised in time');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 300_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await world.close();
  });

  async function checkPage(page: Page, name: string): Promise<void> {
    // Nothing wider than the tablet: no sideways scrolling.
    const overflow = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return d.scrollWidth - d.clientWidth;
    });
    expect(overflow, `${name}: page wider than 768 px`).toBeLessThanOrEqual(0);
    await screenshot(page, SHOTS, name);
    expect(await seriousAxeViolations(page)).toEqual([]);
  }

  it('signs in, opens the most worrying patient, switches the period, and acknowledges an alert with an outcome', async () => {
    context = await browser.newContext({ locale: 'en-GB', viewport: TABLET });
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });

    // Sign-in: the token field, typed, Enter submits.
    await page.goto(`${world.baseUrl}/app/`);
    await page.locator('#token').waitFor();
    await tabTo(page, '#token');
    await page.keyboard.type(world.tokens.clinician);
    await checkPage(page, 'signin-tablet');
    await page.keyboard.press('Enter');

    // Worklist: the deteriorating resident first; Tab moves down the rows, Shift+Tab back up.
    const rows = page.locator('[data-testid=worklist] tbody tr');
    await rows.first().waitFor();
    expect(await rows.first().getAttribute('data-patient-id')).toBe(PATIENTS.deteriorating.id);
    const first = `[data-testid=worklist] tbody tr:nth-child(1) th a`;
    await tabTo(page, first);
    await tabTo(page, `[data-testid=worklist] tbody tr:nth-child(2) th a`, { max: 3 });
    await tabTo(page, first, { back: true, max: 3 });
    await checkPage(page, 'worklist-tablet');
    await page.keyboard.press('Enter');

    // Patient page: 30 days by keyboard.
    await page.getByTestId('chart-blood_pressure').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/app/patients/${PATIENTS.deteriorating.id}`);
    await tabTo(page, '[data-range="30d"]');
    await page.keyboard.press('Enter');
    await poll(() => page.locator('[data-range="30d"]').getAttribute('aria-pressed')).toBe('true');
    await poll(() => page.getByTestId('vital-blood_pressure').textContent()).toContain(en.patient.hourlyMeans);
    await page.getByTestId('chart-blood_pressure').waitFor();
    await checkPage(page, 'patient-tablet');

    // The alert, from the patient's alert history.
    await tabTo(page, 'a[href^="/app/alerts/al-"]', { max: 120 });
    const href = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('href'));
    const alertId = href!.split('/').at(-1)!;
    await page.keyboard.press('Enter');
    await page.getByTestId('alert-detail').waitFor();
    await poll(() => page.getByTestId('alert-state').textContent()).toBe(en.state.open);

    // The evidence chart loads after the page and pushes the buttons down: tab once it is drawn, so
    // that the check "focus scrolled into view" measures the page as the nurse sees it.
    await page.locator('.evidence figure.chart').waitFor();
    // Acknowledge: the button opens the form; a note, the outcome by arrow keys, Enter on Save.
    await tabTo(page, '[data-action=acknowledge]', { max: 120 });
    await page.keyboard.press('Enter');
    await tabTo(page, '#action-text', { max: 5 });
    await page.keyboard.type('Phoned the resident; GP visit booked');
    await tabTo(page, '[data-testid=outcome]', { max: 3 });
    for (let i = 0; i < 10 && (await page.getByTestId('outcome').inputValue()) !== 'action_taken:call'; i++) await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId('outcome').inputValue()).toBe('action_taken:call');
    await tabTo(page, '[data-testid=action-submit]', { max: 3 });
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('alert-state').textContent()).toBe(en.state.acknowledged);
    await checkPage(page, 'alert-detail-tablet');

    const res = await fetch(`${world.baseUrl}/api/v1/alerts/${alertId}`, { headers: { authorization: `Bearer ${world.tokens.clinician}` } });
    // The summary as a key and parameters too, for the page to say in its language (additive to the English text).
    expect(await res.json()).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'u-web-clinician',
      outcome: { kind: 'action_taken', action: 'call' },
      message: { key: 'threshold', params: { vital: 'blood_pressure', unit: 'mm[Hg]', direction: 'high' } },
    });
  }, 180_000);

  it('a Danish page takes the custom period as Danes write it, and names the field a US date was typed in', async () => {
    const danish = await browser.newContext({ locale: 'da-DK', viewport: TABLET });
    try {
      const page = await danish.newPage();
      await page.goto(`${world.baseUrl}/app/patients/${PATIENTS.hypertension.id}#signin=${world.tokens.clinician}`);
      await page.getByTestId('chart-blood_pressure').waitFor();
      expect(await page.locator('#period-fromDate-hint').textContent()).toBe('dd.mm.åååå');
      const typeInto = async (selector: string, text: string) => {
        await tabTo(page, selector, { max: 120 });
        await page.keyboard.press('Control+A');
        await page.keyboard.type(text);
      };
      const day = (ms: number) => new Intl.DateTimeFormat('da-DK', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Copenhagen' }).format(ms);
      const [m, d, y] = new Intl.DateTimeFormat('en-US', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Copenhagen' }).format(Date.now() - 2 * 86_400_000).split('/');
      await typeInto('#period-fromDate', `${m}/${d}/${y}`);
      await page.keyboard.press('Enter');
      await poll(() => page.getByTestId('period-problem').textContent()).toBe(da.summaries.entry.problem.fromDate.replace('{{pattern}}', 'dd.mm.åååå'));
      expect(await page.locator('#period-fromDate').getAttribute('aria-invalid')).toBe('true');
      await typeInto('#period-fromDate', day(Date.now() - 2 * 86_400_000));
      await typeInto('#period-fromTime', '07.00');
      await page.keyboard.press('Enter');
      await poll(() => page.getByTestId('period-problem').count()).toBe(0);
      await poll(() => page.getByTestId('period-apply').getAttribute('class')).toBe('chosen');
      // Two days of three readings a day, give or take the first morning's.
      await poll(async () => Number(await page.getByTestId('chart-blood_pressure').getAttribute('data-points'))).toBeGreaterThanOrEqual(5);
      await checkPage(page, 'custom-period-da-tablet');
    } finally {
      await danish.close();
    }
  }, 120_000);
});
