/**
 * Attribution benchmark: what deciding who measured costs on ingest's hot path. Per reading, the
 * attribution pass alone (home gateway; community room with a day of sessions in memory) and the
 * line-protocol line with and without the attribution field. Fixed iteration counts after a warm-up,
 * timed with process.hrtime.bigint. Run: npx tsx scripts/bench/attribution.ts [batches]
 */
import type { Attribution } from '../../contract/attribution.js';
import type { Reading } from '../../contract/index.js';
import { attributeReadings } from '../../hub/ingest/attribute-readings.js';
import type { DeviceDirectory } from '../../hub/registry/registry.js';
import { resolveKnownPatients } from '../../hub/ingest/resolve-patients.js';
import { RoomSessionIndex } from '../../hub/rooms/room-session-index.js';
import { readingLine } from '../../hub/storage/reading-line.js';
import { exitOnHelp } from '../lib/cli-help.js';

exitOnHelp('npx tsx scripts/bench/attribution.ts [batches]: the cost of attributing readings (home, community room) and of the attribution field. Prints figures.');

const BATCHES = Number(process.argv[2] ?? 200_000);
const PER_BATCH = 10;
const T = Date.parse('2026-03-01T08:00:00Z');
const MIN = 60_000;

const batch: Reading[] = Array.from({ length: PER_BATCH }, (_, i) => ({
  id: `r-bench-${i}`,
  kind: 'blood_pressure',
  device: { id: 'sn-bench-cuff' },
  components: [
    { name: 'systolic', code: '8480-6', value: 120 + i, unit: 'mm[Hg]' },
    { name: 'diastolic', code: '8462-4', value: 80, unit: 'mm[Hg]' },
  ],
  measuredAt: new Date(T + 12 * 60 * MIN + i * 1000).toISOString(),
  receivedAt: new Date(T + 12 * 60 * MIN + i * 1000).toISOString(),
  timeSource: 'device',
  clockSuspect: false,
  late: false,
}));

const periods = [{ userIndex: null, patientId: 'p-home', validFrom: 0, validTo: null }];
const devices: DeviceDirectory = { resolvePatient: () => Promise.resolve('p-home'), knownAssignments: () => periods };
const rooms = new RoomSessionIndex();
// A busy room: a session every 15 minutes for a day, the reading in the middle of the day.
rooms.replace(['room-1'], Array.from({ length: 96 }, (_, i) => ({ id: `s${i}`, gatewayId: 'room-1', patientId: `p-${i}`, openedAt: T + i * 15 * MIN, endsAt: T + i * 15 * MIN + 10 * MIN })));

function time(label: string, fn: () => void): void {
  for (let i = 0; i < Math.min(20_000, BATCHES); i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < BATCHES; i++) fn();
  const ns = Number(process.hrtime.bigint() - start) / (BATCHES * PER_BATCH);
  console.log(`${label.padEnd(58)} ${ns.toFixed(1).padStart(7)} ns/reading  ${(1e9 / ns / 1e6).toFixed(2)} M readings/s`);
}

let sink = 0;
time('resolveKnownPatients (the existing assignment step)', () => {
  sink += resolveKnownPatients(devices, batch)?.length ?? 0;
});
time('attributeReadings, home gateway', () => {
  const patients = resolveKnownPatients(devices, batch)!;
  const out: (Attribution | undefined)[] = new Array<Attribution | undefined>(PER_BATCH);
  attributeReadings(devices, rooms, 'home-1', batch, patients, out);
  sink += out.length;
});
time('attributeReadings, room gateway with 96 sessions that day', () => {
  const patients = resolveKnownPatients(devices, batch)!;
  const out: (Attribution | undefined)[] = new Array<Attribution | undefined>(PER_BATCH);
  attributeReadings(devices, rooms, 'room-1', batch, patients, out);
  sink += out.length;
});
time('readingLine without attribution', () => {
  for (const reading of batch) sink += readingLine({ reading, gatewayId: 'home-1', patientId: 'p-home', implausible: false }).length;
});
time('readingLine with attribution', () => {
  for (const reading of batch) sink += readingLine({ reading, gatewayId: 'home-1', patientId: 'p-home', implausible: false, attribution: 'device_assignment' }).length;
});
if (sink < 0) console.log(sink);
