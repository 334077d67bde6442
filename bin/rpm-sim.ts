#!/usr/bin/env node
/** rpm-sim: simulated homes (devices + gateway) that talk to a real hub, for demos and load tests. */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { SimulatedHome } from '../firmware-sim/home.js';
import { GatewayConfig } from '../gateway/config.js';
import { startGateway } from '../gateway/main.js';
import { fail, stopOnSignals } from './cli-support.js';

const HELP = `rpm-sim — simulated homes for demos and tests

Usage:
  rpm-sim home --hub URL --gateway-id ID --secret SECRET [--every SECONDS] [--seed N] [--data-dir DIR]
  rpm-sim --help

  home      one resident's home: a simulated blood pressure cuff measuring every SECONDS (default 5)
            behind a real gateway (outbox, MQTT) connected to the hub at URL (mqtt://host:port)
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
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return;
  }
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

main().catch((err: Error) => fail(`rpm-sim: ${err.message}`));
