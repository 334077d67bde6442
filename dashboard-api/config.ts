/**
 * The API's own settings, from the environment, parsed once by zod at start-up (beside the hub's
 * HubEnv). A wrong value stops the server with a line naming the variable; values are never echoed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppOptions } from './app.js';
import { createOidcVerifier, DEFAULT_ROLE_MAP, type OidcConfig } from './auth/oidc.js';

const PositiveInt = z.coerce.number().int().positive();
const RoleMap = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected JSON, e.g. {"rpm-nurse":"clinician"}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.enum(['admin', 'clinician', 'carer'])));

export const ApiEnv = z
  .object({
    API_CORS_ORIGINS: z
      .string()
      .default('')
      .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
      .pipe(z.array(z.url({ protocol: /^https?$/, error: 'each origin must be an http(s) URL such as https://dashboard.example' }))),
    API_TLS_CERT: z.string().min(1).optional(),
    API_TLS_KEY: z.string().min(1).optional(),
    API_TRUST_PROXY: z.string().default('false'),
    API_BODY_LIMIT_BYTES: PositiveInt.max(16 * 1024 * 1024).default(256 * 1024),
    API_AUTH_FAILURES_PER_MINUTE: PositiveInt.max(10_000).default(20),
    API_AUDIT_FLUSH_MS: PositiveInt.max(1_000).default(2),
    API_AUDIT_MAX_BATCH: PositiveInt.max(10_000).default(500),
    API_AUDIT_DEAD_LETTER_FILE: z.string().min(1).optional(),
    API_AUDIT_JOURNAL_DIR: z.string().min(1).optional(),
    API_AUDIT_JOURNAL_MAX_BYTES: PositiveInt.default(1024 * 1024 * 1024),
    API_LIVE_HEARTBEAT_S: PositiveInt.max(300).default(15),
    API_WORKLIST_LOOKBACK_DAYS: PositiveInt.max(3650).default(30),
    API_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
    API_OIDC_AUDIENCE: z.string().min(1).optional(),
    API_OIDC_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    API_OIDC_USER_CLAIM: z.string().min(1).default('sub'),
    API_OIDC_ROLE_CLAIM: z.string().min(1).default('rpm_role'),
    API_OIDC_TEAMS_CLAIM: z.string().min(1).default('rpm_teams'),
    API_OIDC_ROLE_MAP: RoleMap.optional(),
    /** The web application's OIDC client (public client, authorization code with PKCE); without it the page signs in with API tokens. */
    API_OIDC_CLIENT_ID: z.string().min(1).optional(),
    API_OIDC_SCOPE: z.string().min(1).default('openid profile'),
    /** The built web application to serve under /app/ (default: web/dist of the installation). */
    API_WEB_ROOT: z.string().min(1).optional(),
  })
  .refine((e) => !e.API_TLS_CERT === !e.API_TLS_KEY, { message: 'API_TLS_CERT and API_TLS_KEY go together', path: ['API_TLS_KEY'] })
  .refine((e) => e.API_OIDC_ISSUER || !(e.API_OIDC_AUDIENCE || e.API_OIDC_JWKS_URL || e.API_OIDC_ROLE_MAP || e.API_OIDC_CLIENT_ID), {
    message: 'the API_OIDC_* settings need API_OIDC_ISSUER',
    path: ['API_OIDC_ISSUER'],
  });
export type ApiEnv = z.output<typeof ApiEnv>;

/** fastify's trustProxy: false, true, or a list of proxy addresses/CIDRs whose X-Forwarded-For is believed. */
export function trustProxyFrom(value: string): boolean | string[] {
  if (value === 'false' || value === '') return false;
  if (value === 'true') return true;
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

export function oidcConfigFrom(env: ApiEnv): OidcConfig | undefined {
  if (!env.API_OIDC_ISSUER) return undefined;
  return {
    issuer: env.API_OIDC_ISSUER,
    ...(env.API_OIDC_AUDIENCE !== undefined && { audience: env.API_OIDC_AUDIENCE }),
    ...(env.API_OIDC_JWKS_URL !== undefined && { jwksUrl: env.API_OIDC_JWKS_URL }),
    userClaim: env.API_OIDC_USER_CLAIM,
    roleClaim: env.API_OIDC_ROLE_CLAIM,
    teamsClaim: env.API_OIDC_TEAMS_CLAIM,
    roleMap: env.API_OIDC_ROLE_MAP ?? DEFAULT_ROLE_MAP,
  };
}

export function parseApiEnv(env: NodeJS.ProcessEnv): { ok: true; config: Readonly<ApiEnv> } | { ok: false; message: string } {
  const result = ApiEnv.safeParse(env);
  if (result.success) return { ok: true, config: Object.freeze(result.data) };
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || 'environment'}: ${i.message}`);
  return { ok: false, message: `invalid API configuration:\n${lines.join('\n')}` };
}

/** The API server's options from its parsed environment: reads the TLS files, sets up OIDC. */
export async function apiOptionsFrom(env: ApiEnv, log?: { debug(obj: object, msg: string): void }): Promise<AppOptions> {
  const pem = async (variable: string, path: string) => {
    try {
      return await readFile(path);
    } catch (err) {
      throw new Error(`cannot read ${variable} ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  const oidc = oidcConfigFrom(env);
  return {
    bodyLimitBytes: env.API_BODY_LIMIT_BYTES,
    corsOrigins: env.API_CORS_ORIGINS,
    trustProxy: trustProxyFrom(env.API_TRUST_PROXY),
    authFailuresPerMinute: env.API_AUTH_FAILURES_PER_MINUTE,
    liveHeartbeatMs: env.API_LIVE_HEARTBEAT_S * 1000,
    worklistLookbackDays: env.API_WORKLIST_LOOKBACK_DAYS,
    ...(env.API_TLS_CERT && env.API_TLS_KEY && { https: { cert: await pem('API_TLS_CERT', env.API_TLS_CERT), key: await pem('API_TLS_KEY', env.API_TLS_KEY) } }),
    ...(oidc && { jwt: createOidcVerifier(oidc, log) }),
    ...(oidc && env.API_OIDC_CLIENT_ID !== undefined && { oidcClient: { issuer: oidc.issuer, clientId: env.API_OIDC_CLIENT_ID, scope: env.API_OIDC_SCOPE } }),
    ...(env.API_WEB_ROOT !== undefined && { webRoot: env.API_WEB_ROOT }),
  };
}

/**
 * Audit settings from the environment. The journal and the dead-letter file live in the hub's data
 * directory unless placed elsewhere (they hold patient ids: keep them on the same protected disk).
 */
export function auditOptionsFrom(
  env: ApiEnv,
  dataDir: string,
): { flushEveryMs: number; maxBatch: number; deadLetterPath: string; journalDir: string; maxJournalBytes: number } {
  return {
    flushEveryMs: env.API_AUDIT_FLUSH_MS,
    maxBatch: env.API_AUDIT_MAX_BATCH,
    deadLetterPath: env.API_AUDIT_DEAD_LETTER_FILE ?? join(dataDir, 'audit-dead-letters.jsonl'),
    journalDir: env.API_AUDIT_JOURNAL_DIR ?? join(dataDir, 'audit-journal'),
    maxJournalBytes: env.API_AUDIT_JOURNAL_MAX_BYTES,
  };
}
