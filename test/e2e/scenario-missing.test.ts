/**
 * Missing readings end to end, with the cause told apart: a resident who stops measuring is a
 * clinical matter for the nurses; a box without power or a flat battery is a technical one, and
 * nurses are not paged about it. Accelerated time through the real broker, hub and InfluxDB.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { batteryDies, boxLosesPower, HOUR_MS, stopsMeasuring } from '../../firmware-sim/physiology/scenarios/index.js';
import { ScenarioWorld } from './scenario-harness.js';
import { expectNoDuplicateAlerts, expectScenarioAlerts } from './scenario-expect.js';

describe('missing readings with the right cause', { timeout: 180_000 }, () => {
  let world: ScenarioWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('the resident stops measuring: clinical, cause not_measured, the nurse is paged', async () => {
    const scenario = stopsMeasuring();
    world = await ScenarioWorld.start(scenario, { stepMs: HOUR_MS });
    await world.runUntil(scenario.onsetAt, HOUR_MS);
    await world.runUntil(new Date(scenario.onsetAt!.getTime() + 4 * HOUR_MS), 10 * 60_000);
    await expectScenarioAlerts(world, scenario);
    const weight = (await world.alertsOfPatient()).find((a) => a.ruleId === 'missing:body_weight')!;
    expect(weight.summary).toContain('No body weight reading');
    expect(world.receivers.pages.filter((p) => p.tier === 'tech')).toEqual([]);
    await expectNoDuplicateAlerts(world);
  });

  it('the box loses power: gateway_offline for technical support, missing readings blamed on the box and muted', async () => {
    const scenario = boxLosesPower();
    world = await ScenarioWorld.start(scenario, { stepMs: HOUR_MS });
    await world.runUntil(new Date(scenario.onsetAt!.getTime() - HOUR_MS), HOUR_MS);
    await world.runUntil(new Date(scenario.onsetAt!.getTime() + 7 * HOUR_MS), 10 * 60_000);
    await expectScenarioAlerts(world, scenario);
    const alerts = await world.alertsOfPatient();
    const offline = alerts.find((a) => a.ruleId === 'gateway_offline')!;
    expect(offline).toMatchObject({ subjectKey: 'gateway:home-scn-1', gatewayId: 'home-scn-1', careTeamId: 'team-north', evidence: { values: { reason: 'last_will' } } });
    // Inhibition: while the box is offline its missing-reading alerts do not page; the gateway alert does.
    const missing = alerts.filter((a) => a.ruleId.startsWith('missing:'));
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((a) => a.muted && a.cause === 'gateway_offline' && a.audience === 'technical')).toBe(true);
    expect(world.receivers.pages.filter((p) => p.tier === 'nurse')).toEqual([]);
    expect(world.receivers.pages.filter((p) => p.body.alert.rule.startsWith('missing:'))).toEqual([]);
    await expectNoDuplicateAlerts(world);
  });

  it("the scale's battery dies: battery_low and a missing weight blamed on the battery, for technical support", async () => {
    const scenario = batteryDies();
    world = await ScenarioWorld.start(scenario, { stepMs: HOUR_MS });
    await world.runUntil(new Date(scenario.onsetAt!.getTime() + 12 * HOUR_MS), HOUR_MS);
    await expectScenarioAlerts(world, scenario);
    const alerts = await world.alertsOfPatient();
    // The other kinds were measured: only the weight is missing.
    expect(alerts.filter((a) => a.ruleId.startsWith('missing:')).map((a) => a.ruleId)).toEqual(['missing:body_weight']);
    expect(world.receivers.pages.filter((p) => p.tier === 'nurse')).toEqual([]);
    await expectNoDuplicateAlerts(world);
  });
});
