/** A stable resident over 30 simulated days, end to end: nothing may be raised, nobody paged. */
import { describe, expect, it } from 'vitest';
import { HOUR_MS, stableResident } from '../../firmware-sim/physiology/scenarios/index.js';
import { ScenarioWorld } from './scenario-harness.js';

describe('stable resident', () => {
  it('30 days of ordinary readings raise no alert and page nobody', async () => {
    const scenario = stableResident();
    const world = await ScenarioWorld.start(scenario, { stepMs: 2 * HOUR_MS, fullEvaluationMs: 2 * HOUR_MS });
    try {
      await world.runUntil();
      expect(world.clock.now()).toEqual(new Date(scenario.start.getTime() + 30 * 24 * HOUR_MS));
      // Every reading arrived: 30 mornings x 5 readings + 30 evenings x 2.
      const stored = world.hub.stats.readingsStored;
      expect(stored).toBe(30 * 7);
      expect(await world.alertsOfPatient()).toEqual([]);
      expect(world.receivers.pages).toEqual([]);
      // The engine looked: NEWS2 was scored from the morning readings.
      const risk = (await world.alerts.engine.riskOf(['p-scn-1'])).get('p-scn-1');
      expect(risk?.openAlerts).toBe(0);
      expect(risk?.news2?.total).toBeLessThanOrEqual(2);
    } finally {
      await world.close();
    }
  }, 240_000);
});
