/**
 * Differential tests: whenever the fast path answers, contract's zod-based splitReadingBatch must
 * accept the same batch with every reading and produce exactly the same output. The fast path may
 * decline (undefined) anything; it must take the plain valid batches the gateways send.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, IDENTIFIER_PATTERN, Identifier, UTC_INSTANT_PATTERN, UtcInstant, VITAL_KINDS, splitReadingBatch } from '../../contract/index.js';
import { FAST_PATH_AVAILABLE, fastReading, fastSplitReadingBatch } from './fast-split.js';

const pad = (n: number, w: number) => String(n).padStart(w, '0');
/** Date-like strings, valid and not: month 13, day 31 in short months, Feb 29, hour 24, fractions, offsets. */
const instantish = fc
  .tuple(
    fc.integer({ min: 1899, max: 2401 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 24 }),
    fc.integer({ min: 0, max: 60 }),
    fc.constantFrom('', '.5', '.123', '.123456789', '.'),
    fc.constantFrom('Z', 'Z', 'Z', '+00:00', '', 'z'),
  )
  .map(([y, mo, d, h, mi, frac, zone]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(mi, 2)}${frac}${zone}`);
const goodInstant = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString());
const id = fc.oneof({ arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/), weight: 20 }, fc.string({ maxLength: 6 }), fc.constant('x'.repeat(129)));
/** Mostly valid, sometimes not. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });

const reading = fc.constantFrom(...VITAL_KINDS).chain((kind) => {
  const specs = CATALOGUE[kind].components;
  return fc.record(
    {
      id,
      kind: fc.constant(kind),
      device: fc.record(
        { id, userIndex: mostly(fc.integer({ min: 0, max: 255 }), fc.constantFrom(-1, 256, 1.5)), serial: mostly(fc.string({ maxLength: 128 }), fc.constant('s'.repeat(129))), model: fc.string({ maxLength: 3 }) },
        { requiredKeys: ['id'] },
      ),
      components: fc
        .subarray([...specs], { minLength: 1 })
        .chain((chosen) => fc.tuple(...chosen.map((s) => fc.record({ name: fc.constant(s.name), code: fc.constant(s.loinc), value: fc.double({ min: -1e6, max: 1e6, noNaN: true }), unit: fc.constant(s.unit) })))),
      measuredAt: mostly(goodInstant, instantish),
      receivedAt: goodInstant,
      deviceTime: mostly(fc.constant('2026-01-02T03:04:05'), fc.constant('2026-01-02 03:04:05')),
      timeSource: fc.constantFrom('device', 'receipt'),
      clockOffsetS: fc.double({ noNaN: true, min: -1e5, max: 1e5 }),
      clockSuspect: fc.boolean(),
      late: fc.boolean(),
      status: fc.array(mostly(fc.constantFrom('body_movement', 'irregular_pulse'), fc.constant('x'.repeat(65))), { maxLength: 3 }),
    },
    { requiredKeys: ['id', 'kind', 'device', 'components', 'measuredAt', 'receivedAt', 'timeSource'] },
  );
});

/** A random change somewhere in a value: drop a key, add one, or replace a value by arbitrary JSON. */
function mutate(value: unknown, path: number[], replacement: unknown, addKey: boolean): unknown {
  if (typeof value !== 'object' || value === null) return replacement;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length === 0 || path.length === 0) return addKey && !Array.isArray(value) ? { ...value, extra: replacement } : replacement;
  const [key] = entries[path[0]! % entries.length]!;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) };
  if (path.length === 1 && !addKey && !Array.isArray(copy)) delete copy[key];
  else (copy as Record<string, unknown>)[key] = mutate((value as Record<string, unknown>)[key], path.slice(1), replacement, addKey);
  return copy;
}

const batch = fc.record({ v: mostly(fc.constant(1), fc.constant(2)), sentAt: mostly(goodInstant, instantish), readings: fc.array(reading, { minLength: 0, maxLength: 3 }) });

/** A strictly valid reading, then one targeted corruption of one field. */
const validReading = fc.constantFrom(...VITAL_KINDS).chain((kind) =>
  fc.record({
    id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/),
    kind: fc.constant(kind),
    device: fc.record({ id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/) }),
    components: fc.constant(CATALOGUE[kind].components.map((c, i) => ({ name: c.name, code: c.loinc, value: 10 + i, unit: c.unit }))),
    measuredAt: goodInstant,
    receivedAt: goodInstant,
    timeSource: fc.constantFrom('device', 'receipt'),
  }),
);
type Raw = Record<string, unknown> & { components: Record<string, unknown>[]; device: Record<string, unknown> };
const CORRUPTIONS: ((r: Raw, junk: unknown) => void)[] = [
  (r, j) => (r.components[0]!.unit = typeof j === 'string' ? j : 'mmHg'),
  (r) => (r.components[0]!.unit = r.kind === 'blood_pressure' ? '%' : 'mm[Hg]'),
  (r, j) => (r.components[0]!.code = typeof j === 'string' ? j : '1234'),
  (r) => (r.components[0]!.code = '12345678-9'),
  (r) => (r.components[0]!.code = 'x8480-6'),
  (r) => (r.components[0]!.code = r.kind === 'blood_pressure' ? '59408-5' : '8480-6'),
  (r) => (r.components[0]!.name = 'unknownThing'),
  (r) => r.components.push({ ...r.components[0]! }),
  (r, j) => (r.components[0]!.value = j),
  (r) => (r.components[0]!.extra = 1),
  (r) => (r.components = []),
  (r) => (r.components = Array.from({ length: 17 }, () => r.components[0]!)),
  (r, j) => (r.id = j),
  (r) => (r.id = '-starts-with-dash'),
  (r) => (r.device.id = 'has space'),
  (r, j) => (r.device.userIndex = typeof j === 'number' ? j : 256),
  (r) => (r.device.userIndex = 1.5),
  (r) => (r.device.serial = 's'.repeat(129)),
  (r) => (r.device.firmware = 'f'.repeat(65)),
  (r) => (r.device.color = 'red'),
  (r) => delete (r as Record<string, unknown>).timeSource,
  (r, j) => (r.timeSource = j),
  (r) => (r.measuredAt = '2026-02-29T00:00:00Z'),
  (r) => (r.measuredAt = '2026-01-01T24:00:00Z'),
  (r) => (r.receivedAt = '2026-01-01T00:00:00+01:00'),
  (r) => (r.receivedAt = '2026-01-01T00:00Z'),
  (r) => (r.deviceTime = '2026-01-02 03:04:05'),
  (r) => (r.clockOffsetS = 'soon'),
  (r, j) => (r.clockSuspect = typeof j === 'boolean' ? 'yes' : j),
  (r) => (r.late = 0),
  (r) => (r.status = ['x'.repeat(65)]),
  (r) => (r.status = Array.from({ length: 33 }, () => 'a')),
  (r) => (r.kind = 'mood'),
];

function agrees(input: unknown): void {
  const fast = fastSplitReadingBatch(input);
  if (fast === undefined) return;
  const slow = splitReadingBatch(input);
  expect(slow.ok).toBe(true);
  if (slow.ok) expect(fast).toStrictEqual(slow.value);
}

describe('fast path for reading batches', () => {
  it('is available with this zod version (else ingest silently uses zod alone)', () => {
    expect(FAST_PATH_AVAILABLE).toBe(true);
  });

  it('leaves objects JSON.parse would not make (no prototype) to zod: it returns parsed objects as they are', () => {
    const device = Object.assign(Object.create(null) as object, { id: 'sn-1' });
    const raw = { id: 'h-1', kind: 'spo2', device, components: [{ name: 'spo2', code: '59408-5', value: 97, unit: '%' }], measuredAt: '2026-01-01T00:00:00Z', receivedAt: '2026-01-01T00:00:01.5Z', timeSource: 'device' };
    expect(fastReading(raw)).toBeUndefined();
    agrees({ v: 1, sentAt: '2026-01-01T00:00:02Z', readings: [raw] });
  });

  it('returns the parsed device and components without copying them', () => {
    const raw = JSON.parse(
      '{"id":"h-1","kind":"spo2","device":{"id":"sn-1"},"components":[{"name":"spo2","code":"59408-5","value":97,"unit":"%"}],"measuredAt":"2026-01-01T00:00:00Z","receivedAt":"2026-01-01T00:00:01Z","timeSource":"device"}',
    ) as { device: unknown; components: unknown };
    const reading = fastReading(raw);
    expect(reading?.device).toBe(raw.device);
    expect(reading?.components).toBe(raw.components);
  });

  it('checks with the very patterns the schemas check (one source, public zod API): same verdict on generated strings', () => {
    fc.assert(
      fc.property(fc.oneof(instantish, goodInstant, fc.string({ maxLength: 40 })), (s) => {
        expect(UTC_INSTANT_PATTERN.test(s)).toBe(UtcInstant.safeParse(s).success);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(id, (s) => {
        expect(IDENTIFIER_PATTERN.test(s)).toBe(Identifier.safeParse(s).success);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes a plain valid reading and outputs what zod outputs', () => {
    const raw = { id: 'h-1', kind: 'spo2', device: { id: 'sn-1', userIndex: 1 }, components: [{ name: 'spo2', code: '59408-5', value: 97, unit: '%' }], measuredAt: '2026-01-01T00:00:00Z', receivedAt: '2026-01-01T00:00:01.5Z', timeSource: 'device' };
    expect(fastReading(raw)).toBeDefined();
    agrees({ v: 1, sentAt: '2026-01-01T00:00:02Z', readings: [raw] });
  });

  it('agrees with zod on random batches', () => {
    let taken = 0;
    fc.assert(
      fc.property(batch, (b) => {
        agrees(b);
        // And as the hub gets it: from JSON.parse (fast-check also builds objects without a prototype).
        const parsed = JSON.parse(JSON.stringify(b)) as unknown;
        if (fastSplitReadingBatch(parsed)) taken++;
        agrees(parsed);
      }),
      { numRuns: 2000 },
    );
    // Not vacuous: a good share of the random batches went the fast way.
    expect(taken).toBeGreaterThan(70);
  });

  it('agrees with zod on mutated batches', () => {
    fc.assert(
      fc.property(batch, fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), fc.boolean(), (b, path, replacement, addKey) => {
        agrees(mutate(b, path, replacement, addKey));
      }),
      { numRuns: 3000 },
    );
  });

  it('declines every targeted corruption zod refuses', () => {
    let refused = 0;
    fc.assert(
      fc.property(validReading, fc.nat(CORRUPTIONS.length - 1), fc.jsonValue({ maxDepth: 1 }), (valid, which, junk) => {
        // As JSON.parse makes it (fast-check may build objects without a prototype, which the fast path leaves to zod).
        expect(fastReading(JSON.parse(JSON.stringify(valid)))).toBeDefined();
        const raw = structuredClone(valid) as unknown as Raw;
        CORRUPTIONS[which]!(raw, junk);
        const input = { v: 1, sentAt: '2026-01-01T00:00:00Z', readings: [raw] };
        agrees(input);
        const slow = splitReadingBatch(input);
        if (slow.ok && slow.value.rejected.length === 1) {
          refused++;
          expect(fastSplitReadingBatch(input)).toBeUndefined();
        }
      }),
      { numRuns: 2000 },
    );
    // Most corruptions are real ones: the test exercises the refusals, not only the agreements.
    expect(refused).toBeGreaterThan(1500);
  });

  it('declines what it does not know rather than guess', () => {
    const raw = { id: 'h-1', kind: 'spo2', device: { id: 'sn-1' }, components: [{ name: 'spo2', code: '59408-5', value: 97, unit: '%' }], measuredAt: '2026-01-01T00:00:00Z', receivedAt: '2026-01-01T00:00:00Z', timeSource: 'device' };
    expect(fastReading({ ...raw, extra: 1 })).toBeUndefined();
    expect(fastReading({ ...raw, late: undefined })).toBeUndefined();
    expect(fastReading({ ...raw, device: JSON.parse('{"id":"sn-1","__proto__":{"x":1}}') as unknown })).toBeUndefined();
    expect(fastReading({ ...raw, kind: 'constructor' })).toBeUndefined();
  });
});
