/**
 * `npm run demo`: a complete system on one machine. A managed influxd (project-local data directory,
 * unless INFLUX_URL is set), the hub with its API, and a simulated home whose cuff measures every few
 * seconds. Prints the API URL, a demo token and a curl command; Ctrl-C stops everything.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { startHubServer } from '../bin/compose-hub.js';
import { SimulatedHome } from '../firmware-sim/home.js';
import { GatewayConfig } from '../gateway/config.js';
import { startGateway } from '../gateway/main.js';
import { parseHubEnv } from '../hub/config.js';
import { MemoryRegistry, type RegistrySeed } from '../hub/registry/memory-registry.js';
import { hashSecret, hashToken, newSecret } from '../hub/registry/secrets.js';
import { startInfluxd, type ManagedInfluxd } from './lib/influxd.js';

const DATA = resolve(process.env.RPM_DEMO_DIR ?? 'data/demo');
const GATEWAY_ID = 'demo-home-1';
const PATIENT_ID = 'p-demo-1';
const TEAM_ID = 'team-demo';
const TIME_ZONE = 'Europe/Copenhagen';

async function main(): Promise<void> {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  let influxd: ManagedInfluxd | undefined;
  let influxUrl = process.env.INFLUX_URL;
  if (!influxUrl) {
    influxd = await startInfluxd({ dataDir: join(DATA, 'influxdb') });
    influxUrl = influxd.url;
  }

  try {
    await runDemo(influxUrl, influxd, log);
  } catch (err) {
    await influxd?.stop();
    throw err;
  }
}

async function runDemo(influxUrl: string, influxd: ManagedInfluxd | undefined, log: pino.Logger): Promise<void> {
  const home = new SimulatedHome({ timeZone: TIME_ZONE, seed: 1, measureEveryMs: Number(process.env.DEMO_MEASURE_EVERY_S ?? 5) * 1000 });
  // Fresh credentials at every start: none are stored in the repository or reused.
  const gatewaySecret = newSecret('gw');
  const token = newSecret('tok');
  const seed: RegistrySeed = {
    gateways: [{ id: GATEWAY_ID, secretHash: await hashSecret(gatewaySecret) }],
    patients: [{ id: PATIENT_ID, careTeamId: TEAM_ID, displayName: 'Demo resident' }],
    assignments: home.deviceIds.map((deviceId) => ({ deviceId, patientId: PATIENT_ID, from: '2020-01-01T00:00:00Z' })),
    tokens: [{ tokenHash: hashToken(token), userId: 'demo-clinician', role: 'clinician', careTeamIds: [TEAM_ID] }],
  };
  await mkdir(DATA, { recursive: true });
  // Hashes only: the registry file holds no usable secret.
  await writeFile(join(DATA, 'registry.json'), JSON.stringify(seed, null, 2));

  const env = parseHubEnv({
    ...process.env,
    INFLUX_URL: influxUrl,
    INFLUX_DATABASE: process.env.INFLUX_DATABASE ?? 'rpm_demo',
    RPM_DATA_DIR: join(DATA, 'hub'),
    MQTT_HOST: process.env.MQTT_HOST ?? '127.0.0.1',
    MQTT_PORT: process.env.MQTT_PORT ?? '1883',
    API_HOST: process.env.API_HOST ?? '127.0.0.1',
    API_PORT: process.env.API_PORT ?? '8080',
  });
  if (!env.ok) throw new Error(env.message);
  const server = await startHubServer(env.config, new MemoryRegistry(seed), log);

  const gatewayConfig = GatewayConfig.parse({
    gatewayId: GATEWAY_ID,
    secret: gatewaySecret,
    hubUrl: `mqtt://127.0.0.1:${server.hub.mqttPort}`,
    dataDir: join(DATA, 'gateway'),
    timeZone: TIME_ZONE,
    devices: home.deviceAddresses.map((address) => ({ address })),
    cooldownMs: 0,
    sessionIdleTimeoutMs: 1000,
    heartbeatS: 30,
  });
  const gateway = await startGateway(gatewayConfig, home.adapter, log);
  home.start();

  const api = server.api.url;
  process.stdout.write(`
RPM hub demo is running.

  API           ${api}/api/v1
  MQTT broker   mqtt://127.0.0.1:${server.hub.mqttPort}
  InfluxDB      ${influxUrl}${influxd ? ` (managed, data in ${join(DATA, 'influxdb')})` : ''}
  Demo token    ${token}

A simulated blood pressure cuff in ${GATEWAY_ID} measures every ${process.env.DEMO_MEASURE_EVERY_S ?? 5} s.
The latest readings:

  curl -s -H 'Authorization: Bearer ${token}' '${api}/api/v1/patients/${PATIENT_ID}/readings?kind=blood_pressure&order=desc&limit=5'

Press Ctrl-C to stop.
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping ...\n');
    home.stop();
    await gateway.stop();
    await server.close();
    await influxd?.stop();
    process.stdout.write('stopped.\n');
  };
  process.on('SIGINT', () => void stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => void stop().then(() => process.exit(0)));
}

main().catch((err: Error) => {
  process.stderr.write(`demo failed: ${err.message}\n`);
  process.exit(1);
});
