/** Intermediate Cuff Pressure 0x2A36 encoder (BLS 1.1.1 §3.3): the Blood Pressure layout, cuff pressure in the systolic field. */
import type { IntermediateCuffPressure } from '../../gateway/profiles/intermediate-cuff-pressure.js';
import { encodeBloodPressureMeasurement } from './blood-pressure.js';

export function encodeIntermediateCuffPressure(m: IntermediateCuffPressure): Uint8Array {
  const { cuffPressure, ...rest } = m;
  return encodeBloodPressureMeasurement({ systolic: cuffPressure, ...rest });
}
