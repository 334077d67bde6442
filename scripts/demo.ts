/**
 * `npm run demo`: a complete system on one machine. A managed influxd (project-local data directory,
 * unless INFLUX_URL is set), the hub with its API and web application, three simulated homes and a
 * community room (scripts/demo-residents.ts) whose devices measure every few seconds, each behind its
 * own gateway: residents with hypertension, COPD, heart failure and diabetes, one of whom deteriorates
 * within the first minute. Prints sign-in links for a clinician and a carer; Ctrl-C stops everything.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { startHubServer, type RunningHubServer } from '../bin/compose-hub.js';
import { defaultWebRoot } from '../dashboard-api/web-app.js';
import { SimulatedHome } from '../firmware-sim/home.js';
import { GatewayConfig } from '../gateway/config.js';
import { startGateway } from '../gateway/main.js';
import { parseHubEnv } from '../hub/config.js';
import { openRegistry } from '../hub/registry/open-registry.js';
import { RegistryError } from '../hub/registry/registry-admin.js';
import type { SqlRegistry } from '../hub/registry/sql-registry.js';
import { formatCode } from '../hub/rooms/checkin-code.js';
import { KioskAccess } from '../hub/rooms/kiosk.js';
import { RoomSessions } from '../hub/rooms/room-sessions.js';
import { demoHomes, historyTimes, roomUsers, type DemoHome } from './demo-residents.js';
import { startInfluxd, type ManagedInfluxd } from './lib/influxd.js';
import { exitOnHelp } from './lib/cli-help.js';

exitOnHelp('npm run demo: a managed influxd, the hub with its API and web application, three simulated homes and a community room on one machine.');

const DATA = resolve(process.env.RPM_DEMO_DIR ?? 'data/demo');
const TEAM_ID = 'team-demo';
/** Sign-in tokens last a working day; the demo makes new ones at every start. */
const TOKEN_SECONDS = 12 * 3600;
const USERS = [
  { id: 'demo-clinician', displayName: 'Demo clinician', role: 'clinician' },
  { id: 'demo-carer', displayName: 'Demo carer', role: 'carer' },
  { id: 'demo-admin', displayName: 'Demo administrator', role: 'admin' },
  // The community room's health assistant (Danish social- og sundhedsassistent): checks residents in.
  { id: 'demo-room-staff', displayName: 'Demo health assistant', role: 'carer' },
] as const;
/** The room resident whose check-in the demo prints a kiosk card for. */
const KIOSK_RESIDENT = 'p-demo-7';
type DemoUser = (typeof USERS)[number]['id'];

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
 * `rpm-hub admin`. Fresh credentials at every start: each gateway gets a new secret, each user a
 * new token; none are stored in clear or reused.
 */
