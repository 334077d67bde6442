/**
 * The alert-quality page (issue #14) in real headless Chromium against a real hub: hand-built
 * alerts whose outcomes are recorded through the API and on the alert page give exactly the PPV and
 * times to acknowledge the test computes itself; a team lead back-tests a lowered systolic
 * threshold in Danish, sees more candidate alerts and saves it for a patient; Cancel aborts a
 * running back-test; an invalid candidate gives a Swedish error naming the field. Screenshots in
 * test-results/screenshots/analytics/, axe-core on every page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { da } from '../../web/src/i18n/da.js';
import { sv } from '../../web/src/i18n/sv.js';
import { writeReadings, type ReadingSpec } from '../support/api-fixture.js';
import { join } from 'node:path';
import { launchBrowser, SCREENSHOT_ROOT, screenshot, seriousAxeViolations } from '../support/browser.js';
import { QUALITY_TEAM, RESIDENTS, RULES, seedQuality, type HandBuilt } from './analytics-world.js';
import { WebWorld } from './web-world.js';

const SHOTS = 'analytics';
/** Per test: sign-in, page loads and back-tests on two shared cores under other runs' load. */
const TEST_MS = 180_000;
const DAY = 86_400_000;

/** Nearest rank (docs/alerts.md §14): the value at rank ⌈p/100 × n⌉ of the sorted values. */
const nearestRank = (values: readonly number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1]!;
const percent = (share: number, locale: string) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
const minutes = (m: number, locale: string) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'short', maximumFractionDigits: 1 }).format(m);
const rate = (x: number, locale: string) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(x);

/**
 * SpO2 every two hours for 90 days up to two days ago: enough history that a 90-day back-test at a
 * 15-minute tick runs for seconds (ordinary values: nothing for the live engine to alert on).
 */
function longSpo2(now: number): ReadingSpec[] {
  const out: ReadingSpec[] = [];
  for (let t = now - 90 * DAY; t < now - 2 * DAY; t += 2 * 3_600_000) out.push({ kind: 'spo2', at: new Date(t), deviceId: 'sn-q-oxi', values: { spo2: 95 + ((t / 3_600_000) % 3) } });
  return out;
}

/** Systolic swinging across 145 mmHg three times a day for eight days: below every default band, above a lowered one. */
function swingingBp(now: number): ReadingSpec[] {
  const out: ReadingSpec[] = [];
  for (let d = 8; d >= 1; d--) {
    for (const [i, h] of [8, 14, 20].entries()) {
      const systolic = (d + i) % 2 === 0 ? 152 : 136;
      out.push({ kind: 'blood_pressure', at: new Date(now - d * DAY + h * 3_600_000), deviceId: 'sn-q-cuff', values: { systolic, diastolic: 82, meanArterialPressure: 100 } });
    }
  }
  return out;
}

