/**
 * Gateway configuration: a JSON file (path in RPM_GATEWAY_CONFIG or --config) overlaid by
 * environment variables, validated by zod with messages naming the field. The secret should come
 * from the environment or a file readable only by the service user, never from the repository.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeIssues, isTopicId } from '../contract/index.js';
import { assertTimeZone } from './time/zoned-time.js';

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

export const GatewayConfig = z.object({
  gatewayId: z.string().refine(isTopicId, 'lowercase letters, digits, - and _ (max 64)'),
  secret: z.string().min(16, 'at least 16 characters'),
  hubUrl: z.string().regex(/^(mqtts?|wss?|tcp|tls):\/\/.+/, 'expected mqtt://host:port or mqtts://host:port'),
  dataDir: z.string().min(1).default('./data/gateway'),
  timeZone: TimeZone.default('Europe/Copenhagen'),
  devices: z
    .array(z.object({ address: z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i, 'expected a BLE address like a4:c1:38:00:11:22'), label: z.string().max(64).optional() }))
    .default([]),
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
  tls: z.object({ ca: z.string().optional(), cert: z.string().optional(), key: z.string().optional(), rejectUnauthorized: z.boolean().default(true) }).optional(),
});
export type GatewayConfig = z.infer<typeof GatewayConfig>;
export type GatewayConfigInput = z.input<typeof GatewayConfig>;

/** Environment overrides for the fields a deployment typically sets per box. */
function fromEnv(env: NodeJS.ProcessEnv): Partial<GatewayConfigInput> {
  return {
    ...(env.RPM_GATEWAY_ID && { gatewayId: env.RPM_GATEWAY_ID }),
    ...(env.RPM_GATEWAY_SECRET && { secret: env.RPM_GATEWAY_SECRET }),
    ...(env.RPM_HUB_URL && { hubUrl: env.RPM_HUB_URL }),
    ...(env.RPM_GATEWAY_DATA_DIR && { dataDir: env.RPM_GATEWAY_DATA_DIR }),
    ...(env.RPM_TIME_ZONE && { timeZone: env.RPM_TIME_ZONE }),
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
  const merged = { ...(fileConfig as object), ...fromEnv(env) };
  const parsed = GatewayConfig.safeParse(merged);
  return parsed.success ? { ok: true, config: parsed.data } : { ok: false, message: `invalid gateway configuration: ${describeIssues(parsed.error)}` };
}
