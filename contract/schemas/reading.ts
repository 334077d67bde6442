import { z } from 'zod';
import { CATALOGUE, VITAL_KINDS, type VitalKind } from '../catalogue.js';
import { Identifier, UtcInstant, WIRE_VERSION, describeIssues, type Parsed } from './common.js';

/** The device that took a reading. `userIndex` is part of its identity on multi-user cuffs and scales. */
export const DeviceRef = z.object({
  /** System id or serial number from Device Information, else the BLE address. */
  id: Identifier,
  /** Multi-user devices: the user index the device reported (0-254; 255 = unknown user per BLS/WSS). */
  userIndex: z.number().int().min(0).max(255).optional(),
  address: z.string().max(64).optional(),
  manufacturer: z.string().max(128).optional(),
  model: z.string().max(128).optional(),
  serial: z.string().max(128).optional(),
  firmware: z.string().max(64).optional(),
});
export type DeviceRef = z.infer<typeof DeviceRef>;

export const ComponentValue = z.object({
  /** Component name from the catalogue, e.g. systolic. */
  name: z.string().min(1).max(64),
  /** LOINC code; must match the catalogue for this kind and component. */
  code: z.string().regex(/^\d{1,7}-\d$/, 'expected a LOINC code like 8480-6'),
  value: z.number().finite(),
  /** UCUM unit; must be the catalogue's canonical unit (gateways normalise at decode time). */
  unit: z.string().min(1).max(32),
});
export type ComponentValue = z.infer<typeof ComponentValue>;

const ReadingObject = z.object({
  /** Stable id: the same measurement always carries the same id, across retries, replays and re-sends. */
  id: Identifier,
  kind: z.enum(VITAL_KINDS),
  device: DeviceRef,
  components: z.array(ComponentValue).min(1).max(16),
  /** When the measurement was taken, in UTC (device local time converted with the box's time zone). */
  measuredAt: UtcInstant,
  /** When the gateway received it, in UTC. */
  receivedAt: UtcInstant,
  /** The device's own time stamp as sent, local and without zone (HL7 PHD "coincident time stamp"). */
  deviceTime: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:mm:ss').optional(),
  /** Where measuredAt came from: the device's clock or, when it sent none, the receipt time. */
  timeSource: z.enum(['device', 'receipt']),
  /** Device clock minus true time, seconds, when known. */
  clockOffsetS: z.number().finite().optional(),
  /** The device clock was far enough off that measuredAt may be wrong. */
  clockSuspect: z.boolean().default(false),
  /** A stored record downloaded long after it was taken: never page as if current. */
  late: z.boolean().default(false),
  /** Device measurement status flags, e.g. body_movement, irregular_pulse. */
  status: z.array(z.string().max(64)).max(32).optional(),
});

/** Checks components against the vital-sign catalogue: known names, matching LOINC codes and canonical units, no duplicates. */
export const Reading = ReadingObject.superRefine((reading, ctx) => {
  const spec = CATALOGUE[reading.kind];
  const seen = new Set<string>();
  reading.components.forEach((component, index) => {
    const known = spec.components.find((c) => c.name === component.name);
    if (!known) {
      ctx.addIssue({
        code: 'custom',
        path: ['components', index, 'name'],
        message: `unknown component "${component.name}" for kind ${reading.kind} (expected one of ${spec.components.map((c) => c.name).join(', ')})`,
      });
      return;
    }
    if (seen.has(component.name)) {
      ctx.addIssue({ code: 'custom', path: ['components', index, 'name'], message: `duplicate component "${component.name}"` });
    }
    seen.add(component.name);
    if (component.code !== known.loinc) {
      ctx.addIssue({ code: 'custom', path: ['components', index, 'code'], message: `expected LOINC ${known.loinc} for ${component.name}` });
    }
    if (component.unit !== known.unit) {
      ctx.addIssue({ code: 'custom', path: ['components', index, 'unit'], message: `expected unit ${known.unit} for ${component.name}` });
    }
  });
});
export type Reading = z.infer<typeof Reading>;
export type ReadingInput = z.input<typeof Reading>;

/** A batch of readings from one gateway. The gateway id comes from the topic, which the broker's ACL vouches for. */
export const ReadingBatch = z.object({
  v: z.literal(WIRE_VERSION),
  sentAt: UtcInstant,
  readings: z.array(Reading).min(1).max(1000),
});
export type ReadingBatch = z.infer<typeof ReadingBatch>;

/** The envelope alone: readings are validated one by one so that one bad reading does not hold back the good ones. */
const ReadingBatchEnvelope = z.object({
  v: z.literal(WIRE_VERSION),
  sentAt: UtcInstant,
  readings: z.array(z.unknown()).min(1).max(1000),
});

export interface RejectedReading {
  readonly index: number;
  /** The id the gateway gave, when it gave a usable one, for tracing. */
  readonly id?: string;
  readonly reason: string;
  readonly raw: unknown;
}

export interface SplitBatch {
  readonly sentAt: string;
  readonly accepted: Reading[];
  readonly rejected: RejectedReading[];
}

/**
 * Validates a batch envelope, then each reading on its own (per-reading rejection):
 * a malformed envelope rejects the whole message; a malformed reading rejects only itself.
 */
export function splitReadingBatch(input: unknown): Parsed<SplitBatch> {
  const envelope = ReadingBatchEnvelope.safeParse(input);
  if (!envelope.success) return { ok: false, reason: describeIssues(envelope.error) };
  const accepted: Reading[] = [];
  const rejected: RejectedReading[] = [];
  envelope.data.readings.forEach((raw, index) => {
    const result = Reading.safeParse(raw);
    if (result.success) {
      accepted.push(result.data);
    } else {
      const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
      rejected.push({ index, ...(id === undefined ? {} : { id: id.slice(0, 128) }), reason: describeIssues(result.error, ['readings', index]), raw });
    }
  });
  return { ok: true, value: { sentAt: envelope.data.sentAt, accepted, rejected } };
}

/** Component values of a reading as a name -> value map (the shape storage and rules want). */
export function componentValues(reading: Pick<Reading, 'components'>): Record<string, number> {
  const values: Record<string, number> = {};
  for (const c of reading.components) values[c.name] = c.value;
  return values;
}

/** Builds the components array for a kind from canonical values, filling in codes and units from the catalogue. */
export function componentsFor(kind: VitalKind, values: Readonly<Record<string, number | undefined>>): ComponentValue[] {
  const out: ComponentValue[] = [];
  for (const spec of CATALOGUE[kind].components) {
    const value = values[spec.name];
    if (value === undefined || !Number.isFinite(value)) continue;
    out.push({ name: spec.name, code: spec.loinc, value, unit: spec.unit });
  }
  return out;
}
