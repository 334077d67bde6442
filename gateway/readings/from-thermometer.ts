/**
 * Temperature Measurement 0x2A1C -> one body_temperature reading in Cel (°F converted, rounded to
 * 0.01 °C). The measurement site (Temperature Type) goes into status as `site_<type>`, since a rectal
 * and an armpit reading of the same patient differ by about half a degree.
 *
 * Intermediate Temperature 0x2A1E yields no reading: it is the display value while the thermometer is
 * still settling (HTS 1.0 §3.2), progress rather than a measurement; the final value follows on 0x2A1C.
 */
import { componentsFor, toCanonical, type Reading } from '../../contract/index.js';
import type { TemperatureMeasurement } from '../profiles/health-thermometer.js';
import { isSpecial } from '../profiles/ieee11073.js';
import { measurementTime } from './measurement-time.js';
import { deviceFor, readingIdFor, roundTo, statusName, timeKey, type ReadingContext } from './reading-builder.js';

export function celsius(m: Pick<TemperatureMeasurement, 'temperature' | 'unit'>): number | undefined {
  if (isSpecial(m.temperature)) return undefined;
  if (m.unit === 'Cel') return m.temperature;
  const c = toCanonical(m.temperature, '[degF]', 'Cel');
  return c === undefined ? undefined : roundTo(c, 2);
}

export function readingsFromTemperature(m: TemperatureMeasurement, ctx: ReadingContext): Reading[] {
  const temperature = celsius(m);
  if (temperature === undefined) return [];
  const device = deviceFor(ctx, undefined);
  return [
    {
      id: readingIdFor(ctx, device, 'body_temperature', timeKey(m.timestamp)),
      kind: 'body_temperature',
      device,
      components: componentsFor('body_temperature', { temperature }),
      ...measurementTime(m.timestamp, ctx),
      ...(m.temperatureType !== undefined && { status: [`site_${statusName(m.temperatureType)}`] }),
    },
  ];
}
