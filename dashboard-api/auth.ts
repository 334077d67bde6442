/** Bearer-token authentication: every /api/v1 route requires a valid token. */
import type { FastifyRequest } from 'fastify';
import type { Principal, TokenDirectory } from '../hub/registry/registry.js';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,512})$/i.exec(header.trim());
  return match?.[1];
}

export function authenticate(tokens: TokenDirectory) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new ApiError('RPM_ERR_UNAUTHENTICATED', 'send Authorization: Bearer <token>');
    const principal = await tokens.verifyToken(token);
    if (!principal) throw new ApiError('RPM_ERR_UNAUTHENTICATED', 'the token is unknown, expired or revoked');
    request.principal = principal;
  };
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError('RPM_ERR_UNAUTHENTICATED');
  return request.principal;
}
