/**
 * The web application's sign-in: exchange a token (an API token or an OIDC JWT) for the
 * `rpm_session` cookie, read the session back after a reload, sign out, and learn how to sign in.
 * Stateless (auth/session-cookie.ts): the cookie is the token, so every hub accepts it and
 * revoking the token ends the session. Creating a session is written to the audit log.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { AuditTrail } from '../../../hub/audit/audit-trail.js';
import type { Principal } from '../../../hub/registry/registry.js';
import { commitOrRefuse } from '../../audit-hooks.js';
import { requirePrincipal, type Authenticator } from '../../auth.js';
import type { DiscoveryDocument } from '../../auth/oidc-discovery.js';
import { clearedSessionCookie, csrfTokenFor, MAX_SESSION_TOKEN_LENGTH, sessionCookie, sessionLifetime } from '../../auth/session-cookie.js';
import { ApiError } from '../../errors.js';
import { ALL_ROLES } from '../../route-policy.js';
import { NoContent, SessionBody, SessionConfigResponse, SessionResponse } from './schemas.js';

/** What the browser needs to run the authorization code flow itself. */
export interface OidcClientOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  /** The issuer's discovery document, fetched once and cached (auth/oidc-discovery.ts cachedDiscovery). */
  readonly discovery: () => Promise<DiscoveryDocument>;
}

export interface SessionRouteOptions {
  readonly authenticator: Authenticator;
  readonly trail: AuditTrail;
  /** The API serves HTTPS itself. */
  readonly tls: boolean;
  readonly oidc?: OidcClientOptions | undefined;
  readonly now?: () => Date;
}

const PUBLIC = { security: [] as Record<string, string[]>[] };

export const sessionRoutes =
  (options: SessionRouteOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const now = options.now ?? (() => new Date());
    // Secure also behind a TLS-terminating proxy that says so (X-Forwarded-Proto, with trustProxy).
    const secure = (request: FastifyRequest) => options.tls || request.protocol === 'https';
    const body = (principal: Principal, token: string) => {
      const { expiresAt, maxAgeSeconds } = sessionLifetime(principal.expiresAt, now());
      return {
        maxAgeSeconds,
        session: { userId: principal.userId, role: principal.role, careTeamIds: [...principal.careTeamIds], expiresAt: expiresAt.toISOString(), csrfToken: csrfTokenFor(token) },
      };
    };

    app.post(
      '/session',
      {
        config: { public: true },
        schema: {
          summary: 'Sign in: exchange a token for the session cookie (web application)',
          tags: ['session'],
          ...PUBLIC,
          body: SessionBody,
          response: { 201: SessionResponse },
        },
      },
      async (request, reply) => {
        const token = request.body.token.trim();
        if (token.length > MAX_SESSION_TOKEN_LENGTH) {
          const message = `too long for a session cookie (over ${MAX_SESSION_TOKEN_LENGTH} characters); send it as Authorization: Bearer instead`;
          throw new ApiError('RPM_ERR_VALIDATION', `body.token: ${message}`, [{ path: 'body.token', message }]);
        }
        const principal = await options.authenticator.principalFor(request, token);
        request.principal = principal;
        const { session, maxAgeSeconds } = body(principal, token);
        if (maxAgeSeconds === 0) throw new ApiError('RPM_ERR_UNAUTHENTICATED', 'the token expires too soon to start a session');
        await commitOrRefuse(options.trail, request, 'session.create', 201, 'the sign-in cannot be recorded, so no session was made; try again shortly');
        void reply.code(201).header('set-cookie', sessionCookie(token, maxAgeSeconds, secure(request)));
        return session;
      },
    );

    app.get(
      '/session',
      {
        config: { roles: ALL_ROLES },
        schema: {
          summary: 'The current session (after a reload: who is signed in, and the CSRF token)',
          description: 'Authenticated by the session cookie or a bearer token. `expiresAt` is the latest the session can last; the browser may drop the cookie earlier.',
          tags: ['session'],
          response: { 200: SessionResponse },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        if (!request.credential) throw new ApiError('RPM_ERR_UNAUTHENTICATED');
        return body(principal, request.credential.token).session;
      },
    );

    app.delete(
      '/session',
      {
        // Public: signing out must work with an expired or revoked session too.
        config: { public: true },
        schema: { summary: 'Sign out: clear the session cookie', tags: ['session'], ...PUBLIC, response: { 204: NoContent } },
      },
      async (request, reply) => {
        void reply.code(204).header('set-cookie', clearedSessionCookie(secure(request)));
        return null;
      },
    );

    app.get(
      '/session/config',
      {
        config: { public: true },
        schema: { summary: 'How to sign in: the OIDC client settings, or null for API tokens', tags: ['session'], ...PUBLIC, response: { 200: SessionConfigResponse } },
      },
      async (request) => {
        const oidc = options.oidc;
        if (!oidc) return { oidc: null };
        let doc: DiscoveryDocument;
        try {
          doc = await oidc.discovery();
        } catch (err) {
          request.log.warn({ reason: (err as Error).message }, 'OIDC discovery failed');
          throw new ApiError('RPM_ERR_SIGN_IN_PROVIDER_UNAVAILABLE', `the sign-in provider ${oidc.issuer} cannot be reached; try again shortly, or sign in with an API token`);
        }
        if (!doc.authorization_endpoint || !doc.token_endpoint) {
          request.log.warn({ issuer: oidc.issuer }, 'OIDC discovery document lacks authorization_endpoint or token_endpoint');
          throw new ApiError('RPM_ERR_SIGN_IN_PROVIDER_UNAVAILABLE', `the sign-in provider ${oidc.issuer} does not publish an authorization and a token endpoint`);
        }
        return {
          oidc: { issuer: oidc.issuer, clientId: oidc.clientId, authorizationEndpoint: doc.authorization_endpoint, tokenEndpoint: doc.token_endpoint, scope: oidc.scope },
        };
      },
    );
  };
