/**
 * Hub configuration, from the environment, parsed once by zod at start-up. A wrong value stops the
 * hub with a message naming the variable; the parsed config is frozen.
 */
import { z } from 'zod';
import type { InfluxAuth } from './storage/influx-v1.js';

const Port = z.coerce.number().int().min(0).max(65535);

export const HubEnv = z
  .object({
    RPM_DATA_DIR: z.string().min(1).default('./data/hub'),
    RPM_REGISTRY_FILE: z.string().min(1).optional(),
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
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((e) => !(e.INFLUX_TOKEN && e.INFLUX_USERNAME), { message: 'set INFLUX_TOKEN or INFLUX_USERNAME/INFLUX_PASSWORD, not both', path: ['INFLUX_TOKEN'] })
  .refine((e) => !e.INFLUX_USERNAME === !e.INFLUX_PASSWORD, { message: 'INFLUX_USERNAME and INFLUX_PASSWORD go together', path: ['INFLUX_PASSWORD'] });

export type HubEnv = z.infer<typeof HubEnv>;

export function influxAuthFrom(env: Pick<HubEnv, 'INFLUX_TOKEN' | 'INFLUX_USERNAME' | 'INFLUX_PASSWORD'>): InfluxAuth {
  if (env.INFLUX_TOKEN) return { kind: 'token', token: env.INFLUX_TOKEN };
  if (env.INFLUX_USERNAME && env.INFLUX_PASSWORD) return { kind: 'basic', username: env.INFLUX_USERNAME, password: env.INFLUX_PASSWORD };
  return { kind: 'none' };
}

export type ConfigResult<T> = { ok: true; config: Readonly<T> } | { ok: false; message: string };

/** Parses the environment; on failure returns one line per bad variable, never echoing values (they may be secrets). */
export function parseHubEnv(env: NodeJS.ProcessEnv): ConfigResult<HubEnv> {
  const result = HubEnv.safeParse(env);
  if (result.success) return { ok: true, config: Object.freeze(result.data) };
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || 'environment'}: ${i.message}`);
  return { ok: false, message: `invalid hub configuration:\n${lines.join('\n')}` };
}
