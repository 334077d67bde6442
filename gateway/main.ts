/** Assembles a gateway from its config and a BLE adapter (noble, or firmware-sim's simulated one). */
import { join } from 'node:path';
import type { GatewayCommand } from '../contract/index.js';
import type { BleAdapter } from './ble/adapter.js';
import type { GatewayConfig } from './config.js';
import { GatewayRuntime } from './gateway.js';
import type { Logger } from './log.js';
import { GatewayLink } from './mqtt/gateway-link.js';
import { FileOutbox } from './outbox/outbox.js';
import { DeviceStore } from './session/device-store.js';

export const GATEWAY_SOFTWARE = 'rpm-gateway/0.1.0';

export interface RunningGateway {
  readonly runtime: GatewayRuntime;
  readonly outbox: FileOutbox;
  readonly link: GatewayLink;
  readonly deviceStore: DeviceStore;
  stop(): Promise<void>;
}

export async function startGateway(config: GatewayConfig, adapter: BleAdapter, log: Logger): Promise<RunningGateway> {
  const deviceStore = await DeviceStore.open(config.dataDir);
  const outbox = await FileOutbox.open({
    dir: join(config.dataDir, 'outbox'),
    maxEntries: config.outboxMaxEntries,
    onDrop: (drop) => {
      log.error({ count: drop.count }, 'outbox full: oldest readings dropped');
      link.publishEvent({ v: 1, type: 'outbox_dropped', at: new Date().toISOString(), ...drop });
    },
  });
  const link: GatewayLink = new GatewayLink(
    {
      url: config.hubUrl,
      gatewayId: config.gatewayId,
      secret: config.secret,
      heartbeatS: config.heartbeatS,
      batchSize: config.batchSize,
      replayRatePerS: config.replayRatePerS,
      software: GATEWAY_SOFTWARE,
      timeZone: config.timeZone,
      ...(config.tls && { tls: config.tls }),
      bluetoothState: () => adapter.state(),
    },
    outbox,
    log,
    (command) => void applyCommand(command),
  );
  const runtime = new GatewayRuntime(
    adapter,
    outbox,
    link,
    deviceStore,
    {
      configuredAddresses: config.devices.map((d) => d.address),
      maxConnections: config.maxConnections,
      connectTimeoutMs: config.connectTimeoutMs,
      cooldownMs: config.cooldownMs,
      deviceReportS: config.deviceReportS,
      presenceWindowS: config.presenceWindowS,
      session: {
        timeZone: config.timeZone,
        clockSuspectAfterS: config.clockSuspectAfterS,
        lateAfterS: config.lateAfterS,
        idleTimeoutMs: config.sessionIdleTimeoutMs,
        maxSessionMs: config.sessionMaxMs,
        setDeviceClock: config.setDeviceClock,
        setDeviceClockAboveS: config.setDeviceClockAboveS,
        racpTimeoutMs: config.racpTimeoutMs,
      },
    },
    log,
  );
  const applyCommand = async (command: GatewayCommand): Promise<void> => {
    let ok = true;
    let message: string | undefined;
    try {
      switch (command.type) {
        case 'register_device':
          // Persisted in dataDir/devices.json before the result is reported: it survives a reboot.
          await runtime.registerDevice(command.address, command.label);
          break;
        case 'unregister_device':
          await runtime.unregisterDevice(command.address);
          break;
        case 'request_status':
          runtime.publishDeviceStatus();
          break;
        case 'set_config':
          // Settings changes need the config file to persist across reboots: not applied remotely yet.
          ok = false;
          message = 'set_config is not supported by this gateway version';
          break;
      }
    } catch (err) {
      ok = false;
      message = `could not save the device list: ${(err as Error).message}`.slice(0, 500);
    }
    log.info({ command: command.type, id: command.id, ok }, 'command from hub');
    link.publishEvent({ v: 1, type: 'command_result', at: new Date().toISOString(), commandId: command.id, ok, ...(message && { message }) });
  };
  if (outbox.depth > 0) log.info({ pending: outbox.depth }, 'outbox holds readings from before the restart; they will be delivered');
  await runtime.start();
  return { runtime, outbox, link, deviceStore, stop: () => runtime.stop() };
}
