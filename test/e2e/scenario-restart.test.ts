/**
 * Restarts mid-scenario: hub and alert engine stop and start again on the same data (PGlite data
 * directory, spool); the gateway reconnects. No alert may be duplicated, none lost, no page sent
 * twice, and what fell due while the hub was down (a missed slot, an escalation) is handled at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deterioratingInfection, HOUR_MS, stopsMeasuring } from '../../firmware-sim/physiology/scenarios/index.js';
import { ScenarioWorld } from './scenario-harness.js';
import { expectNoDuplicateAlerts, expectScenarioAlerts } from './scenario-expect.js';

const MINUTE = 60_000;

function expectEachPageOnce(world: ScenarioWorld): void {
  const ids = world.receivers.pages.map((p) => p.id);
  expect(ids.length).toBe(new Set(ids).size);
}

describe('restarts', { timeout: 180_000 }, () => {
  let world: ScenarioWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('a restart while NEWS2 climbs: no duplicate alert, none lost, the overdue escalation runs on start', async () => {
    const scenario = deterioratingInfection();
    world = await ScenarioWorld.start(scenario, { stepMs: HOUR_MS });
    const onset = scenario.onsetAt!.getTime();
    await world.runUntil(new Date(onset), HOUR_MS);
    await world.runUntil(new Date(onset + 9.5 * HOUR_MS), 15 * MINUTE);
    const before = await world.alertsOfPatient();
    const news2 = before.find((a) => a.ruleId === 'news2')!;
    expect(news2.state).toBe('open');

    // Down until 5 minutes past its next escalation step: that step must run as soon as the hub is back.
    const dueBefore = [news2.escalation.nextEscalationAt, news2.escalation.nextRepeatAt].filter((d): d is Date => d !== undefined);
    expect(dueBefore.length).toBeGreaterThan(0);
    const nextDue = Math.min(...dueBefore.map((d) => d.getTime()));
    await world.restart(nextDue - world.clock.now().getTime() + 5 * MINUTE);
    const restartedAt = world.clock.now().getTime();
    const after = await world.alertsOfPatient();
    expect(after.filter((a) => before.some((b) => b.id === a.id)).length).toBe(before.length);
    const news2Events = await world.alerts.store.events(news2.id);
    expect(dueBefore.some((d) => d.getTime() <= restartedAt)).toBe(true);
    for (const due of dueBefore.filter((d) => d.getTime() <= restartedAt)) {
      expect(news2Events.some((e) => (e.type === 'escalated' || e.type === 'repeated') && e.at.getTime() === restartedAt && e.at.getTime() >= due.getTime())).toBe(true);
    }

    await world.runUntil(new Date(onset + 13 * HOUR_MS), 15 * MINUTE);
    await expectScenarioAlerts(world, scenario);
    await expectNoDuplicateAlerts(world);
    expectEachPageOnce(world);
    // The alert open before the restart is the one that reached urgent: it went on, not a new one.
    expect((await world.alertsOfPatient()).filter((a) => a.ruleId === 'news2').map((a) => a.id)).toEqual([news2.id]);
  });

  it('a hub down across the 10:00 deadline raises the missing-reading alert as soon as it is back', async () => {
    const scenario = stopsMeasuring();
    world = await ScenarioWorld.start(scenario, { stepMs: HOUR_MS });
    await world.runUntil(scenario.onsetAt, HOUR_MS);
    expect((await world.alertsOfPatient()).filter((a) => a.ruleId.startsWith('missing:'))).toEqual([]);
    // Down from 07:30 to 11:30 UTC; the weight was due 10:00 local (09:00 UTC) + 60 min grace.
    await world.restart(4 * HOUR_MS);
    const back = world.clock.now();
    const missing = (await world.alertsOfPatient()).find((a) => a.ruleId === 'missing:body_weight');
    expect(missing).toMatchObject({ audience: 'clinical', cause: 'not_measured', openedAt: back });
    expect(world.receivers.pages.some((p) => p.tier === 'nurse' && p.body.alert.id === missing!.id && p.body.reason === 'opened')).toBe(true);
    await world.runUntil(new Date(back.getTime() + 2 * HOUR_MS), 15 * MINUTE);
    await expectNoDuplicateAlerts(world);
    expectEachPageOnce(world);
  });
});
