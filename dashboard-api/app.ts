/**
 * The dashboard API as a fastify instance: zod type provider (request validation and response
 * stripping), bearer auth on /api/v1, problem+json errors, OpenAPI. server.ts listens; tests inject.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { authenticate } from './auth.js';
import { installErrorHandling } from './error-handler.js';
import { readingsRoutes } from './routes/readings/index.js';
import type { ApiServices } from './services.js';

export interface AppOptions {
  readonly logger?: Logger | false;
  readonly bodyLimitBytes?: number;
}

export async function buildApp(services: ApiServices, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger ? (options.logger as FastifyBaseLogger) : undefined,
    bodyLimit: options.bodyLimitBytes ?? 256 * 1024,
    // Request ids in logs tie a user's complaint to the server's record without logging patient data.
    requestIdHeader: 'x-request-id',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routeMethods = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const set = routeMethods.get(route.url) ?? new Set<string>();
    for (const m of methods) set.add(m);
    routeMethods.set(route.url, set);
  });
  installErrorHandling(app, (path) => {
    for (const [pattern, methods] of routeMethods) {
      const re = new RegExp(`^${pattern.replace(/:[^/]+/g, '[^/]+')}/?$`);
      if (re.test(path)) return [...methods].filter((m) => m !== 'HEAD');
    }
    return [];
  });

  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));

  await app.register(
    async (api) => {
      api.addHook('onRequest', authenticate(services.tokens));
      await api.register(readingsRoutes(services));
    },
    { prefix: '/api/v1' },
  );
  await app.ready();
  return app;
}
