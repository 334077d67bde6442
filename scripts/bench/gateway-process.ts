/**
 * A gateway process for scripts/bench/gateway.ts: a real gateway (outbox with fsync, MQTT link) over
 * BENCH_DEVICES simulated devices (cuffs, thermometers, scales, glucose meters, oximeters in turn) that
 * measure only after SIGUSR2, each every BENCH_MEASURE_EVERY_MS. Prints `ready`, then `stored <n>` each second.
 */
import { pino } from 'pino';
import { SimBloodPressureCuff } from '../../firmware-sim/devices/blood-pressure-cuff.js';
import { SimGlucoseMeter } from '../../firmware-sim/devices/glucose-meter.js';
import { SimPulseOximeter } from '../../firmware-sim/devices/pulse-oximeter.js';
import type { SimDevice } from '../../firmware-sim/devices/sim-device.js';
import { SimThermometer } from '../../firmware-sim/devices/thermometer.js';
import { SimWeightScale } from '../../firmware-sim/devices/weight-scale.js';
import { SimulatedBleAdapter } from '../../firmware-sim/sim-adapter.js';
import { GatewayConfig } from '../../gateway/config.js';
import { startGateway } from '../../gateway/main.js';

const env = process.env;
const TZ = 'Europe/Copenhagen';
const count = Number(env.BENCH_DEVICES ?? 10);
const devices: SimDevice[] = [];
for (let i = 0; i < count; i++) {
  const common = { address: `c0:ff:ee:b0:00:${i.toString(16).padStart(2, '0')}`, serial: `BENCH-${i}`, timeZone: TZ };
  const kind = i % 5;
  devices.push(
    kind === 0 ? new SimBloodPressureCuff(common) : kind === 1 ? new SimThermometer(common) : kind === 2 ? new SimWeightScale(common) : kind === 3 ? new SimGlucoseMeter(common) : new SimPulseOximeter(common),
  );
}
const config = GatewayConfig.parse({
  gatewayId: 'bench-home',
  secret: 'bench-secret-0123456789',
  hubUrl: env.RPM_HUB_URL,
  dataDir: env.RPM_GATEWAY_DATA_DIR,
  timeZone: TZ,
  devices: devices.map((d) => ({ address: d.address })),
  cooldownMs: 0,
  sessionIdleTimeoutMs: 500,
});
// The simulated radio reports advertisements every 200 ms, like a scan window.
const gateway = await startGateway(config, new SimulatedBleAdapter(devices), pino({ level: 'silent' }));
let stored = 0;
gateway.runtime.onStored((r) => (stored += r.length));
setInterval(() => process.stdout.write(`stored ${stored}\n`), 1000).unref();

let timer: NodeJS.Timeout | undefined;
process.on('SIGUSR2', () => {
  let n = 0;
  timer = setInterval(() => {
    const d = devices[n++ % devices.length]!;
    const at = new Date();
    if (d instanceof SimBloodPressureCuff) d.measure({ systolic: 130, diastolic: 82, pulseRate: 70 }, at);
    else if (d instanceof SimThermometer) d.measure(36.8, at);
    else if (d instanceof SimWeightScale) d.measure(74, 1, at);
    else if (d instanceof SimGlucoseMeter) d.measure(105, at);
    else if (d instanceof SimPulseOximeter) d.measure(96, 70, at);
  }, Number(env.BENCH_MEASURE_EVERY_MS ?? 2000) / devices.length);
});
process.on('SIGTERM', () => {
  clearInterval(timer);
  void gateway.stop().then(() => process.exit(0));
});
process.stdout.write('ready\n');