describe('alert quality: analytics and back-test pages (Chromium)', () => {
  const world = new WebWorld();
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let lead = '';
  let built: readonly HandBuilt[] = [];

  const api = async <T>(method: 'GET' | 'POST', path: string, body?: unknown, token = lead): Promise<T> => {
    const res = await fetch(`${world.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    await world.start();
    ({ token: lead, alerts: built } = await seedQuality(world));
    await writeReadings(world.influx, RESIDENTS.lungs.id, swingingBp(Date.now()));
    await writeReadings(world.influx, RESIDENTS.bp.id, longSpo2(Date.now()));
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await world.close();
  });

  async function signedIn(path: string, locale: string, token = lead): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    // A stuck step fails with its name rather than as the test's timeout (the machine is shared).
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
    await page.goto(`${world.baseUrl}${path}#signin=${token}`);
    await page.locator('header.top').waitFor();
    return page;
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousAxeViolations(page)).toEqual([]);
  }

  /** Seconds from opening to the first acknowledgement, from the alert's own history. */
  async function ackSecondsOf(alertId: string): Promise<number> {
    const { events } = await api<{ events: { type: string; at: string }[] }>('GET', `/api/v1/alerts/${alertId}/events`);
    const opened = events.find((e) => e.type === 'opened')!;
    const acked = events.find((e) => e.type === 'acknowledged')!;
    return (new Date(acked.at).getTime() - new Date(opened.at).getTime()) / 1000;
  }

  it('outcomes recorded through the API and on the alert page give the exact PPV and times to acknowledge, in Danish', async () => {
    const [a1, a2, a3, a4, a5, a6] = built;
    // Through the API: two actions taken, a false alarm, one needing no action.
    const outcomes: Record<string, { kind: string; action?: string }> = {
      [a1!.id]: { kind: 'action_taken', action: 'call' },
      [a2!.id]: { kind: 'false_alarm' },
      [a3!.id]: { kind: 'action_taken', action: 'visit' },
      [a4!.id]: { kind: 'no_action_needed' },
    };
    for (const [id, outcome] of Object.entries(outcomes)) await api('POST', `/api/v1/alerts/${id}/outcome`, { outcome });

    // On the page: the lead acknowledges the two open alerts with an outcome.
    const page = await signedIn(`/app/alerts/${a5!.id}`, 'da-DK');
    for (const [alert, outcome] of [
      [a5!, 'false_alarm'],
      [a6!, 'technical_or_measurement_error'],
    ] as const) {
      await page.goto(`${world.baseUrl}/app/alerts/${alert.id}`);
      await page.getByTestId('alert-detail').waitFor();
      await page.locator('[data-action=acknowledge]').click();
      await page.getByTestId('outcome').selectOption(outcome);
      await page.getByTestId('action-submit').click();
      await expect.poll(() => page.getByTestId('alert-state').textContent(), { timeout: 20_000 }).toBe(da.state.acknowledged);
      outcomes[alert.id] = { kind: outcome };
    }

    // The expected figures, from what the test recorded and the alerts' own histories.
    const inPeriod = built.filter((a) => a.openedAt.getTime() > Date.now() - 30 * DAY);
    expect(inPeriod).toHaveLength(7);
    const recorded = inPeriod.filter((a) => outcomes[a.id]);
    const ppv = recorded.filter((a) => outcomes[a.id]!.kind === 'action_taken').length / recorded.length;
    expect(ppv).toBeCloseTo(2 / 6);
    const acked = inPeriod.filter((a) => a.ackAfterS !== undefined || a.open);
    const seconds = await Promise.all(acked.map((a) => ackSecondsOf(a.id)));
    expect(seconds.slice(0, 4)).toEqual([60, 120, 300, 600]);
    const median = nearestRank(seconds, 50);
    const p90 = nearestRank(seconds, 90);
    expect(median).toBe(300);
    const high = acked.filter((a) => a.severity === 'high').map((a) => a.ackAfterS!);

    await page.getByRole('link', { name: da.analytics.nav }).click();
    await page.getByTestId('an-team').selectOption(QUALITY_TEAM);
    await expect.poll(() => page.getByTestId('an-scope').textContent(), { timeout: 20_000 }).toContain(QUALITY_TEAM);
    await expect.poll(() => page.getByTestId('kpi-alerts').textContent(), { timeout: 20_000 }).toBe('7');
    expect(await page.getByTestId('kpi-ppv').textContent()).toBe(percent(ppv, 'da-DK'));
    expect(await page.getByTestId('kpi-ack-median').textContent()).toBe(minutes(5, 'da-DK'));
    expect(await page.getByTestId('kpi-ack-median').getAttribute('data-seconds')).toBe(String(Math.round(median)));
    expect(await page.getByTestId('kpi-ack-p90').getAttribute('data-seconds')).toBe(String(Math.round(p90)));
    // 7 alerts over 2 residents × 30 days.
    expect(await page.getByTestId('kpi-per-patient-week').textContent()).toBe(rate(7 / ((2 * 30) / 7), 'da-DK'));
    expect(await page.getByTestId('kpi-escalated').textContent()).toBe('1');
    expect(await page.getByTestId('kpi-snoozes').textContent()).toBe('1');
    const highRow = page.locator('[data-testid=ack-by-severity] tr[data-severity=high] td');
    expect(await highRow.nth(0).getAttribute('data-seconds')).toBe(String(nearestRank(high, 50)));
    expect(await highRow.nth(1).getAttribute('data-seconds')).toBe(String(nearestRank(high, 90)));
    expect(await page.getByTestId('missing-by-cause').textContent()).toContain(da.alerts.cause.not_measured);

    // The rule that pages most for least action: systolic (4 alerts, 1 of 3 outcomes an action).
    const worst = page.locator('[data-testid=rule-ranking] tbody tr').first();
    expect(await worst.getAttribute('data-rule')).toBe(RULES.systolic);
    expect(await worst.getByTestId('worst-rule').textContent()).toContain(da.analytics.worst);
    expect(await worst.getByTestId('rule-ppv').textContent()).toBe(percent(1 / 3, 'da-DK'));
    expect(await page.getByTestId('worst-rule').count()).toBe(1);

    // The CSV link carries the same filters and answers the same figures.
    const href = (await page.getByTestId('an-csv').getAttribute('href'))!;
    expect(href).toContain(`careTeamId=${QUALITY_TEAM}`);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    const all = csv.split('\r\n')[1]!.split(',');
    expect(all.slice(0, 4)).toEqual(['all', 'all', '7', '2']);
    expect(Number(all[12])).toBeCloseTo(ppv);

    await page.locator('#ack-hour-title').scrollIntoViewIfNeeded();
    await screenshot(page, SHOTS, 'analytics-da');
    await expectAccessible(page);
  }, TEST_MS);

  it('a team lead back-tests a lowered systolic threshold in Danish, sees more candidate alerts and saves it for a patient', async () => {
    const page = await signedIn('/app/analytics', 'da-DK');
    await page.getByTestId('an-team').selectOption(QUALITY_TEAM);
    await page.getByTestId('an-condition').selectOption('copd');
    await expect.poll(() => page.getByTestId('an-scope').textContent(), { timeout: 20_000 }).toContain(da.condition.copd);
    await page.getByTestId('field-systolicHigh').fill('145');
    await page.getByTestId('field-systolicHigh').press('Tab');
    expect(JSON.parse(await page.getByTestId('backtest-json').inputValue())).toEqual({ thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 145, severity: 'medium' }] } } });
    // Saving is refused until this version has been back-tested.
    expect(await page.getByTestId('bt-save').isDisabled()).toBe(true);
    await page.getByTestId('bt-run').click();
    await page.getByTestId('backtest-result').waitFor({ timeout: 60_000 });
    const current = Number(await page.getByTestId('bt-current-alerts').textContent());
    const candidate = Number(await page.getByTestId('bt-candidate-alerts').textContent());
    expect(candidate).toBeGreaterThan(current);
    expect(await page.locator('[data-testid=backtest-compare] tr[data-rule="threshold:blood_pressure.systolic"]').count()).toBe(1);
    expect(await page.getByText(da.analytics.noGroupRoute).count()).toBe(1);
    await screenshot(page, SHOTS, 'backtest-da');
    await expectAccessible(page);

    await page.getByTestId('bt-save').click();
    await page.getByText(da.analytics.saved.replace('{{patient}}', RESIDENTS.lungs.name)).waitFor();
    const saved = await api<{ config: Record<string, unknown> }>('GET', `/api/v1/patients/${RESIDENTS.lungs.id}/alert-rules`);
    expect(saved.config).toEqual({ thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 145, severity: 'medium' }] } } });
  }, TEST_MS);

  it('Cancel aborts a running back-test', async () => {
    const page = await signedIn('/app/analytics', 'da-DK');
    await page.getByTestId('an-team').selectOption(QUALITY_TEAM);
    await page.getByTestId('an-condition').selectOption('hypertension');
    await expect.poll(() => page.getByTestId('an-scope').textContent(), { timeout: 20_000 }).toContain(da.condition.hypertension);
    await page.getByTestId('bt-period').selectOption('90');
    await page.getByTestId('bt-tick').selectOption('15');
    const failed: string[] = [];
    page.on('requestfailed', (r) => {
      if (r.url().endsWith('/api/v1/backtest')) failed.push(r.failure()?.errorText ?? '');
    });
    await page.getByTestId('bt-run').click();
    // Running (the Cancel button is there only then), not already answered or refused.
    await page.locator('[data-testid=bt-cancel], [data-testid=bt-error], [data-testid=backtest-result]').first().waitFor();
    const answered = { error: (await page.getByTestId('bt-error').count()) > 0 ? await page.getByTestId('bt-error').textContent() : null, result: await page.getByTestId('backtest-result').count() };
    expect(answered).toEqual({ error: null, result: 0 });
    expect(await page.getByTestId('bt-status').textContent()).toBe(da.analytics.running);
    await page.getByTestId('bt-cancel').click();
    await expect.poll(() => page.getByTestId('bt-status').textContent(), { timeout: 20_000 }).toBe(da.analytics.cancelled);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain('ABORTED');
    expect(await page.getByTestId('backtest-result').count()).toBe(0);
    expect(await page.getByTestId('bt-run').isEnabled()).toBe(true);
  }, TEST_MS);

  it('from the patient page in Swedish: back-test before saving, and an invalid candidate names its field', async () => {
    const page = await signedIn(`/app/patients/${RESIDENTS.lungs.id}`, 'sv-SE');
    await page.getByRole('button', { name: sv.patient.edit }).click();
    await page.getByTestId('rules-backtest').click();
    const panel = page.getByTestId('backtest');
    await panel.waitFor();
    // The form starts from the patient's own document (saved above).
    expect(await page.getByTestId('field-systolicHigh').inputValue()).toBe('145');
    // Past the next band (≤ 91 medium) is refused with a word why; up to it is taken.
    await page.getByTestId('field-spo2Low').fill('90');
    await page.getByTestId('field-spo2Low').press('Tab');
    await expect.poll(() => page.locator('[data-field=spo2Low] .field-error').textContent(), { timeout: 20_000 }).toContain(sv.analytics.pastNextBand.split(':')[0]!);
    expect(await page.getByTestId('backtest-json').inputValue()).not.toContain('spo2.spo2');
    await page.getByTestId('field-spo2Low').fill('92');
    await page.getByTestId('field-spo2Low').press('Tab');
    const candidate = async () => JSON.parse(await page.getByTestId('backtest-json').inputValue()) as { thresholds?: Record<string, { low?: unknown }> };
    await expect.poll(async () => (await candidate()).thresholds?.['spo2.spo2']?.low, { timeout: 20_000 }).toEqual([
      { op: '<', limit: 85, severity: 'urgent' },
      { op: '<', limit: 88, severity: 'high' },
      { op: '<=', limit: 91, severity: 'medium' },
      { op: '<=', limit: 92, severity: 'low' },
    ]);
    await page.getByTestId('bt-run').click();
    await page.getByTestId('backtest-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('backtest-result').textContent()).toContain(sv.analytics.candidate);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, SHOTS, 'backtest-sv');
    // The panel alone, for the README.
    await panel.screenshot({ path: join(SCREENSHOT_ROOT, SHOTS, 'backtest-panel-sv.png') });
    await expectAccessible(page);

    await page.locator('.advanced summary').click();
    await page.getByTestId('backtest-json').fill(JSON.stringify({ thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 'hög', severity: 'medium' }] } } }));
    await page.getByTestId('bt-run').click();
    const error = page.getByTestId('bt-error');
    await error.waitFor();
    expect(await error.textContent()).toContain(sv.analytics.errors.invalidConfig);
    expect(await error.textContent()).toContain('thresholds.blood_pressure.systolic.high[0].limit');
    await screenshot(page, SHOTS, 'backtest-invalid-sv');
    await expectAccessible(page);
    // Nothing was saved by the refused run.
    const rules = await api<{ config: Record<string, unknown> }>('GET', `/api/v1/patients/${RESIDENTS.lungs.id}/alert-rules`);
    expect(rules.config).toEqual({ thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 145, severity: 'medium' }] } } });
  }, TEST_MS);

  it('carers have no analytics in the navigation, and the page says so', async () => {
    const page = await signedIn('/app/analytics', 'da-DK', world.tokens.carer);
    expect(await page.getByRole('link', { name: da.analytics.nav }).count()).toBe(0);
    expect(await page.locator('main [role=alert]').textContent()).toBe(da.error.forbidden);
  }, TEST_MS);
});
