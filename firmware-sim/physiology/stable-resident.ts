/**
 * A stable elderly resident with treated hypertension: blood pressure around 138/84 mmHg and pulse
 * around 72/min, with day-to-day scatter of the size seen in home monitoring.
 */
import type { CuffMeasurement } from '../devices/blood-pressure-cuff.js';
import { gaussian, seededRandom } from './random.js';

export function stableResident(seed: number): { bloodPressure(): CuffMeasurement } {
  const random = seededRandom(seed);
  return {
    bloodPressure() {
      const systolic = Math.round(gaussian(random, 138, 7));
      const diastolic = Math.round(gaussian(random, 84, 5));
      return { systolic, diastolic: Math.min(diastolic, systolic - 20), pulseRate: Math.round(gaussian(random, 72, 5)) };
    },
  };
}
