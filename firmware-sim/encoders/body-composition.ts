/** Body Composition Measurement 0x2A9C encoder (BCS 1.0 §3.2): the fields present decide the flags. */
import type { BodyCompositionMeasurement } from '../../gateway/profiles/body-composition-measurement.js';
import { ByteWriter } from './byte-writer.js';
import { writeDateTime } from './date-time.js';
import { rawHeight, rawMass } from './weight-scale.js';

export function encodeBodyCompositionMeasurement(m: BodyCompositionMeasurement): Uint8Array {
  const has = (v: unknown) => v !== undefined;
  const flags =
    (m.unit === 'lb' ? 0x0001 : 0) |
    (has(m.timestamp) ? 0x0002 : 0) |
    (has(m.userId) ? 0x0004 : 0) |
    (has(m.basalMetabolism) ? 0x0008 : 0) |
    (has(m.musclePercentage) ? 0x0010 : 0) |
    (has(m.muscleMass) ? 0x0020 : 0) |
    (has(m.fatFreeMass) ? 0x0040 : 0) |
    (has(m.softLeanMass) ? 0x0080 : 0) |
    (has(m.bodyWaterMass) ? 0x0100 : 0) |
    (has(m.impedance) ? 0x0200 : 0) |
    (has(m.weight) ? 0x0400 : 0) |
    (has(m.height) ? 0x0800 : 0) |
    (m.multiplePacketMeasurement ? 0x1000 : 0);
  const w = new ByteWriter().u16(flags).u16(typeof m.bodyFatPercentage === 'number' ? Math.round(m.bodyFatPercentage * 10) : 0xffff);
  const mass = (v: number | undefined) => v !== undefined && w.u16(rawMass(v, m.unit));
  if (m.timestamp) writeDateTime(w, m.timestamp);
  if (m.userId !== undefined) w.u8(m.userId);
  if (m.basalMetabolism !== undefined) w.u16(m.basalMetabolism);
  if (m.musclePercentage !== undefined) w.u16(Math.round(m.musclePercentage * 10));
  mass(m.muscleMass);
  mass(m.fatFreeMass);
  mass(m.softLeanMass);
  mass(m.bodyWaterMass);
  if (m.impedance !== undefined) w.u16(Math.round(m.impedance * 10));
  mass(m.weight);
  if (m.height !== undefined) w.u16(rawHeight(m.height, m.unit === 'kg' ? 'm' : 'in'));
  return w.toBytes();
}
