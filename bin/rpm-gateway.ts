#!/usr/bin/env node
/** rpm-gateway: the box in the resident's home. Reads BLE health devices and delivers readings to the hub. */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SimulatedHome } from '../firmware-sim/home.js';
import type { BleAdapter } from '../gateway/ble/adapter.js';
import { NobleAdapter } from '../gateway/ble/noble-adapter.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { createGatewayLogger } from '../gateway/log.js';
import { startGateway } from '../gateway/main.js';
import { fail, stopOnSignals } from './cli-support.js';

const HELP = `rpm-gateway — reads BLE health devices and delivers their readings to the hub

Usage:
  rpm-gateway [run] [--config FILE] [--simulate [--measure-every SECONDS]]
  rpm-gateway --help

Options:
  --config FILE         JSON config (also RPM_GATEWAY_CONFIG); see docs/gateway.md
  --simulate            use firmware-sim devices instead of the Bluetooth radio
  --measure-every S     with --simulate: the simulated cuff measures every S seconds (default 10)

Environment (overrides the file):
  RPM_GATEWAY_ID, RPM_GATEWAY_SECRET, RPM_HUB_URL, RPM_GATEWAY_DATA_DIR, RPM_TIME_ZONE, LOG_LEVEL
`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      config: { type: 'string' },
      simulate: { type: 'boolean' },
      'measure-every': { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'run';
  if (values.help || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (command !== 'run') fail(`unknown command "${command}"\n\n${HELP}`);

  const loaded = await loadGatewayConfig(values.config ?? process.env.RPM_GATEWAY_CONFIG, process.env);
  if (!loaded.ok) fail(loaded.message);
  let config = loaded.config;
  const log = createGatewayLogger();

  let adapter: BleAdapter;
  let home: SimulatedHome | undefined;
  if (values.simulate) {
    const everyS = Number(values['measure-every'] ?? 10);
    if (!Number.isFinite(everyS) || everyS < 0) fail('--measure-every must be a number of seconds');
    const seed = createHash('sha256').update(config.gatewayId).digest().readUInt16BE(0);
    home = new SimulatedHome({ timeZone: config.timeZone, seed, measureEveryMs: everyS * 1000 });
    adapter = home.adapter;
    config = { ...config, devices: home.deviceAddresses.map((address) => ({ address })) };
    log.info({ devices: home.deviceIds }, 'simulated home: assign these device ids to a patient on the hub');
  } else {
    adapter = new NobleAdapter();
  }
  const gateway = await startGateway(config, adapter, log);
  home?.start();
  stopOnSignals(async () => {
    home?.stop();
    await gateway.stop();
  }, log);
}

main().catch((err: Error) => fail(`rpm-gateway: ${err.message}`));