async function prepareRegistry(
  registry: SqlRegistry,
  homes: readonly { home: DemoHome; sim: SimulatedHome }[],
): Promise<{ gatewaySecrets: Map<string, string>; tokens: Record<DemoUser, string>; kiosk?: { path: string; code: string } }> {
  await ensure(() => registry.createCareTeam({ id: TEAM_ID, displayName: 'Demo care team' }));
  const gatewaySecrets = new Map<string, string>();
  const knownGateways = new Set((await registry.listGateways()).map((g) => g.id));
  for (const { home, sim } of homes) {
    const kinds = [...sim.devices.keys()];
    for (const resident of home.residents) {
      await ensure(() =>
        registry.createPatient({ id: resident.patientId, careTeamId: TEAM_ID, displayName: resident.displayName, conditionGroups: [...resident.conditionGroups], timeZone: home.timeZone }),
      );
      for (const kind of resident.devices) {
        const deviceId = sim.deviceIds[kinds.indexOf(kind)];
        if (deviceId === undefined) throw new Error(`demo: ${home.gatewayId} has no ${kind}`);
        const userIndex = resident.userIndex;
        // no-op when so already
        await registry.assignDevice({ deviceId, patientId: resident.patientId, ...(userIndex !== undefined && { userIndex }), from: '2020-01-01T00:00:00Z' });
      }
    }
    const gateway = knownGateways.has(home.gatewayId) ? await registry.rotateGatewaySecret(home.gatewayId) : await registry.createGateway({ id: home.gatewayId });
    gatewaySecrets.set(home.gatewayId, gateway.secret);
    // A room's box is marked as one: staff can check a resident in for its shared devices
    // (docs/community-room.md); residents with their own user slot keep it.
    if (roomUsers(home)) await new RoomSessions(registry.db).createRoom({ gatewayId: home.gatewayId, displayName: 'Demo community room' });
  }
  const room = homes.find(({ home }) => roomUsers(home))?.home;
  const kiosk = room && (await prepareKiosk(registry, room.gatewayId));
  const tokens = {} as Record<DemoUser, string>;
  for (const user of USERS) {
    await ensure(() => registry.createUser({ id: user.id, displayName: user.displayName, role: user.role, careTeamIds: [TEAM_ID] }));
    tokens[user.id] = (await registry.createToken({ userId: user.id, expiresInSeconds: TOKEN_SECONDS })).token;
  }
  return { gatewaySecrets, tokens, ...(kiosk && { kiosk }) };
}

/**
 * The room's kiosk: a fresh kiosk link at every start (earlier ones revoked: their tokens were
 * printed in an old terminal) and a fresh card code for the resident who checks in there.
 */
async function prepareKiosk(registry: SqlRegistry, gatewayId: string): Promise<{ path: string; code: string }> {
  const access = new KioskAccess(registry.db);
  for (const old of await access.listLinks(gatewayId)) if (!old.revokedAt) await access.revokeLink({ gatewayId, linkId: old.id, revokedBy: 'demo-admin' });
  const link = await access.createLink({ gatewayId, label: 'demo kiosk', sessionMinutes: 10, createdBy: 'demo-admin' });
  const { code } = await access.issueCode({ patientId: KIOSK_RESIDENT, createdBy: 'demo-room-staff' });
  return { path: `/app/kiosk/${link.token}`, code: formatCode(code) };
}

