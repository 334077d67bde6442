/**
 * Decode benchmark: payloads per second for each GATT profile, decoding alone and decoding plus making
 * contract readings (stable-id hashing, time-zone conversion). Fixed iteration counts after a warm-up,
 * timed with process.hrtime.bigint. Run: npx tsx scripts/bench/decode.ts [iterations]
 */
import type { ReadingContext } from '../../gateway/readings/from-blood-pressure.js';
import { DESCRIBERS } from '../../gateway/profiles/describe-table.js';
import { BODY_COMPOSITION_VECTORS } from '../../test/fixtures/gatt/body-composition.js';
import { GLUCOSE_CONTEXT_VECTORS, GLUCOSE_VECTORS } from '../../test/fixtures/gatt/glucose.js';
import { HEART_RATE_VECTORS } from '../../test/fixtures/gatt/heart-rate.js';
import { PLX_CONTINUOUS_VECTORS, PLX_SPOT_CHECK_VECTORS } from '../../test/fixtures/gatt/pulse-oximeter.js';
import { TEMPERATURE_VECTORS } from '../../test/fixtures/gatt/thermometer.js';
import { bytes } from '../../test/fixtures/gatt/vector.js';
import { WEIGHT_VECTORS } from '../../test/fixtures/gatt/weight-scale.js';
import { INTERMEDIATE_CUFF_PRESSURE_VECTORS } from '../../test/fixtures/gatt/blood-pressure.js';
import { exitOnHelp } from '../lib/cli-help.js';

exitOnHelp('npm run bench: decode benchmark, payloads per second for each GATT profile. Prints figures.');

const ITERATIONS = Number(process.argv[2] ?? 200_000);
const WARM_UP = Math.min(20_000, ITERATIONS);

// A full-featured payload per characteristic.
const CASES: readonly (readonly [string, string])[] = [
  ['2a35', '1e 7800 5000 5d00 ea07 0b 16 09 0f 00 4800 01 0000'], // blood pressure, all fields (BLS 1.1.1 §3.1, constructed)
  ['2a36', INTERMEDIATE_CUFF_PRESSURE_VECTORS[1]!.hex],
  ['2a1c', TEMPERATURE_VECTORS[0]!.hex],
  ['2a9d', WEIGHT_VECTORS[4]!.hex],
  ['2a9c', BODY_COMPOSITION_VECTORS[5]!.hex],
  ['2a18', GLUCOSE_VECTORS[0]!.hex],
  ['2a34', GLUCOSE_CONTEXT_VECTORS[0]!.hex],
  ['2a5e', PLX_SPOT_CHECK_VECTORS[0]!.hex],
  ['2a5f', PLX_CONTINUOUS_VECTORS[2]!.hex],
  ['2a37', HEART_RATE_VECTORS[3]!.hex],
  ['2a19', '5a'],
  ['2a2b', 'e707 01 02 14 16 07 01 ff 01'],
];

function time(iterations: number, body: () => void): number {
  for (let i = 0; i < WARM_UP; i++) body();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body();
  const ns = Number(process.hrtime.bigint() - start);
  return iterations / (ns / 1e9);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12);

console.log(`node ${process.version}, ${ITERATIONS.toLocaleString('en-US')} iterations per case after ${WARM_UP.toLocaleString('en-US')} warm-up`);
console.log(`${'characteristic'.padEnd(36)} ${'bytes'.padStart(5)} ${'decode/s'.padStart(12)} ${'+readings/s'.padStart(12)}`);
let failures = 0;
for (const [uuid, hex] of CASES) {
  const describer = DESCRIBERS[uuid]!;
  const payload = bytes(hex);
  const check = describer.decode(payload);
  if (!check.ok) {
    console.error(`${describer.name}: vector does not decode: ${check.reason}`);
    failures++;
    continue;
  }
  let sink = 0;
  const decodeRate = time(ITERATIONS, () => {
    const r = describer.decode(payload);
    if (r.ok) sink++;
  });
  let readingsRate: number | undefined;
  if (describer.readings) {
    const ctx: ReadingContext = {
      device: { id: 'eui64-0807060504030201' },
      raw: payload,
      receivedAt: new Date('2026-11-22T12:00:00Z'),
      timeZone: 'Europe/Copenhagen',
      clockSuspectAfterS: 300,
      lateAfterS: 1800,
    };
    // Fewer iterations: each reading hashes its id (SHA-256) or makes a ULID.
    readingsRate = time(Math.ceil(ITERATIONS / 4), () => {
      const r = describer.decode(payload);
      if (r.ok) sink += describer.readings!(r.value, ctx).length;
    });
  }
  if (sink === 0) failures++;
  const name = `${describer.name} (0x${uuid})`.padEnd(36);
  console.log(`${name} ${String(payload.length).padStart(5)} ${fmt(decodeRate)} ${readingsRate === undefined ? '           -' : fmt(readingsRate)}`);
}
process.exitCode = failures > 0 ? 1 : 0;
