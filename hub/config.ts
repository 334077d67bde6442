/**
 * Hub configuration, from the environment, parsed once by zod at start-up. A wrong value stops the
 * hub with a message naming the variable; the parsed config is frozen.
 */
import { z } from 'zod';
import type { InfluxAuth } from './storage/influx-v1.js';

const Port = z.coerce.number().int().min(0).max(65535);

/**
 * Relational state (registry; later alerts, audit): embedded PGlite in RPM_DATA_DIR/sql/ unless
 * DATABASE_URL names a PostgreSQL server. RPM_SQL is derived from DATABASE_URL; set it only to
 * insist on one (then the two must agree).
 */
const SqlFields = {
  RPM_DATA_DIR: z.string().min(1).default('./data/hub'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// or postgresql:// URL such as postgres://rpm@db.example:5432/rpm' })
    .optional(),
  RPM_SQL: z.enum(['pglite', 'postgres'], { error: 'RPM_SQL must be pglite or postgres' }).optional(),
};
type SqlFieldValues = { DATABASE_URL?: string | undefined; RPM_SQL?: 'pglite' | 'postgres' | undefined };
const sqlAgrees = (e: SqlFieldValues) => !(e.RPM_SQL === 'postgres' && !e.DATABASE_URL) && !(e.RPM_SQL === 'pglite' && e.DATABASE_URL);
const SQL_DISAGREES = { message: 'RPM_SQL=postgres needs DATABASE_URL, and RPM_SQL=pglite must not have one', path: ['RPM_SQL'] };
function deriveSql<E extends SqlFieldValues>(e: E): E & { RPM_SQL: 'pglite' | 'postgres' } {
  return { ...e, RPM_SQL: e.RPM_SQL ?? (e.DATABASE_URL ? 'postgres' : 'pglite') };
}

/** What the admin CLI needs: the database only (no InfluxDB, no ports). */
export const SqlEnv = z.object(SqlFields).refine(sqlAgrees, SQL_DISAGREES).transform(deriveSql);
export type SqlEnv = z.infer<typeof SqlEnv>;

export const HubEnv = z
  .object({
    ...SqlFields,
    MQTT_HOST: z.string().min(1).default('0.0.0.0'),
    MQTT_PORT: Port.default(1883),
    API_HOST: z.string().min(1).default('0.0.0.0'),
    API_PORT: Port.default(8080),
    INFLUX_URL: z.url({ protocol: /^https?$/, error: 'INFLUX_URL must be an http(s) URL such as http://127.0.0.1:8086' }),
    INFLUX_DATABASE: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('rpm'),
    INFLUX_RETENTION_POLICY: z.string().min(1).optional(),
    INFLUX_TOKEN: z.string().min(1).optional(),
    INFLUX_USERNAME: z.string().min(1).optional(),
    INFLUX_PASSWORD: z.string().min(1).optional(),
    /** zlib level of write bodies, 0 (off) to 9; unset: 0 for an InfluxDB on loopback, else 1 (a third of the CPU of 6, nearly the same size). */
    INFLUX_GZIP_LEVEL: z.coerce.number().int().min(0).max(9).optional(),
    /** Alert e-mail: smtp(s)://user:pass@host:port; without it the e-mail channel is off. */
    SMTP_URL: z.string().regex(/^smtps?:\/\/.+/, 'SMTP_URL must look like smtp://host:587 or smtps://user:pass@host:465').optional(),
    ALERT_EMAIL_FROM: z.string().min(3).default('rpm-hub@localhost'),
    /** Link target in notifications, e.g. https://rpm.example.org (no patient data goes into links). */
    DASHBOARD_URL: z.url({ protocol: /^https?$/ }).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // MQTT over TLS (PEM file paths) and over WebSocket: off unless their port is set.
    MQTT_TLS_PORT: Port.optional(),
    MQTT_TLS_CERT: z.string().min(1).optional(),
    MQTT_TLS_KEY: z.string().min(1).optional(),
    /** CA of gateway client certificates: a box may then authenticate with a certificate whose CN is its id. */
    MQTT_TLS_CA: z.string().min(1).optional(),
    MQTT_WS_PORT: Port.optional(),
    MQTT_MAX_PACKET_BYTES: z.coerce.number().int().min(1024).max(268_435_455).default(1024 * 1024),
    MQTT_CONNECT_RATE_PER_MIN: z.coerce.number().int().min(1).default(60),
    // Ops endpoints (/metrics, /healthz, /readyz): loopback by default.
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    METRICS_PORT: Port.default(9464),
    /** Several hubs: broker state (sessions, subscriptions, retained, wills, fan-out) through this Redis; docs/deploy/cluster.md. */
    HUB_REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'HUB_REDIS_URL must be a redis:// or rediss:// URL such as redis://10.0.0.5:6379' }).optional(),
    /** How often hubs of a cluster tell each other they are alive (ms); a dead hub's Last Wills go out after 3-7 of these. */
    HUB_CLUSTER_HEARTBEAT_MS: z.coerce.number().int().min(200).max(60_000).default(2000),
    /** A cluster's alert-engine lease (hub/cluster/sql-lease.ts): a dead holder is replaced within this plus a third of it. */
    CLUSTER_LEASE_TTL_MS: z.coerce.number().int().min(1000).max(600_000).default(6000),
    /** The alert engine's timer (ms) and how often each patient is evaluated by it (ms). */
    ALERT_TICK_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    ALERT_FULL_EVALUATION_MS: z.coerce.number().int().min(100).max(86_400_000).default(300_000),
    /**
     * How long a hub's claim on a notification it is sending lasts (ms): after a hub dies mid-send,
     * another sends it once this has passed. Keep it above the longest channel timeout.
     */
    ALERT_OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
    SPOOL_MAX_BYTES: z.coerce.number().int().min(1024 * 1024).default(8 * 1024 * 1024 * 1024),
  })
  .refine((e) => !(e.INFLUX_TOKEN && e.INFLUX_USERNAME), { message: 'set INFLUX_TOKEN or INFLUX_USERNAME/INFLUX_PASSWORD, not both', path: ['INFLUX_TOKEN'] })
  .refine((e) => !e.INFLUX_USERNAME === !e.INFLUX_PASSWORD, { message: 'INFLUX_USERNAME and INFLUX_PASSWORD go together', path: ['INFLUX_PASSWORD'] })
  .refine((e) => !e.MQTT_TLS_CERT === !e.MQTT_TLS_KEY, { message: 'MQTT_TLS_CERT and MQTT_TLS_KEY go together', path: ['MQTT_TLS_KEY'] })
  .refine((e) => e.MQTT_TLS_PORT === undefined || Boolean(e.MQTT_TLS_CERT), { message: 'MQTT_TLS_PORT needs MQTT_TLS_CERT and MQTT_TLS_KEY', path: ['MQTT_TLS_CERT'] })
  .refine((e) => e.MQTT_TLS_PORT !== undefined || (!e.MQTT_TLS_CERT && !e.MQTT_TLS_CA), { message: 'set MQTT_TLS_PORT to serve MQTT over TLS', path: ['MQTT_TLS_PORT'] })
  .refine(sqlAgrees, SQL_DISAGREES)
  .transform(deriveSql);

