/**
 * Security headers on every answer, set by hand (the handful helmet would set that matter for a
 * JSON API), a strict Content-Security-Policy on the web application's pages, and CORS for the
 * configured dashboard origins only (default: none).
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

export function securityHeaders(options: { tls: boolean; api: boolean; pageCsp?: string | undefined }): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    // RFC 6797: only meaningful, and only sent, over TLS.
    ...(options.tls && { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }),
    // Patient data must not linger in browser or proxy caches, and API answers are never a page.
    ...(options.api && { 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" }),
    ...(!options.api && options.pageCsp !== undefined && { 'content-security-policy': options.pageCsp }),
  };
}

export interface SecurityHeaderOptions {
  readonly tls: boolean;
  readonly apiPrefix: string;
  /** The web application's path prefix (e.g. /app/) and the CSP of its pages (web-app.ts). */
  readonly web?: { readonly prefix: string; readonly csp: string };
}

export function installSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions): void {
  const webBase = options.web?.prefix.replace(/\/+$/, '');
  app.addHook('onSend', async (request, reply, payload) => {
    const api = request.url.startsWith(options.apiPrefix);
    const page = webBase !== undefined && (request.url === webBase || request.url.startsWith(`${webBase}/`) || request.url.startsWith(`${webBase}?`));
    for (const [name, value] of Object.entries(securityHeaders({ tls: options.tls, api, pageCsp: page ? options.web?.csp : undefined }))) {
      if (!reply.hasHeader(name)) void reply.header(name, value);
    }
    return payload;
  });
}

export async function installCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  await app.register(cors, {
    // false: no Access-Control-Allow-Origin for anyone, so browsers refuse cross-origin reads.
    origin: origins.length > 0 ? [...origins] : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'last-event-id', 'x-csrf-token'],
    exposedHeaders: ['x-request-id', 'retry-after', 'content-disposition'],
    credentials: false,
    maxAge: 600,
  });
}
