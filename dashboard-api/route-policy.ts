/**
 * Every /api/v1 route declares who may call it (`config.roles`) and, if it touches patient data,
 * what it does (`config.audit`). Declared in the route, enforced here in one place: a route that
 * forgets to declare its roles fails at start-up instead of being open to everyone. The few routes
 * that must answer before anyone is signed in (creating a session, the sign-in configuration)
 * declare `config.public: true` instead, and then may not declare roles.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../hub/registry/registry.js';
import { ApiError } from './errors.js';

export interface AuditRouteConfig {
  /** What the route does, e.g. `readings.read`, `patient.update`. */
  readonly action: string;
  /**
   * true for routes that change data: the handler commits an `attempted` entry before the change
   * (commitAttempt) and the result is recorded after. false: a read, served only once its entry is durable.
   */
  readonly change?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    roles?: readonly Role[];
    /** Answers without authentication (no bearer, no cookie); such a route authenticates on its own terms if at all. */
    public?: boolean;
    audit?: AuditRouteConfig;
  }
}

export const ALL_ROLES: readonly Role[] = ['admin', 'clinician', 'carer'];

/** Whether a route's config declares it public. */
export function isPublicRoute(config: unknown): boolean {
  return (config as { public?: unknown } | undefined)?.public === true;
}

/** Refuses to register an API route without `config.roles`, or a public one with roles (which would not be enforced). */
export function requireDeclaredRoles(app: FastifyInstance, prefix: string): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(prefix) || route.method === 'HEAD') return;
    const roles = (route.config as { roles?: unknown } | undefined)?.roles;
    if (isPublicRoute(route.config)) {
      if (roles !== undefined) throw new Error(`route ${String(route.method)} ${route.url} is public and cannot declare config.roles`);
      return;
    }
    if (!Array.isArray(roles) || roles.length === 0) throw new Error(`route ${String(route.method)} ${route.url} declares no config.roles`);
  });
}

/** onRequest hook, after authentication: 403 when the principal's role is not among the route's. */
export async function enforceRoles(request: FastifyRequest): Promise<void> {
  const roles = request.routeOptions.config.roles;
  const principal = request.principal;
  if (!roles || !principal) return;
  if (!roles.includes(principal.role)) throw new ApiError('RPM_ERR_FORBIDDEN', `this needs the role ${roles.join(' or ')}; you are ${principal.role}`);
}
