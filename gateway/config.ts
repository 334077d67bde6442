/**
 * Gateway configuration: a JSON file (path in RPM_GATEWAY_CONFIG or --config) overlaid by
 * environment variables, validated by zod with messages naming the field. The secret should come
 * from the environment or a file readable only by the service user, never from the repository.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeIssues, isTopicId } from '../contract/index.js';
import { assertTimeZone } from './time/zoned-time.js';
import { HUB_URL_PATTERN } from './mqtt/hub-addresses.js';

const TimeZone = z.string().refine(
  (tz) => {
    try {
      assertTimeZone(tz);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown IANA time zone (e.g. Europe/Copenhagen, Europe/Stockholm)' },
);

const BleAddress = z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i, 'expected a BLE address like a4:c1:38:00:11:22');

export const GatewayConfig = z.object({
  gatewayId: z.string().refine(isTopicId, 'lowercase letters, digits, - and _ (max 64)'),
  /** Given directly, or read from `secretFile` / RPM_GATEWAY_SECRET_FILE (systemd credentials). */
  secret: z.string({ error: 'required (or secretFile / RPM_GATEWAY_SECRET_FILE)' }).min(16, 'at least 16 characters'),
  /** One hub (or load balancer) URL, or several separated by commas: tried in turn on reconnect (mqtt/hub-addresses.ts). */
  hubUrl: z.string().regex(HUB_URL_PATTERN, 'expected mqtt://host:port or mqtts://host:port, or several separated by commas'),
  dataDir: z.string().min(1).default('./data/gateway'),
  timeZone: TimeZone.default('Europe/Copenhagen'),
  /** Devices this box may connect to; the hub can add and remove more (kept in dataDir/devices.json). */
  devices: z.array(z.object({ address: BleAddress, label: z.string().max(64).optional() })).default([]),
  heartbeatS: z.number().int().min(5).max(3600).default(60),
  maxConnections: z.number().int().min(1).max(8).default(2),
  connectTimeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
  cooldownMs: z.number().int().min(0).max(3_600_000).default(30_000),
  batchSize: z.number().int().min(1).max(1000).default(100),
  replayRatePerS: z.number().min(0).default(200),
  outboxMaxEntries: z.number().int().min(100).default(50_000),
  lateAfterS: z.number().int().min(60).default(1800),
  clockSuspectAfterS: z.number().int().min(1).default(300),
  sessionIdleTimeoutMs: z.number().int().min(100).default(5_000),
  sessionMaxMs: z.number().int().min(1000).default(120_000),
  /** Write the box's time to a device's Current Time (0x2A2B) when it is off and writable. */
  setDeviceClock: z.boolean().default(false),
  /** ...but only when it is off by more than this (seconds). */
  setDeviceClockAboveS: z.number().min(1).default(5),
  /** Wait this long for a glucose meter's Record Access Control Point to answer. */
  racpTimeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
  /** Restart the BLE scan when no advertisement at all was seen for this long (BlueZ scans stall silently). */
  scanWatchdogS: z.number().int().min(10).max(86_400).default(300),
  /** Without a usable Bluetooth adapter, look again after this long (doubling up to 10 minutes). */
  adapterRetryS: z.number().int().min(1).max(3600).default(30),
  /** Publish the device status report at least this often (also after every session). */
  deviceReportS: z.number().int().min(10).max(86_400).default(900),
  /** A device seen advertising within this window counts as present. */
  presenceWindowS: z.number().int().min(10).max(7 * 86_400).default(3600),
  tls: z.object({ ca: z.string().optional(), cert: z.string().optional(), key: z.string().optional(), rejectUnauthorized: z.boolean().default(true) }).optional(),
});
export type GatewayConfig = z.infer<typeof GatewayConfig>;
export type GatewayConfigInput = z.input<typeof GatewayConfig>;

/** Environment overrides for the fields a deployment typically sets per box. */
function fromEnv(env: NodeJS.ProcessEnv): Partial<GatewayConfigInput> & { secretFile?: string } {
  return {
    ...(env.RPM_GATEWAY_ID && { gatewayId: env.RPM_GATEWAY_ID }),
    ...(env.RPM_GATEWAY_SECRET && { secret: env.RPM_GATEWAY_SECRET }),
    ...(env.RPM_HUB_URL && { hubUrl: env.RPM_HUB_URL }),
    ...(env.RPM_GATEWAY_DATA_DIR && { dataDir: env.RPM_GATEWAY_DATA_DIR }),
    ...(env.RPM_TIME_ZONE && { timeZone: env.RPM_TIME_ZONE }),
    ...(env.RPM_GATEWAY_SECRET_FILE && { secretFile: env.RPM_GATEWAY_SECRET_FILE }),
  };
}

export type LoadedConfig = { ok: true; config: GatewayConfig } | { ok: false; message: string };

export async function loadGatewayConfig(path: string | undefined, env: NodeJS.ProcessEnv): Promise<LoadedConfig> {
  let fileConfig: unknown = {};
  if (path) {
    try {
      fileConfig = JSON.parse(await readFile(path, 'utf8'));
    } catch (err) {
      return { ok: false, message: `cannot read gateway config ${path}: ${(err as Error).message}` };
    }
  }
  if (typeof fileConfig !== 'object' || fileConfig === null || Array.isArray(fileConfig)) {
    return { ok: false, message: `invalid gateway config ${path}: expected a JSON object` };
  }
  const { secretFile, ...merged } = { ...(fileConfig as Record<string, unknown>), ...fromEnv(env) } as Record<string, unknown> & { secretFile?: unknown };
  if (secretFile !== undefined && merged.secret === undefined) {
    if (typeof secretFile !== 'string') return { ok: false, message: 'invalid gateway configuration: secretFile: expected a file path' };
    try {
      // systemd LoadCredential= / EnvironmentFile style: the file holds the secret, maybe with a newline.
      merged.secret = (await readFile(secretFile, 'utf8')).trim();
    } catch (err) {
      return { ok: false, message: `cannot read the gateway secret from ${secretFile} (secretFile / RPM_GATEWAY_SECRET_FILE): ${(err as Error).message}` };
    }
  }
  const parsed = GatewayConfig.strict().safeParse(merged);
  return parsed.success ? { ok: true, config: parsed.data } : { ok: false, message: `invalid gateway configuration: ${describeIssues(parsed.error)}` };
}