async function runDemo(influxUrl: string, influxd: ManagedInfluxd | undefined, log: pino.Logger): Promise<void> {
  const startedAt = new Date();
  const measureEveryS = Number(process.env.DEMO_MEASURE_EVERY_S ?? 5);
  const homes = demoHomes(startedAt).map((home) => {
    const devices = [...new Set([...home.residents.flatMap((r) => r.devices), ...(home.sharedDevices ?? [])])];
    const slots = roomUsers(home);
    const users = slots && (home.guestUserIndex !== undefined ? [...slots, home.guestUserIndex] : slots);
    return {
      home,
      sim: new SimulatedHome({ timeZone: home.timeZone, seed: home.seed, measureEveryMs: measureEveryS * 1000, devices, vitals: home.vitals, ...(users && { users }) }),
    };
  });
  const env = parseHubEnv({
    ...process.env,
    // Always the embedded database: the demo must never write its residents into a real DATABASE_URL.
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
    credentials = await prepareRegistry(opened.registry, homes);
    server = await startHubServer(env.config, opened.registry, log);
  } catch (err) {
    await opened.close();
    throw err;
  }
  const { gatewaySecrets, tokens, kiosk } = credentials;

  // A week of morning and evening readings in the devices' memories: the gateways collect them at
  // their first connection, as from a resident who has measured all along.
  const history = historyTimes(startedAt, 7);
  for (const { sim } of homes) for (const at of history) sim.measureNow(at);

  const gateways: Awaited<ReturnType<typeof startGateway>>[] = [];
  for (const { home, sim } of homes) {
    const gatewayConfig = GatewayConfig.parse({
      gatewayId: home.gatewayId,
      secret: gatewaySecrets.get(home.gatewayId),
      hubUrl: `mqtt://127.0.0.1:${server.hub.mqttPort}`,
      dataDir: join(DATA, 'gateways', home.gatewayId),
      timeZone: home.timeZone,
      devices: sim.deviceAddresses.map((address) => ({ address })),
      cooldownMs: 0,
      sessionIdleTimeoutMs: 1000,
      heartbeatS: 30,
    });
    gateways.push(await startGateway(gatewayConfig, sim.adapter, log));
    sim.start();
  }

  const api = server.api.url;
  const signIn = (user: DemoUser) => `${api}/app/#signin=${tokens[user]}`;
  const webBuilt = existsSync(join(process.env.API_WEB_ROOT ?? defaultWebRoot(), 'index.html'));
  const residents = homes
    .flatMap(({ home }) =>
      home.residents.map((r) => {
        const devices =
          r.devices.length === 0 && home.guestUserIndex !== undefined
            ? `checks in (user ${home.guestUserIndex}, ${(home.sharedDevices ?? []).join(' + ')})`
            : r.userIndex === undefined
              ? r.devices.join(' + ')
              : `${r.devices.join(' + ')} (user ${r.userIndex})`;
        return `  ${r.displayName.padEnd(18)} ${r.conditionGroups.join(', ').padEnd(14)} ${devices.padEnd(24)} ${home.gatewayId} (${home.timeZone})`;
      }),
    )
    .join('\n');
  process.stdout.write(`
RPM hub demo is running.

Open the care team's web application (the link signs you in; it is valid for 12 hours):

  Clinician     ${signIn('demo-clinician')}
  Carer         ${signIn('demo-carer')}
  Room staff    ${api}/app/rooms/demo-room-1#signin=${tokens['demo-room-staff']}
${kiosk ? `  Room kiosk    ${api}${kiosk.path}   (no sign-in; Holm, Else's card code: ${kiosk.code})\n` : ''}${webBuilt ? '' : `\n  (The web application is not built here, so /app/ answers 404: run npm run build:web.)\n`}
Residents, measuring every ${measureEveryS} s (a week of earlier readings comes in at the start):

${residents}

Nielsen, Poul (COPD) is getting a chest infection: within a minute SpO2 falls, pulse and temperature
rise, NEWS2 reaches high risk and an urgent alert arrives in the inbox.

Holm, Else (COPD) uses the community room's guest slot and its shared oximeter and thermometer: check
her in on the room staff page (or at the kiosk with her card code), let the devices measure, enter
respiration 25, consciousness V and oxygen yes: NEWS2 is complete and her alert reaches the worklist.
While nobody is checked in those readings wait in the unassigned inbox, as they should.

  API           ${api}/api/v1   (documentation: ${api}/docs)
  MQTT broker   mqtt://127.0.0.1:${server.hub.mqttPort}
  InfluxDB      ${influxUrl}${influxd ? ` (managed, data in ${join(DATA, 'influxdb')})` : ''}

The same from the command line (admin token; the clinician's and carer's work the same way):

  curl -s -H 'Authorization: Bearer ${tokens['demo-admin']}' '${api}/api/v1/patients'
  curl -s -H 'Authorization: Bearer ${tokens['demo-admin']}' '${api}/api/v1/alerts?state=open'
  curl -s -H 'Authorization: Bearer ${tokens['demo-admin']}' '${api}/api/v1/patients/p-demo-1/readings?kind=blood_pressure&order=desc&limit=5'

Manage the registry while it runs (patients, devices, users, tokens; see docs/registry.md):

  RPM_DATA_DIR=${env.config.RPM_DATA_DIR} npx rpm-hub admin patient list

Press Ctrl-C to stop.
`);

  // A second signal waits for the same stop rather than exiting half-way (the registry must close).
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopAll());
  const stopAll = async () => {
    process.stdout.write('\nstopping ...\n');
    for (const { sim } of homes) sim.stop();
    for (const gateway of gateways) await gateway.stop();
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
