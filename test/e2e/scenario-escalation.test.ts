/**
 * Escalation and delivery end to end in accelerated time: tier 2 is paged when tier 1 does not
 * acknowledge in time and not when it does; a webhook receiver that is down for five minutes gets
 * every notification once it is back, exactly once per notification id.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS, hypertensiveCrisis } from '../../firmware-sim/physiology/scenarios/index.js';
import { ScenarioWorld } from './scenario-harness.js';
import { expectSignedPages } from './scenario-expect.js';

const MINUTE = 60_000;
const RULE = 'threshold:blood_pressure.systolic';

describe('escalation and delivery', { timeout: 180_000 }, () => {
  let world: ScenarioWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function toOnset(): Promise<{ scenario: ReturnType<typeof hypertensiveCrisis>; onset: number }> {
    const scenario = hypertensiveCrisis();
    world = await ScenarioWorld.start(scenario, { stepMs: HOUR_MS });
    const onset = scenario.onsetAt!.getTime();
    await world.runUntil(new Date(onset - 30 * MINUTE));
    return { scenario, onset };
  }

  it('reaches tier 2 when tier 1 does not acknowledge within 15 minutes (high)', async () => {
    const { onset } = await toOnset();
    await world!.runUntil(new Date(onset + 14 * MINUTE), MINUTE);
    const pagesOf = (tier: string) => world!.receivers.pages.filter((p) => p.tier === tier && p.body.alert.rule === RULE);
    // Her usual 148 mmHg was above the hypertension target already (an info alert, never paged): the crisis raises it.
    expect(pagesOf('nurse').map((p) => [p.body.reason, p.body.alert.severity])).toEqual([['severity_raised', 'high']]);
    expect(pagesOf('lead')).toEqual([]);
    await world!.runUntil(new Date(onset + 20 * MINUTE), MINUTE);
    expect(pagesOf('lead').map((p) => [p.body.reason, p.body.tier, p.body.tierName])).toEqual([['escalated', 2, 'team lead']]);
    const alert = (await world!.alertsOfPatient()).find((a) => a.ruleId === RULE)!;
    const events = await world!.alerts.store.events(alert.id);
    const paged = events.find((e) => e.type === 'severity_raised' && e.severity === 'high')!;
    const escalated = events.find((e) => e.type === 'escalated')!;
    expect(escalated).toMatchObject({ actor: 'system', detail: { tier: 2 } });
    // 15 min after the page, at the next 1-minute step.
    expect(escalated.at.getTime() - paged.at.getTime()).toBeGreaterThanOrEqual(15 * MINUTE);
    expect(escalated.at.getTime() - paged.at.getTime()).toBeLessThanOrEqual(16 * MINUTE);
  });

  it('stops escalating once the nurse acknowledges', async () => {
    const { onset } = await toOnset();
    await world!.runUntil(new Date(onset + 5 * MINUTE), MINUTE);
    const alert = (await world!.alertsOfPatient()).find((a) => a.ruleId === RULE)!;
    await world!.alerts.engine.act(alert.id, 'u-nurse', { type: 'acknowledge', note: 'calling her now' });
    await world!.runUntil(new Date(onset + 3 * HOUR_MS), 5 * MINUTE);
    const pages = world!.receivers.pages.filter((p) => p.body.alert.rule === RULE);
    expect(pages.map((p) => `${p.tier}:${p.body.reason}`)).toEqual(['nurse:severity_raised']);
    expect((await world!.alerts.store.get(alert.id))?.state).toBe('acknowledged');
  });

  it('a webhook receiver down for five minutes gets every notification once it is back, exactly once per id', async () => {
    const { onset } = await toOnset();
    await world!.runUntil(new Date(onset - MINUTE), MINUTE);
    await world!.receivers.stop();
    await world!.runUntil(new Date(onset + 5 * MINUTE), MINUTE);
    expect(world!.receivers.pages.filter((p) => p.body.alert.rule === RULE)).toEqual([]);
    await world!.receivers.start();
    await world!.runUntil(new Date(onset + 20 * MINUTE), MINUTE);

    const alerts = await world!.alertsOfPatient();
    const webhookRows = (await Promise.all(alerts.map((a) => world!.alerts.outboxStore.forAlert(a.id)))).flat().filter((n) => n.channel === 'webhook');
    expect(webhookRows.length).toBeGreaterThan(0);
    expect(webhookRows.every((n) => n.status === 'delivered')).toBe(true);
    // Every notification arrived, each exactly once.
    const received = world!.receivers.pages.map((p) => p.id);
    expect([...received].sort()).toEqual(webhookRows.map((n) => n.id).sort());
    // The pages raised while the receiver was down were tried, failed, and retried with backoff.
    const opened = webhookRows.find((n) => n.reason === 'severity_raised' && n.payload.alert.rule === RULE)!;
    const attempts = await world!.alerts.outboxStore.attempts(opened.id);
    expect(attempts.length).toBeGreaterThan(2);
    expect(attempts.slice(0, -1).every((a) => a.outcome === 'retry' && a.error)).toBe(true);
    expect(attempts.at(-1)!.outcome).toBe('delivered');
    expectSignedPages(world!);
  });
});
