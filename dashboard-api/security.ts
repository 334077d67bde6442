/**
 * Security headers on every answer, set by hand (the handful helmet would set that matter for a
 * JSON API), and CORS for the configured dashboard origins only (default: none).
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

export function securityHeaders(options: { tls: boolean; api: boolean }): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    // RFC 6797: only meaningful, and only sent, over TLS.
    ...(options.tls && { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }),
    // Patient data must not linger in browser or proxy caches, and API answers are never a page.
    ...(options.api && { 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" }),
  };
}

export function installSecurityHeaders(app: FastifyInstance, options: { tls: boolean; apiPrefix: string }): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const api = request.url.startsWith(options.apiPrefix);
    for (const [name, value] of Object.entries(securityHeaders({ tls: options.tls, api }))) {
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
