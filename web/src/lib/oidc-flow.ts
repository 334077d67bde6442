/**
 * OIDC authorization code flow with PKCE (RFC 7636) in the browser: redirect to the identity
 * provider, come back to /app/signin with a code, exchange it for tokens at the provider, and hand
 * the JWT to the hub, which verifies it and sets the session cookie. The verifier and state live in
 * sessionStorage only for the round trip.
 */
import { authorizationResponse, authorizationUrl, codeChallengeS256, createCodeVerifier, createState, tokenRequestBody } from '../auth/pkce.js';
import type { SessionConfig } from './session.js';

type Oidc = NonNullable<SessionConfig['oidc']>;

/** Why a round trip failed, for a sentence in the user's language (i18n group `oidcSignIn`). */
export type OidcFailure = 'stateMismatch' | 'notStarted' | 'provider' | 'refused' | 'unreachable' | 'noToken';

export class OidcSignInError extends Error {
  constructor(readonly reason: OidcFailure, message: string) {
    super(message);
    this.name = 'OidcSignInError';
  }
}

const KEY = 'rpm.oidc';
const redirectUri = () => `${location.origin}/app/signin`;

export async function startOidcSignIn(oidc: Oidc): Promise<void> {
  const verifier = createCodeVerifier();
  const state = createState();
  sessionStorage.setItem(KEY, JSON.stringify({ verifier, state }));
  location.assign(
    authorizationUrl({
      authorizationEndpoint: oidc.authorizationEndpoint,
      clientId: oidc.clientId,
      redirectUri: redirectUri(),
      scope: oidc.scope,
      state,
      codeChallenge: await codeChallengeS256(verifier),
    }),
  );
}

export function hasOidcCallback(): boolean {
  const params = new URLSearchParams(location.search);
  return params.has('code') && params.has('state');
}

/** The provider's JWT for the hub; the code leaves the address bar at once. */
export async function completeOidcSignIn(oidc: Oidc): Promise<string> {
  const search = location.search;
  history.replaceState(null, '', location.pathname);
  const saved = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem(KEY);
  const response = authorizationResponse(search, saved.state ?? '');
  if (!response.ok) throw new OidcSignInError(response.error === 'state_mismatch' ? 'stateMismatch' : 'provider', response.description ?? response.error);
  if (!saved.verifier) throw new OidcSignInError('notStarted', 'the sign-in was not started in this browser');
  let res: Response;
  try {
    res = await fetch(oidc.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody({ code: response.code, codeVerifier: saved.verifier, clientId: oidc.clientId, redirectUri: redirectUri() }),
    });
  } catch (err) {
    throw new OidcSignInError('unreachable', `the identity provider cannot be reached: ${(err as Error).message}`);
  }
  if (!res.ok) throw new OidcSignInError('refused', `the identity provider refused the code (${res.status})`);
  const tokens = (await res.json().catch(() => ({}))) as { access_token?: string; id_token?: string };
  const jwt = tokens.access_token ?? tokens.id_token;
  if (!jwt) throw new OidcSignInError('noToken', 'the identity provider sent no token');
  return jwt;
}
