/**
 * The dashboard API as a fastify instance: zod type provider (request validation and response
 * stripping), bearer auth and role checks on /api/v1, the access log, problem+json errors,
 * security headers, CORS, OpenAPI. server.ts listens; tests inject.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { installAuditHooks } from './audit-hooks.js';
import { createAuthenticator } from './auth.js';
import { FailedAuthLimiter } from './auth/failed-auth-limiter.js';
import type { JwtVerifier } from './auth/oidc.js';
import { cachedDiscovery } from './auth/oidc-discovery.js';
import { installErrorHandling } from './error-handler.js';
import { installOpenApi } from './openapi.js';
import { enforceRoles, isPublicRoute, requireDeclaredRoles } from './route-policy.js';
import { alertsRoutes } from './routes/alerts/index.js';
import { auditRoutes } from './routes/audit/index.js';
import { exportRoutes } from './routes/export/index.js';
import { gatewaysRoutes } from './routes/gateways/index.js';
import { liveRoutes } from './routes/live/index.js';
import { observationsRoutes } from './routes/observations/index.js';
import { patientsRoutes } from './routes/patients/index.js';
import { kioskRoutes } from './routes/kiosk/index.js';
import { kioskAdminRoutes } from './routes/rooms/kiosk-admin.js';
import { roomsRoutes } from './routes/rooms/index.js';
import { questionnairesRoutes } from './routes/questionnaires/index.js';
import { roomViewRoutes } from './routes/rooms/views.js';
import { readingsRoutes } from './routes/readings/index.js';
import { sessionRoutes } from './routes/session/index.js';
import { trendsRoutes } from './routes/trends/index.js';
import { unassignedRoutes } from './routes/unassigned/index.js';
import { installCors, installSecurityHeaders } from './security.js';
import { defaultWebRoot, installWebApp, WEB_PREFIX, webContentSecurityPolicy } from './web-app.js';
import type { ApiServices } from './services.js';

export const API_PREFIX = '/api/v1';
export const API_VERSION = '1.0.0';

export interface AppOptions {
  readonly logger?: Logger | false;
  readonly bodyLimitBytes?: number;
  /** Origins allowed to call the API from a browser (exact match); none by default. */
  readonly corsOrigins?: readonly string[];
  /** Serve HTTPS with this certificate and key (PEM). */
  readonly https?: { readonly cert: Buffer | string; readonly key: Buffer | string };
  /** Believe X-Forwarded-For from these proxies (fastify trustProxy). */
  readonly trustProxy?: boolean | string[];
  /** Failed authentications per address and minute before further failures answer 429. */
  readonly authFailuresPerMinute?: number;
  /** Accept OIDC JWTs through this verifier (auth/oidc.ts). */
  readonly jwt?: JwtVerifier;
  /** The browser's OIDC sign-in (GET /api/v1/session/config); without it the web app signs in with API tokens. */
  readonly oidcClient?: { readonly issuer: string; readonly clientId: string; readonly scope: string };
  /** The built web application to serve under /app/ (default: web/dist of the installation); false: none. */
  readonly webRoot?: string | false;
  readonly liveHeartbeatMs?: number;
  readonly worklistLookbackDays?: number;
}

export interface RegisteredRoute {
  readonly method: string;
  /** fastify pattern, e.g. /api/v1/patients/:patientId */
  readonly url: string;
  /** Declared `config.public`: answers without authentication. */
  readonly public: boolean;
}

/** A fastify route pattern as a regular expression: `:param` matches one segment, `*` anything. */
export function routePattern(pattern: string): RegExp {
  const source = pattern
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

const apiRoutes = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every /api/v1 route of an app built here (for the authorization matrix and OpenAPI tests). */
export function registeredApiRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return apiRoutes.get(app) ?? [];
}

