/**
 * Authentication on every /api/v1 route that is not declared public: a bearer token (RFC 6750),
 * or, from the web application, the `rpm_session` cookie that carries the same kind of token
 * (auth/session-cookie.ts). Tokens are opaque registry tokens (TokenDirectory: SHA-256 hashes at
 * rest, expiring, revocable) or JWTs from a configured OIDC issuer. Failed attempts are counted
 * per address and throttled. Cookie-authenticated requests that may change something must carry
 * the session's CSRF token.
 */
import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal, Role, TokenDirectory } from '../hub/registry/registry.js';
import { parseCookies } from './auth/cookies.js';
import type { FailedAuthLimiter } from './auth/failed-auth-limiter.js';
import { looksLikeJwt, type JwtVerifier } from './auth/oidc.js';
import { CSRF_HEADER, csrfMatches, isUnsafeMethod, SESSION_COOKIE } from './auth/session-cookie.js';
import { ApiError } from './errors.js';

/** The credential a request was authenticated with; the token itself never goes to a log. */
export interface Credential {
  readonly token: string;
  readonly source: 'bearer' | 'cookie';
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    credential?: Credential;
  }
}

// Opaque tokens are ~48 characters; signed JWTs with a few claims run to a few kilobytes.
const TOKEN = /^[A-Za-z0-9._~+/=-]{16,8192}$/;

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] !== undefined && TOKEN.test(match[1]) ? match[1] : undefined;
}

/** Whether a string has the shape of a token at all (before any lookup). */
export function wellFormedToken(token: string): boolean {
  return TOKEN.test(token);
}

/**
 * The request's credential. An Authorization header wins whenever present (a malformed one is
 * `malformed`, not a reason to fall back to the cookie); without one, the session cookie.
 */
export function credentialOf(headers: IncomingHttpHeaders): Credential | 'malformed' | undefined {
  if (headers.authorization !== undefined) {
    const token = bearerToken(headers.authorization);
    return token ? { token, source: 'bearer' } : 'malformed';
  }
  const cookie = parseCookies(headers.cookie).get(SESSION_COOKIE);
  if (cookie === undefined || cookie === '') return undefined;
  return TOKEN.test(cookie) ? { token: cookie, source: 'cookie' } : 'malformed';
}

export interface AuthenticatorDeps {
  readonly tokens: TokenDirectory;
  readonly jwt?: JwtVerifier | undefined;
  readonly limiter: FailedAuthLimiter;
}

export interface Authenticator {
  /** onRequest hook for /api/v1: sets request.principal and request.credential, or answers 401/403/429. */
  readonly hook: (request: FastifyRequest) => Promise<void>;
  /**
   * The principal behind a token, verified as the hook verifies bearer tokens; an unknown, expired
   * or revoked token counts as a failed attempt of the address and throws 401 (or 429).
   */
  readonly principalFor: (request: FastifyRequest, token: string) => Promise<Principal>;
}

export function createAuthenticator({ tokens, jwt, limiter }: AuthenticatorDeps): Authenticator {
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
  const principalFor = async (request: FastifyRequest, token: string): Promise<Principal> => {
    if (!TOKEN.test(token)) return refuse(request, 'the token is not well-formed');
    const principal = jwt && looksLikeJwt(token) ? await jwt.verify(token) : await tokens.verifyToken(token);
    return principal ?? refuse(request, 'the token is unknown, expired or revoked');
  };
  const hook = async (request: FastifyRequest): Promise<void> => {
    if (request.routeOptions.config.public === true) return;
    const credential = credentialOf(request.headers);
    if (credential === undefined || credential === 'malformed') return refuse(request, 'send Authorization: Bearer <token>');
    const principal = await principalFor(request, credential.token);
    // A cookie travels with every request the browser makes to us, including ones another site
    // provokes; the CSRF token proves the request comes from a page that could read our answers.
    if (credential.source === 'cookie' && isUnsafeMethod(request.method) && !csrfMatches(credential.token, request.headers[CSRF_HEADER])) {
      throw new ApiError('RPM_ERR_CSRF', `send the header ${CSRF_HEADER} with the csrfToken of GET /api/v1/session`);
    }
    request.principal = principal;
    request.credential = credential;
  };
  return { hook, principalFor };
}

/** The authentication hook alone (see createAuthenticator). */
export function authenticate(deps: AuthenticatorDeps): (request: FastifyRequest) => Promise<void> {
  return createAuthenticator(deps).hook;
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
