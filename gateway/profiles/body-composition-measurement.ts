/**
 * Body Composition Measurement, characteristic 0x2A9C (Body Composition Service 0x181B, BCS 1.0 §3.2),
 * indicated. GATT Specification Supplement §3.34: flags u16 | body fat percentage u16 | then, in flag
 * order, each optional field. Masses use the Weight Scale resolutions (0.005 kg / 0.01 lb), height
 * 0.001 m / 0.1 in, percentages 0.1 %, impedance 0.1 ohm, basal metabolism whole kJ.
 *
 * BCS 1.0 §3.2.1.1 bit 12, Multiple Packet Measurement: a value too long for the ATT MTU is split over
 * several indications, each with its own flags naming the fields it carries. Each packet decodes on its
 * own here; `multiplePacketMeasurement` tells the caller more packets of the same measurement follow.
 */
import { ByteReader } from './byte-reader.js';
import { readDateTime, type LocalDateTime } from './date-time.js';
import { decodeSafely, type DecodeResult } from './result.js';
import { heightFromRaw, massFromRaw, MEASUREMENT_UNSUCCESSFUL, type LengthUnit, type MassUnit } from './weight-measurement.js';

export const BODY_COMPOSITION_MEASUREMENT_UUID = '2a9c';

export interface BodyCompositionMeasurement {
  readonly unit: MassUnit;
  readonly bodyFatPercentage: number | typeof MEASUREMENT_UNSUCCESSFUL;
  readonly timestamp?: LocalDateTime;
  readonly userId?: number;
  /** kJ */
  readonly basalMetabolism?: number;
  readonly musclePercentage?: number;
  readonly muscleMass?: number;
  readonly fatFreeMass?: number;
  readonly softLeanMass?: number;
  readonly bodyWaterMass?: number;
  /** ohm */
  readonly impedance?: number;
  readonly weight?: number;
  readonly height?: number;
  readonly heightUnit?: LengthUnit;
  readonly multiplePacketMeasurement: boolean;
}

// BCS 1.0 §3.2.1.1 Flags field (uint16).
const FLAG_IMPERIAL = 0x0001; // bit 0: 0 = SI, 1 = imperial
const FLAG_TIME_STAMP = 0x0002; // bit 1: Time Stamp present
const FLAG_USER_ID = 0x0004; // bit 2: User ID present
const FLAG_BASAL_METABOLISM = 0x0008; // bit 3: Basal Metabolism present
const FLAG_MUSCLE_PERCENTAGE = 0x0010; // bit 4: Muscle Percentage present
const FLAG_MUSCLE_MASS = 0x0020; // bit 5: Muscle Mass present
const FLAG_FAT_FREE_MASS = 0x0040; // bit 6: Fat Free Mass present
const FLAG_SOFT_LEAN_MASS = 0x0080; // bit 7: Soft Lean Mass present
const FLAG_BODY_WATER_MASS = 0x0100; // bit 8: Body Water Mass present
const FLAG_IMPEDANCE = 0x0200; // bit 9: Impedance present
const FLAG_WEIGHT = 0x0400; // bit 10: Weight present
const FLAG_HEIGHT = 0x0800; // bit 11: Height present
const FLAG_MULTIPLE_PACKET = 0x1000; // bit 12: Multiple Packet Measurement

export function decodeBodyCompositionMeasurement(payload: Uint8Array): DecodeResult<BodyCompositionMeasurement> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const flags = r.u16('flags');
    const unit: MassUnit = flags & FLAG_IMPERIAL ? 'lb' : 'kg';
    const heightUnit: LengthUnit = unit === 'kg' ? 'm' : 'in';
    const rawFat = r.u16('bodyFatPercentage');
    // BCS 1.0 §3.2.1.2: 0xFFFF = measurement unsuccessful.
    const bodyFatPercentage = rawFat === 0xffff ? MEASUREMENT_UNSUCCESSFUL : rawFat / 10;
    const out: { -readonly [K in keyof BodyCompositionMeasurement]?: BodyCompositionMeasurement[K] } = { unit, bodyFatPercentage };
    if (flags & FLAG_TIME_STAMP) {
      const timestamp = readDateTime(r, 'timestamp');
      if (timestamp) out.timestamp = timestamp;
    }
    if (flags & FLAG_USER_ID) out.userId = r.u8('userId');
    if (flags & FLAG_BASAL_METABOLISM) out.basalMetabolism = r.u16('basalMetabolism');
    if (flags & FLAG_MUSCLE_PERCENTAGE) out.musclePercentage = r.u16('musclePercentage') / 10;
    if (flags & FLAG_MUSCLE_MASS) out.muscleMass = massFromRaw(r.u16('muscleMass'), unit);
    if (flags & FLAG_FAT_FREE_MASS) out.fatFreeMass = massFromRaw(r.u16('fatFreeMass'), unit);
    if (flags & FLAG_SOFT_LEAN_MASS) out.softLeanMass = massFromRaw(r.u16('softLeanMass'), unit);
    if (flags & FLAG_BODY_WATER_MASS) out.bodyWaterMass = massFromRaw(r.u16('bodyWaterMass'), unit);
    if (flags & FLAG_IMPEDANCE) out.impedance = r.u16('impedance') / 10;
    if (flags & FLAG_WEIGHT) out.weight = massFromRaw(r.u16('weight'), unit);
    if (flags & FLAG_HEIGHT) {
      out.height = heightFromRaw(r.u16('height'), heightUnit);
      out.heightUnit = heightUnit;
    }
    out.multiplePacketMeasurement = (flags & FLAG_MULTIPLE_PACKET) !== 0;
    return out as BodyCompositionMeasurement;
  });
}