export async function buildApp(services: ApiServices, options: AppOptions = {}): Promise<FastifyInstance> {
  const serverOptions: FastifyServerOptions & { https?: AppOptions['https'] } = {
    loggerInstance: options.logger || undefined,
    bodyLimit: options.bodyLimitBytes ?? 256 * 1024,
    // Request ids in logs tie a user's complaint to the server's record without logging patient data.
    requestIdHeader: 'x-request-id',
    // fastify's own request log lines carry the URL, which names patients: we log the route pattern instead.
    logController: new LogController({ disableRequestLogging: true }),
    exposeHeadRoutes: false,
    trustProxy: options.trustProxy ?? false,
    ...(options.https && { https: options.https }),
    // Router-level refusals (a path segment over maxParamLength, a malformed URL) bypass the error
    // handler and would answer with fastify's JSON quoting the URL: route them to ours.
    frameworkErrors: (error, request, reply) => routerErrors.handle?.(error, request, reply),
  };
  // Filled in once the app exists (the handler needs the route table).
  const routerErrors: { handle?: ReturnType<typeof installErrorHandling> } = {};
  const app = Fastify(serverOptions as FastifyServerOptions).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routes: RegisteredRoute[] = [];
  apiRoutes.set(app, routes);
  const routeMethods = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const set = routeMethods.get(route.url) ?? new Set<string>();
    for (const m of methods) set.add(m);
    routeMethods.set(route.url, set);
    if (route.url.startsWith(API_PREFIX)) for (const m of methods) routes.push({ method: m, url: route.url, public: isPublicRoute(route.config) });
  });
  requireDeclaredRoles(app, API_PREFIX);
  routerErrors.handle = installErrorHandling(app, (path) => {
    // OPTIONS is CORS's catch-all preflight route, not a method of any resource.
    const allowed = new Set<string>();
    for (const [pattern, methods] of routeMethods) {
      if (routePattern(pattern).test(path)) for (const m of methods) if (m !== 'HEAD' && m !== 'OPTIONS') allowed.add(m);
    }
    return [...allowed];
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });
  const webCsp = webContentSecurityPolicy(options.oidcClient ? [new URL(options.oidcClient.issuer).origin] : []);
  installSecurityHeaders(app, { tls: options.https !== undefined, apiPrefix: API_PREFIX, web: { prefix: WEB_PREFIX, csp: webCsp } });
  await installCors(app, options.corsOrigins ?? []);
  await installOpenApi(app, API_VERSION);

  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));
  if (options.webRoot !== false) await installWebApp(app, { root: options.webRoot ?? defaultWebRoot() });

  // Entries still buffered are written before the API stops; background refreshes end.
  app.addHook('onClose', async () => {
    await services.latestVitals.close?.();
    await services.audit.trail.close();
  });

  const limiter = new FailedAuthLimiter({ maxFailures: options.authFailuresPerMinute ?? 20 });
  const authenticator = createAuthenticator({ tokens: services.tokens, jwt: options.jwt, limiter });
  const oidcClient = options.oidcClient && { ...options.oidcClient, discovery: cachedDiscovery(options.oidcClient.issuer) };
  await app.register(
    async (api) => {
      api.addHook('onRequest', authenticator.hook);
      api.addHook('onRequest', enforceRoles);
      installAuditHooks(api, services.audit.trail);
      await api.register(patientsRoutes(services, { lookbackDays: options.worklistLookbackDays ?? 30 }));
      await api.register(readingsRoutes(services));
      await api.register(trendsRoutes(services));
      await api.register(exportRoutes(services));
      await api.register(gatewaysRoutes(services));
      await api.register(unassignedRoutes(services));
      await api.register(liveRoutes(services, { heartbeatMs: options.liveHeartbeatMs ?? 15_000, tls: options.https !== undefined }));
      await api.register(auditRoutes(services));
      await api.register(alertsRoutes(services));
      await api.register(sessionRoutes({ authenticator, trail: services.audit.trail, tls: options.https !== undefined, oidc: oidcClient }));
      await api.register(observationsRoutes(services));
      await api.register(roomsRoutes(services));
      await api.register(questionnairesRoutes(services));
      await api.register(roomViewRoutes(services));
      await api.register(kioskAdminRoutes(services));
      await api.register(kioskRoutes(services));
    },
    { prefix: API_PREFIX },
  );
  await app.ready();
  return app;
}
