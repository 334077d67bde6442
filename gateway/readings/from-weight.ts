/**
 * Weight Measurement 0x2A9D -> one body_weight reading in kg (lb converted with the exact
 * 0.45359237 kg/lb, rounded to the SI resolution of 0.005 kg, i.e. 3 decimals). BMI and height have no
 * catalogue kind yet: they are shown by `rpm-gateway decode` but not stored. A weight of 0xFFFF
 * ("measurement unsuccessful") yields no reading.
 *
 * Body Composition Measurement 0x2A9C yields no reading (see measurement-profiles.ts): the catalogue has
 * no body-composition kind, and its optional weight would duplicate the scale's Weight Measurement.
 */
import { componentsFor, toCanonical, type Reading } from '../../contract/index.js';
import type { WeightMeasurement } from '../profiles/weight-measurement.js';
import { measurementTime } from './measurement-time.js';
import { deviceFor, readingIdFor, roundTo, timeKey, type ReadingContext } from './reading-builder.js';

export function readingsFromWeight(m: WeightMeasurement, ctx: ReadingContext): Reading[] {
  if (typeof m.weight !== 'number') return [];
  const kg = m.unit === 'kg' ? m.weight : toCanonical(m.weight, '[lb_av]', 'kg');
  if (kg === undefined) return [];
  // WSS: user id 0xFF = unknown user, kept as the device reported it (as for blood pressure).
  const device = deviceFor(ctx, m.userId);
  return [
    {
      id: readingIdFor(ctx, device, 'body_weight', timeKey(m.timestamp)),
      kind: 'body_weight',
      device,
      components: componentsFor('body_weight', { weight: roundTo(kg, 3) }),
      ...measurementTime(m.timestamp, ctx),
    },
  ];
}
