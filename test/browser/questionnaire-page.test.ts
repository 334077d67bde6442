/**
 * The resident's questionnaire answer page (/app/q/<token>) and the questionnaires on the patient
 * page, in real headless Chromium against a real hub: in Danish answered by keyboard only, in
 * Swedish by pointer after a refused incomplete send; large type, axe-core clean, the first name
 * only, the link used up after sending; the answers raise the COPD rule and show on the patient
 * page. Screenshots in test-results/screenshots/questionnaire/ (copies in docs/screenshots/).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { da } from '../../web/src/i18n/da.js';
import { en } from '../../web/src/i18n/en.js';
import { sv } from '../../web/src/i18n/sv.js';
import { launchBrowser, screenshot, seriousAxeViolations } from '../support/browser.js';
import { PATIENTS, WebWorld, type WebUser } from './web-world.js';

const SHOTS = 'questionnaire';

describe('questionnaire answer page (Chromium)', () => {
  const world = new WebWorld();
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await world.start();
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await world.close();
  });

  async function apiAs<T>(user: WebUser, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${world.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${world.tokens[user]}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as T;
  }

  const makeLink = () => apiAs<{ token: string; path: string }>('carer', 'POST', `/api/v1/patients/${PATIENTS.copd.id}/questionnaire-links`, { questionnaire: 'copd-symptoms' });

  async function newPage(locale: string, width = 820): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width, height: 1000 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
    return page;
  }

  async function bodyFontPx(page: Page, selector: string): Promise<number> {
    return page.locator(selector).first().evaluate((el) => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize));
  }

  it('Danish, keyboard only: large type, first name only, axe clean; the answers are sent once', async () => {
    const link = await makeLink();
    const page = await newPage('en-GB');
    // The kiosk opens the link in the room's language.
    await page.goto(`${world.baseUrl}${link.path}?lang=da`);
    await page.getByRole('heading', { name: 'Hej Karin' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('da');
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toContain('Lindqvist');
    expect(text).not.toContain(PATIENTS.copd.id);
    expect(text).toContain('Er du mere forpustet end du plejer?');
    // Large type: question text at least 22 px, the answer targets at least 44 px high (WCAG 2.5.5).
    expect(await bodyFontPx(page, '.question legend')).toBeGreaterThanOrEqual(22);
    expect(await bodyFontPx(page, '.question .qlabel')).toBeGreaterThanOrEqual(22);
    expect((await page.locator('.choice').first().boundingBox())!.height).toBeGreaterThanOrEqual(44);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, SHOTS, 'answer-page-da');

    // Tab order: language, question 1, 2, 3 (radio groups), 4 (number), 5 (text), send.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // 1: Ja
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight'); // 2: Nej
    await page.keyboard.press('Tab');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight'); // 3: Grønt
    await page.keyboard.press('Tab');
    await page.keyboard.type('4');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Lidt træt');
    await page.keyboard.press('Tab');
    await screenshot(page, SHOTS, 'answer-page-da-filled');
    await page.keyboard.press('Enter');
    await page.getByTestId('answer-sent').waitFor();
    expect(await page.getByTestId('answer-sent').textContent()).toContain(da.questionnaire.sent);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, SHOTS, 'answer-page-da-sent');

    // The answers are the resident's, and the rule its definition names fires.
    const list = await apiAs<{ responses: { channel: string; answers: { linkId: string; value: unknown }[]; matchedRules: { ruleId: string }[] }[] }>('clinician', 'GET', `/api/v1/patients/${PATIENTS.copd.id}/questionnaire-responses`);
    expect(list.responses[0]).toMatchObject({ channel: 'resident', matchedRules: [{ ruleId: 'anthonisen-type-2' }] });
    expect(list.responses[0]!.answers).toEqual([
      { linkId: 'breathless', value: true },
      { linkId: 'sputum-more', value: false },
      { linkId: 'sputum-colour', value: 'green' },
      { linkId: 'reliever-doses', value: 4 },
      { linkId: 'comment', value: 'Lidt træt' },
    ]);
    const until = Date.now() + 20_000;
    let alerts: { rule: string }[] = [];
    while (Date.now() < until && !alerts.some((a) => a.rule === 'questionnaire:copd-symptoms:anthonisen-type-2')) {
      alerts = (await apiAs<{ alerts: { rule: string }[] }>('clinician', 'GET', `/api/v1/alerts?patientId=${PATIENTS.copd.id}`)).alerts;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(alerts.map((a) => a.rule)).toContain('questionnaire:copd-symptoms:anthonisen-type-2');

    // Opening the used link again (back button, a second resident at the kiosk): refused, in Danish.
    await page.reload();
    await page.getByTestId('answer-refused').waitFor();
    expect(await page.getByTestId('answer-refused').textContent()).toBe(da.questionnaire.used);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, SHOTS, 'answer-page-da-used');
  }, 90_000);

  it('Swedish from the browser language, on a tablet: an incomplete send is refused on the page, then answered by pointer', async () => {
    const link = await makeLink();
    const page = await newPage('sv-SE', 768);
    await page.goto(`${world.baseUrl}${link.path}`);
    await page.getByRole('heading', { name: 'Hej Karin' }).waitFor();
    expect(await page.locator('body').textContent()).toContain('Är du mer andfådd än vanligt?');
    await page.getByRole('group', { name: /andfådd/ }).getByLabel('Nej').check();
    await page.getByRole('button', { name: sv.questionnaire.send }).click();
    const problem = page.locator('form [role=alert]');
    await problem.waitFor();
    expect(await problem.textContent()).toBe('Svara på: 2, 3, 4');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('name'))).toBe('q-sputum-more');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, SHOTS, 'answer-page-sv-incomplete');
    await page.getByRole('group', { name: /mer slem/ }).getByLabel('Nej').check();
    await page.getByRole('group', { name: /färg/ }).getByLabel('Klart eller vitt').check();
    await page.getByLabel(/vid behovs-medicin/).fill('1');
    await page.getByRole('button', { name: sv.questionnaire.send }).click();
    await page.getByTestId('answer-sent').waitFor();
    expect(await page.getByTestId('answer-sent').textContent()).toContain(sv.questionnaire.sent);
    await screenshot(page, SHOTS, 'answer-page-sv-sent');
  }, 90_000);

  it('an unknown link says so in the resident’s language', async () => {
    const page = await newPage('sv-SE', 768);
    await page.goto(`${world.baseUrl}/app/q/${'A'.repeat(43)}`);
    await page.getByTestId('answer-refused').waitFor();
    expect(await page.getByTestId('answer-refused').textContent()).toBe(sv.questionnaire.unknown);
  }, 90_000);

  it('the patient page lists the answers and makes a new answer link; staff entry stores answers', async () => {
    const page = await newPage('en-GB', 1280);
    await page.goto(`${world.baseUrl}/app/patients/${PATIENTS.copd.id}#signin=${world.tokens.carer}`);
    const section = page.getByTestId('questionnaires');
    await section.getByTestId('questionnaire-responses').waitFor();
    expect(await section.locator('tbody tr').count()).toBe(2);
    expect(await section.locator('tbody tr').first().textContent()).toContain(en.questionnaire.resident);
    await section.getByTestId('questionnaire-choose').selectOption('copd-symptoms');
    await section.getByTestId('make-answer-link').click();
    const href = await section.getByTestId('answer-link').getAttribute('href');
    expect(href).toMatch(/^\/app\/q\/[A-Za-z0-9_-]{43}$/);
    const entry = section.getByTestId('questionnaire-entry');
    await entry.getByRole('group', { name: /more breathless/ }).getByLabel('Yes').check();
    await entry.getByRole('group', { name: /more sputum/ }).getByLabel('Yes').check();
    await entry.getByRole('group', { name: /colour/ }).getByLabel('Yellow').check();
    await entry.getByLabel(/reliever inhaler/).fill('8');
    await entry.getByRole('button', { name: en.questionnaire.save }).click();
    await section.getByText(en.questionnaire.saved).waitFor();
    await section.locator('tbody tr').nth(2).waitFor();
    expect(await section.locator('tbody tr').first().textContent()).toContain('Anthonisen type 1');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await section.screenshot({ path: await screenshot(page, SHOTS, 'patient-page-questionnaires') });
  }, 90_000);
});
