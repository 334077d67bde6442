import { z } from 'zod';
import { InstantOut } from '../../common-schemas.js';

export const SessionBody = z.object({
  token: z
    .string()
    .min(1)
    .max(8192)
    .describe('An API token (rpm-hub admin token create) or an OIDC JWT from the configured issuer (access token or id token, whichever the API verifies)'),
});

export const SessionResponse = z.object({
  userId: z.string(),
  role: z.enum(['admin', 'clinician', 'carer']),
  careTeamIds: z.array(z.string()),
  expiresAt: InstantOut.describe('When the session ends at the latest: the token expiry, capped at 12 h'),
  csrfToken: z.string().describe('Send as the x-csrf-token header on POST, PUT, PATCH and DELETE requests authenticated by the session cookie'),
});

export const OidcClientSettings = z.object({
  issuer: z.string(),
  clientId: z.string(),
  authorizationEndpoint: z.string(),
  tokenEndpoint: z.string(),
  scope: z.string(),
});

export const SessionConfigResponse = z.object({
  oidc: OidcClientSettings.nullable().describe('Authorization code flow with PKCE (RFC 7636) for the browser; null: sign in with an API token'),
});

export const NoContent = z.null().describe('No content');
