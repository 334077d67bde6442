#!/usr/bin/env node
/** rpm-sim: simulated homes (devices + gateway) that talk to a real hub, for demos and load tests. */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { SimulatedHome } from '../firmware-sim/home.js';
import { GatewayConfig } from '../gateway/config.js';
import { startGateway } from '../gateway/main.js';
import { fail, stopOnSignals } from './cli-support.js';
import { fleetGatewayId, startFleet } from '../firmware-sim/fleet/fleet.js';

const HELP = `rpm-sim — simulated homes for demos and tests

Usage:
  rpm-sim home --hub URL --gateway-id ID --secret SECRET [--every SECONDS] [--seed N] [--data-dir DIR]
  rpm-sim fleet --hub HOST:PORT --gateways N --secret SECRET [--prefix fleet] [--connect-per-s 1000]
                [--local-addresses 1] [--reading-every-s 28800] [--heartbeat-s 60] [--duration-s 0]
  rpm-sim --help

  home      one resident's home: a simulated blood pressure cuff measuring every SECONDS (default 5)
            behind a real gateway (outbox, MQTT) connected to the hub at URL (mqtt://host:port)
  fleet     N lean simulated gateways (ids PREFIX-00001 …, all with SECRET, as registered on the hub)
            with realistic schedules: a reading every --reading-every-s (default 8 h) and a status
            heartbeat every --heartbeat-s, at random phases; QoS 1 readings kept until PUBACK and
            resent after reconnects (jittered backoff). --local-addresses K spreads the sockets over
            127.0.0.1-K when one address runs out of ports. Prints counters every 5 s (JSON lines);
            runs until --duration-s (0 = until stopped).
`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      hub: { type: 'string' },
      'gateway-id': { type: 'string' },
      secret: { type: 'string' },
      every: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string' },
      'time-zone': { type: 'string', default: 'Europe/Copenhagen' },
      gateways: { type: 'string' },
      prefix: { type: 'string', default: 'fleet' },
      'connect-per-s': { type: 'string', default: '1000' },
      'local-addresses': { type: 'string', default: '1' },
      'reading-every-s': { type: 'string', default: '28800' },
      'heartbeat-s': { type: 'string', default: '60' },
      'duration-s': { type: 'string', default: '0' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return;
  }
  if (positionals[0] === 'fleet') return runFleet(values);
  if (positionals[0] !== 'home') fail(`unknown command "${positionals[0]}"\n\n${HELP}`);
  const parsed = GatewayConfig.safeParse({
    gatewayId: values['gateway-id'],
    secret: values.secret ?? process.env.RPM_GATEWAY_SECRET,
    hubUrl: values.hub,
    dataDir: values['data-dir'] ?? `./data/sim/${values['gateway-id'] ?? 'home'}`,
    timeZone: values['time-zone'],
    cooldownMs: 0,
    sessionIdleTimeoutMs: 1000,
  });
  if (!parsed.success) fail(`rpm-sim: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const home = new SimulatedHome({ timeZone: parsed.data.timeZone, seed: Number(values.seed), measureEveryMs: Number(values.every) * 1000 });
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { part: 'sim' } });
  const gateway = await startGateway({ ...parsed.data, devices: home.deviceAddresses.map((address) => ({ address })) }, home.adapter, log);
  home.start();
  log.info({ devices: home.deviceIds }, 'simulated home running');
  stopOnSignals(async () => {
    home.stop();
    await gateway.stop();
  }, log);
}

function runFleet(values: Record<string, string | boolean | undefined>): void {
  const num = (name: string): number => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < 0) fail(`rpm-sim fleet: --${name} must be a number`);
    return n;
  };
  const hub = /^([^:]+):(\d+)$/.exec(String(values.hub ?? '').replace(/^mqtt:\/\//, ''));
  if (!hub) fail('rpm-sim fleet: --hub HOST:PORT is required');
  const count = num('gateways');
  if (!count) fail('rpm-sim fleet: --gateways N is required');
  const secret = (values.secret as string | undefined) ?? process.env.RPM_GATEWAY_SECRET;
  if (!secret) fail('rpm-sim fleet: --secret (or RPM_GATEWAY_SECRET) is required');
  const prefix = String(values.prefix);
  const fleet = startFleet({
    host: hub[1]!,
    port: Number(hub[2]),
    gateways: Array.from({ length: count }, (_, i) => ({ id: fleetGatewayId(prefix, i), secret })),
    connectPerS: num('connect-per-s'),
    localAddresses: num('local-addresses'),
    readingEveryMs: num('reading-every-s') * 1000,
    heartbeatMs: num('heartbeat-s') * 1000,
  });
  const report = setInterval(() => process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), ...fleet.counters, unacknowledged: fleet.unacknowledged() })}\n`), 5000);
  const end = () => {
    clearInterval(report);
    fleet.stop();
    process.stdout.write(`${JSON.stringify({ final: true, ...fleet.counters, unacknowledged: fleet.unacknowledged() })}\n`);
    setTimeout(() => process.exit(0), 500).unref();
  };
  const duration = num('duration-s');
  if (duration > 0) setTimeout(end, duration * 1000);
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
}

main().catch((err: Error) => fail(`rpm-sim: ${err.message}`));
