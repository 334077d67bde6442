/**
 * A whole gateway in a child process, for the kill -9 test and the benchmark: real outbox on disk, real
 * MQTT link, a simulated home (cuff, thermometer, glucose meter) measuring every CHILD_MEASURE_EVERY_MS.
 * Writes `pending <id>` before each outbox append and `stored <id>` once it resolved to CHILD_LOG_FILE,
 * synchronously (written pages survive SIGKILL, unlike a pipe that may hold output back), so the parent
 * knows which readings the gateway took responsibility for, whenever it is killed.
 *
 * Environment: RPM_GATEWAY_ID, RPM_GATEWAY_SECRET, RPM_HUB_URL, RPM_GATEWAY_DATA_DIR, and
 *   CHILD_MEASURE_EVERY_MS (default 50), CHILD_ROUNDS (0 = forever), CHILD_FIRST_SEQUENCE (glucose, default 1),
 *   CHILD_TIME_BASE_MS (measurement time of round 0), CHILD_DEVICES (simulated devices, default 3),
 *   CHILD_REPLAY_RATE (readings/s, default 200), CHILD_BATCH_SIZE (default 100),
 *   CHILD_LOG_FILE (required).
 */
import { openSync, writeSync } from 'node:fs';
import { pino } from 'pino';
import type { Reading } from '../../contract/index.js';
import { SimBloodPressureCuff } from '../../firmware-sim/devices/blood-pressure-cuff.js';
import { SimGlucoseMeter } from '../../firmware-sim/devices/glucose-meter.js';
import type { SimDevice } from '../../firmware-sim/devices/sim-device.js';
import { SimThermometer } from '../../firmware-sim/devices/thermometer.js';
import { SimulatedBleAdapter } from '../../firmware-sim/sim-adapter.js';
import { GatewayConfig } from '../../gateway/config.js';
import { startGateway } from '../../gateway/main.js';
import { FileOutbox } from '../../gateway/outbox/outbox.js';

const env = process.env;
const TZ = 'Europe/Copenhagen';
if (!env.CHILD_LOG_FILE) throw new Error('CHILD_LOG_FILE is required');
const log = openSync(env.CHILD_LOG_FILE, 'a');
const print = (what: string, readings: readonly Reading[]) => writeSync(log, readings.map((r) => `${what} ${r.id}\n`).join(''));

// Wrap the outbox so the parent hears of each append before and after it is durable.
const append: (this: FileOutbox, readings: readonly Reading[]) => Promise<void> = Reflect.get(FileOutbox.prototype, 'append');
FileOutbox.prototype.append = async function (this: FileOutbox, readings: readonly Reading[]) {
  print('pending', readings);
  await append.call(this, readings);
  print('stored', readings);
};

const count = Number(env.CHILD_DEVICES ?? 3);
const devices: SimDevice[] = [];
for (let i = 0; i < count; i++) {
  const hex = i.toString(16).padStart(2, '0');
  const common = { address: `c0:ff:ee:7${i % 3}:00:${hex}`, timeZone: TZ };
  if (i % 3 === 0) devices.push(new SimBloodPressureCuff({ ...common, serial: i === 0 ? 'BPC-0001' : `BPC-7${hex}` }));
  if (i % 3 === 1) devices.push(new SimThermometer({ ...common, serial: `THM-7${hex}` }));
  if (i % 3 === 2) devices.push(new SimGlucoseMeter({ ...common, serial: `GLM-7${hex}`, firstSequence: Number(env.CHILD_FIRST_SEQUENCE ?? 1) }));
}
const config = GatewayConfig.parse({
  gatewayId: env.RPM_GATEWAY_ID,
  secret: env.RPM_GATEWAY_SECRET,
  hubUrl: env.RPM_HUB_URL,
  dataDir: env.RPM_GATEWAY_DATA_DIR,
  timeZone: TZ,
  devices: devices.map((d) => ({ address: d.address })),
  cooldownMs: 0,
  sessionIdleTimeoutMs: 300,
  heartbeatS: 5,
  maxConnections: Math.min(8, Math.max(2, count)),
  // A slow replay keeps a backlog in the outbox, so a kill lands mid-publish.
  replayRatePerS: Number(env.CHILD_REPLAY_RATE ?? 200),
  batchSize: Number(env.CHILD_BATCH_SIZE ?? 100),
});
const gateway = await startGateway(config, new SimulatedBleAdapter(devices, { advertiseEveryMs: 25 }), pino({ level: env.CHILD_LOG_LEVEL ?? 'silent' }));

const every = Number(env.CHILD_MEASURE_EVERY_MS ?? 50);
const rounds = Number(env.CHILD_ROUNDS ?? 0);
const base = Number(env.CHILD_TIME_BASE_MS ?? Date.now() - 86_400_000);
let round = 0;
const timer =
  every > 0
    ? setInterval(() => {
        // Distinct whole-second measurement times, so no two measurements share a device time stamp.
        const at = new Date(base + round * 1000);
        for (const d of devices) {
          if (d instanceof SimBloodPressureCuff) d.measure({ systolic: 120 + (round % 40), diastolic: 80, pulseRate: 60 + (round % 30) }, at);
          else if (d instanceof SimThermometer) d.measure(36 + (round % 20) / 10, at);
          else if (d instanceof SimGlucoseMeter) d.measure(90 + (round % 50), at);
        }
        round++;
        if (rounds > 0 && round >= rounds) {
          clearInterval(timer);
          writeSync(log, 'done measuring\n');
        }
      }, every)
    : undefined;

const stop = () => {
  clearInterval(timer);
  gateway.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write('started\n');
