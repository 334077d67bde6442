#!/usr/bin/env node
/** rpm-gateway: the box in the resident's home. Reads BLE health devices and delivers readings to the hub. */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseDeviceKinds, SimulatedHome, SIM_DEVICE_KINDS } from '../firmware-sim/home.js';
import type { BleAdapter } from '../gateway/ble/adapter.js';
import { NobleAdapter } from '../gateway/ble/noble-adapter.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { createGatewayLogger } from '../gateway/log.js';
import { startGateway } from '../gateway/main.js';
import { describeCharacteristic } from '../gateway/profiles/describe.js';
import { fail, stopOnSignals } from './cli-support.js';

const HELP = `rpm-gateway — reads BLE health devices and delivers their readings to the hub

Usage:
  rpm-gateway [run] [--config FILE] [--simulate [--devices LIST] [--measure-every SECONDS]]
  rpm-gateway decode <characteristic> <hex> [--time-zone ZONE]
  rpm-gateway --help

Commands:
  run                   (default) scan for the registered devices and deliver their readings
  decode                print what a characteristic value says, as one JSON object
                        (e.g. rpm-gateway decode 2a35 068a0052006500ea07030e0805004700)

Options:
  --config FILE         JSON config (also RPM_GATEWAY_CONFIG); see docs/gateway.md
  --simulate            use firmware-sim devices instead of the Bluetooth radio
  --devices LIST        with --simulate: ${SIM_DEVICE_KINDS.join(',')} or all (default all)
  --measure-every S     with --simulate: each simulated device measures every S seconds (default 10)
  --time-zone ZONE      with decode: the device's zone for its local time stamps (default UTC)

Environment (overrides the file):
  RPM_GATEWAY_ID, RPM_GATEWAY_SECRET or RPM_GATEWAY_SECRET_FILE, RPM_HUB_URL, RPM_GATEWAY_DATA_DIR,
  RPM_TIME_ZONE, LOG_LEVEL
`;

function decode(args: string[], timeZone: string | undefined): void {
  const [characteristic, ...hexParts] = args;
  if (!characteristic || hexParts.length === 0) fail('usage: rpm-gateway decode <characteristic> <hex>   (e.g. decode 2a19 64)');
  const result = describeCharacteristic(characteristic, hexParts.join(''), { ...(timeZone && { timeZone }) });
  if (!result.ok) fail(result.reason);
  process.stdout.write(`${JSON.stringify(result.output)}\n`);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      config: { type: 'string' },
      simulate: { type: 'boolean' },
      devices: { type: 'string' },
      'measure-every': { type: 'string' },
      'time-zone': { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'run';
  if (values.help || command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (command === 'decode') {
    decode(positionals.slice(1), values['time-zone']);
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
    const kinds = parseDeviceKinds(values.devices ?? 'all');
    if (!kinds.ok) fail(`--devices: ${kinds.reason}`);
    const seed = createHash('sha256').update(config.gatewayId).digest().readUInt16BE(0);
    home = new SimulatedHome({ timeZone: config.timeZone, seed, measureEveryMs: everyS * 1000, devices: kinds.kinds });
    adapter = home.adapter;
    config = { ...config, devices: home.deviceAddresses.map((address) => ({ address })) };
    log.info({ devices: home.deviceIds }, 'simulated home: assign these device ids to a patient on the hub');
  } else {
    adapter = new NobleAdapter({ scanWatchdogMs: config.scanWatchdogS * 1000, adapterRetryMs: config.adapterRetryS * 1000, log: log.child({ part: 'ble' }) });
  }
  const gateway = await startGateway(config, adapter, log);
  home?.start();
  stopOnSignals(async () => {
    home?.stop();
    await gateway.stop();
  }, log);
}

main().catch((err: Error) => fail(`rpm-gateway: ${err.message}`));
