/**
 * `npm run demo`: a complete system on one machine. A managed influxd (project-local data directory,
 * unless INFLUX_URL is set), the hub with its API, and a simulated home whose cuff measures every few
 * seconds. Prints the API URL, a demo token and a curl command; Ctrl-C stops everything.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { startHubServer, type RunningHubServer } from '../bin/compose-hub.js';
import { SimulatedHome } from '../firmware-sim/home.js';
import { GatewayConfig } from '../gateway/config.js';
import { startGateway } from '../gateway/main.js';
import { parseHubEnv } from '../hub/config.js';
import { openRegistry } from '../hub/registry/open-registry.js';
import { RegistryError } from '../hub/registry/registry-admin.js';
import type { SqlRegistry } from '../hub/registry/sql-registry.js';
import { RoomSessions } from '../hub/rooms/room-sessions.js';
import { startInfluxd, type ManagedInfluxd } from './lib/influxd.js';
import { exitOnHelp } from './lib/cli-help.js';

exitOnHelp('npm run demo: a managed influxd, the hub with its API and a simulated home on one machine.');

const DATA = resolve(process.env.RPM_DEMO_DIR ?? 'data/demo');
const GATEWAY_ID = 'demo-home-1';
/** A community room: its own box and shared devices (nobody's until a resident is checked in). */
const ROOM_ID = 'demo-room-1';
const ROOM_RESIDENT_ID = 'p-demo-2';
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

/** Creates what the demo needs unless it exists from an earlier run; what exists already is kept. */
async function ensure(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!(err instanceof RegistryError && err.code === 'duplicate')) throw err;
  }
}

/**
 * The demo's registry in SQL (PGlite under data/demo/hub/sql/), made with the same operations as
 * `rpm-hub admin`. Fresh credentials at every start: the gateway gets a new secret, the clinician a
 * new token; none are stored in clear or reused.
 */
async function prepareRegistry(registry: SqlRegistry, deviceIds: readonly string[]): Promise<{ gatewaySecret: string; token: string; roomSecret: string; staffToken: string }> {
  await ensure(() => registry.createCareTeam({ id: TEAM_ID, displayName: 'Demo care team' }));
  await ensure(() => registry.createPatient({ id: PATIENT_ID, careTeamId: TEAM_ID, displayName: 'Demo resident', conditionGroups: ['hypertension'], timeZone: TIME_ZONE }));
  await ensure(() => registry.createUser({ id: 'demo-clinician', displayName: 'Demo clinician', role: 'clinician', careTeamIds: [TEAM_ID] }));
  for (const deviceId of deviceIds) await registry.assignDevice({ deviceId, patientId: PATIENT_ID, from: '2020-01-01T00:00:00Z' }); // no-op when so already
  const known = (await registry.listGateways()).some((g) => g.id === GATEWAY_ID);
  const gateway = known ? await registry.rotateGatewaySecret(GATEWAY_ID) : await registry.createGateway({ id: GATEWAY_ID });
  const { token } = await registry.createToken({ userId: 'demo-clinician', expiresInSeconds: 7 * 86400 });
  // The community room: a second resident, a health assistant (carer) who runs the room, its box.
  await ensure(() => registry.createPatient({ id: ROOM_RESIDENT_ID, careTeamId: TEAM_ID, displayName: 'Demo room resident', conditionGroups: ['copd'], timeZone: TIME_ZONE }));
  await ensure(() => registry.createUser({ id: 'demo-assistant', displayName: 'Demo health assistant', role: 'carer', careTeamIds: [TEAM_ID] }));
  const roomKnown = (await registry.listGateways()).some((g) => g.id === ROOM_ID);
  const room = roomKnown ? await registry.rotateGatewaySecret(ROOM_ID) : await registry.createGateway({ id: ROOM_ID });
  await new RoomSessions(registry.db).createRoom({ gatewayId: ROOM_ID, displayName: 'Demo community room' });
  const staff = await registry.createToken({ userId: 'demo-assistant', expiresInSeconds: 7 * 86400 });
  return { gatewaySecret: gateway.secret, token, roomSecret: room.secret, staffToken: staff.token };
}

