/** Every resident scenario, by name (firmware-sim/scenario-runner.ts runs them in accelerated time). */
import { batteryDies } from './battery-dies.js';
import { boxLosesPower } from './box-loses-power.js';
import { deterioratingInfection } from './deteriorating-infection.js';
import { heartFailureFluidRetention } from './heart-failure-fluid-retention.js';
import { hypertensiveCrisis } from './hypertensive-crisis.js';
import type { Scenario } from './scenario.js';
import { stableResident } from './stable-resident.js';
import { stopsMeasuring } from './stops-measuring.js';

export * from './scenario.js';
export { batteryDies, boxLosesPower, deterioratingInfection, heartFailureFluidRetention, hypertensiveCrisis, stableResident, stopsMeasuring };

export const SCENARIOS: Readonly<Record<string, () => Scenario>> = {
  'stable-resident': () => stableResident(),
  'hypertensive-crisis': () => hypertensiveCrisis(),
  'deteriorating-infection': () => deterioratingInfection(),
  'heart-failure-fluid-retention': () => heartFailureFluidRetention(),
  'stops-measuring': () => stopsMeasuring(),
  'box-loses-power': () => boxLosesPower(),
  'battery-dies': () => batteryDies(),
};