export type HubEnv = z.infer<typeof HubEnv>;

export function influxAuthFrom(env: Pick<HubEnv, 'INFLUX_TOKEN' | 'INFLUX_USERNAME' | 'INFLUX_PASSWORD'>): InfluxAuth {
  if (env.INFLUX_TOKEN) return { kind: 'token', token: env.INFLUX_TOKEN };
  if (env.INFLUX_USERNAME && env.INFLUX_PASSWORD) return { kind: 'basic', username: env.INFLUX_USERNAME, password: env.INFLUX_PASSWORD };
  return { kind: 'none' };
}

export type ConfigResult<T> = { ok: true; config: Readonly<T> } | { ok: false; message: string };

/** Parses the environment; on failure returns one line per bad variable, never echoing values (they may be secrets). */
export function parseHubEnv(env: NodeJS.ProcessEnv): ConfigResult<HubEnv> {
  return parseEnv(HubEnv, env);
}

export function parseSqlEnv(env: NodeJS.ProcessEnv): ConfigResult<SqlEnv> {
  return parseEnv(SqlEnv, env);
}

function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): ConfigResult<z.output<S>> {
  const result = schema.safeParse(env);
  if (result.success) return { ok: true, config: Object.freeze(result.data) };
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || 'environment'}: ${i.message}`);
  return { ok: false, message: `invalid hub configuration:\n${lines.join('\n')}` };
}
