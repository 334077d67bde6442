/**
 * Deteriorating residents, end to end in accelerated time: a gateway (mqtt.js, QoS 1) -> Aedes on TCP
 * -> ingest -> spool -> InfluxDB -> alert engine -> outbox -> webhooks. Each scenario must raise its
 * alert within the time its clinical source allows, and page the nurse.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deterioratingInfection, heartFailureFluidRetention, hypertensiveCrisis, HOUR_MS } from '../../firmware-sim/physiology/scenarios/index.js';
import { ScenarioWorld } from './scenario-harness.js';
import { expectNoDuplicateAlerts, expectScenarioAlerts, expectSignedPages } from './scenario-expect.js';

describe('deteriorating residents raise the right alert in time', { timeout: 180_000 }, () => {
  let world: ScenarioWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('hypertensive crisis: the systolic threshold pages the nurse at high severity', async () => {
    const scenario = hypertensiveCrisis();
    world = await ScenarioWorld.start(scenario, { stepMs: HOUR_MS });
    const onset = scenario.onsetAt!.getTime();
    await world.runUntil(new Date(onset - HOUR_MS));
    await world.runUntil(new Date(onset + HOUR_MS), 5 * 60_000);
    await expectScenarioAlerts(world, scenario);
    const alerts = await world.alertsOfPatient();
    expect(alerts.find((a) => a.ruleId === 'threshold:blood_pressure.diastolic')?.severity).toBe('high');
    // Nobody acknowledged: high escalates to the team lead after 15 min.
    expect(world.receivers.pages.some((p) => p.tier === 'lead' && p.body.reason === 'escalated' && p.body.alert.rule === 'threshold:blood_pressure.systolic')).toBe(true);
    expectSignedPages(world);
    await expectNoDuplicateAlerts(world);
  });

  it('deteriorating infection: NEWS2 climbs to urgent (high risk) within 12 hours', async () => {
    const scenario = deterioratingInfection();
    world = await ScenarioWorld.start(scenario, { stepMs: HOUR_MS });
    const onset = scenario.onsetAt!.getTime();
    await world.runUntil(new Date(onset));
    await world.runUntil(new Date(onset + 13 * HOUR_MS), 15 * 60_000);
    await expectScenarioAlerts(world, scenario);
    const news2 = (await world.alertsOfPatient()).find((a) => a.ruleId === 'news2')!;
    const raised = (await world.alerts.store.events(news2.id)).filter((e) => e.type === 'severity_raised').map((e) => e.severity);
    expect(raised).toContain('urgent');
    // Every rise paged again.
    expect(world.receivers.pages.filter((p) => p.tier === 'nurse' && p.body.alert.id === news2.id && p.body.reason === 'severity_raised').length).toBe(raised.length);
    await expectNoDuplicateAlerts(world);
  });

  it('heart-failure fluid retention: weight gain >= 2 kg in 72 h fires within 4 days', async () => {
    const scenario = heartFailureFluidRetention();
    world = await ScenarioWorld.start(scenario, { stepMs: HOUR_MS });
    await world.runUntil();
    await expectScenarioAlerts(world, scenario);
    await expectNoDuplicateAlerts(world);
  });
});
