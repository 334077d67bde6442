/**
 * Bearer-token authentication on every /api/v1 route (RFC 6750): opaque tokens through the
 * registry's TokenDirectory (SHA-256 hashes at rest, expiring, revocable), or JWTs from a
 * configured OIDC issuer. Failed attempts are counted per address and throttled.
 */
import type { FastifyRequest } from 'fastify';
import type { Principal, Role, TokenDirectory } from '../hub/registry/registry.js';
import type { FailedAuthLimiter } from './auth/failed-auth-limiter.js';
import { looksLikeJwt, type JwtVerifier } from './auth/oidc.js';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  // Opaque tokens are ~48 characters; signed JWTs with a few claims run to a few kilobytes.
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,8192})$/i.exec(header.trim());
  return match?.[1];
}

export interface AuthenticatorDeps {
  readonly tokens: TokenDirectory;
  readonly jwt?: JwtVerifier | undefined;
  readonly limiter: FailedAuthLimiter;
}

export function authenticate({ tokens, jwt, limiter }: AuthenticatorDeps) {
  const refuse = (request: FastifyRequest, detail: string): never => {
    const verdict = limiter.fail(request.ip);
    if (verdict.limited) {
      const seconds = Math.ceil(verdict.retryAfterMs / 1000);
      throw new ApiError('RPM_ERR_RATE_LIMITED', `too many failed authentications from your address; try again in ${seconds} s`, undefined, {
        'retry-after': String(seconds),
      });
    }
    throw new ApiError('RPM_ERR_UNAUTHENTICATED', detail);
  };
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request.headers.authorization);
    if (!token) return refuse(request, 'send Authorization: Bearer <token>');
    const principal = jwt && looksLikeJwt(token) ? await jwt.verify(token) : await tokens.verifyToken(token);
    if (!principal) return refuse(request, 'the token is unknown, expired or revoked');
    request.principal = principal;
  };
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError('RPM_ERR_UNAUTHENTICATED');
  return request.principal;
}

/** The principal, if its role is one of `roles`; else 403 (which reveals nothing about any patient). */
export function requireRole(request: FastifyRequest, roles: readonly Role[]): Principal {
  const principal = requirePrincipal(request);
  if (!roles.includes(principal.role)) throw new ApiError('RPM_ERR_FORBIDDEN', `this needs the role ${roles.join(' or ')}`);
  return principal;
}