async function runDemo(influxUrl: string, influxd: ManagedInfluxd | undefined, log: pino.Logger): Promise<void> {
  const home = new SimulatedHome({ timeZone: TIME_ZONE, seed: 1, measureEveryMs: Number(process.env.DEMO_MEASURE_EVERY_S ?? 5) * 1000 });
  const env = parseHubEnv({
    ...process.env,
    // Always the embedded database: the demo must never write its resident into a real DATABASE_URL.
    DATABASE_URL: undefined,
    RPM_SQL: 'pglite',
    INFLUX_URL: influxUrl,
    INFLUX_DATABASE: process.env.INFLUX_DATABASE ?? 'rpm_demo',
    RPM_DATA_DIR: join(DATA, 'hub'),
    MQTT_HOST: process.env.MQTT_HOST ?? '127.0.0.1',
    MQTT_PORT: process.env.MQTT_PORT ?? '1883',
    API_HOST: process.env.API_HOST ?? '127.0.0.1',
    API_PORT: process.env.API_PORT ?? '8080',
  });
  if (!env.ok) throw new Error(env.message);
  const firstRun = !existsSync(join(DATA, 'hub', 'sql', 'pgdata'));
  if (firstRun) process.stdout.write('Creating the embedded registry database (first run only, about 10 s) ...\n');
  const opened = await openRegistry({ backend: 'pglite', dataDir: env.config.RPM_DATA_DIR }, log);
  let server: RunningHubServer;
  let credentials: Awaited<ReturnType<typeof prepareRegistry>>;
  try {
    credentials = await prepareRegistry(opened.registry, home.deviceIds);
    server = await startHubServer(env.config, opened.registry, log);
  } catch (err) {
    await opened.close();
    throw err;
  }
  const { gatewaySecret, token, roomSecret, staffToken } = credentials;

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
  // The room's shared devices measure every 20 s; who measured is decided by check-in sessions.
  const roomDevices = new SimulatedHome({ timeZone: TIME_ZONE, seed: 2, measureEveryMs: 20_000 });
  const roomGateway = await startGateway(
    GatewayConfig.parse({ ...gatewayConfig, gatewayId: ROOM_ID, secret: roomSecret, dataDir: join(DATA, 'room-gateway'), devices: roomDevices.deviceAddresses.map((address) => ({ address })) }),
    roomDevices.adapter,
    log,
  );
  roomDevices.start();

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

The care team's worklist and the alerts the engine raised (thresholds, NEWS2, missing readings):

  curl -s -H 'Authorization: Bearer ${token}' '${api}/api/v1/patients'
  curl -s -H 'Authorization: Bearer ${token}' '${api}/api/v1/alerts?state=open'

API documentation: ${api}/docs

The community room ${ROOM_ID}: its shared devices measure every 20 s and wait in the unassigned
inbox until the health assistant checks a resident in (15 minutes), then belong to that resident;
entered respiration, consciousness and oxygen complete NEWS2 (docs/community-room.md):

  curl -s -X POST -H 'Authorization: Bearer ${staffToken}' -H 'content-type: application/json' \\
    -d '{"patientId":"${ROOM_RESIDENT_ID}","minutes":15}' '${api}/api/v1/rooms/${ROOM_ID}/sessions'
  curl -s -X POST -H 'Authorization: Bearer ${staffToken}' -H 'content-type: application/json' \\
    -d '{"observedAt":"'$(date -u +%FT%TZ)'","respiratoryRate":25,"consciousness":"V","supplementalOxygen":{"onOxygen":true}}' \\
    '${api}/api/v1/patients/${ROOM_RESIDENT_ID}/observations'

Manage the registry while it runs (patients, devices, users, tokens; see docs/registry.md):

  RPM_DATA_DIR=${env.config.RPM_DATA_DIR} npx rpm-hub admin patient list

Press Ctrl-C to stop.
`);

  // A second signal waits for the same stop rather than exiting half-way (the registry must close).
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopAll());
  const stopAll = async () => {
    process.stdout.write('\nstopping ...\n');
    home.stop();
    roomDevices.stop();
    await gateway.stop();
    await roomGateway.stop();
    await server.close();
    await opened.close();
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
