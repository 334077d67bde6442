/** A real gateway process-in-miniature: runtime + durable outbox + MQTT link, over firmware-sim's radio. */
import { pino } from 'pino';
import type { BleAdapter } from '../../gateway/ble/adapter.js';
import { GatewayConfig, type GatewayConfigInput } from '../../gateway/config.js';
import { startGateway, type RunningGateway } from '../../gateway/main.js';

export async function startTestGateway(adapter: BleAdapter, config: GatewayConfigInput): Promise<RunningGateway> {
  const parsed = GatewayConfig.parse({ cooldownMs: 0, sessionIdleTimeoutMs: 500, heartbeatS: 5, ...config });
  return startGateway(parsed, adapter, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
}
