/**
 * OIDC authorization code flow with PKCE (RFC 7636) in the browser: redirect to the identity
 * provider, come back to /app/signin with a code, exchange it for tokens at the provider, and hand
 * the JWT to the hub, which verifies it and sets the session cookie. The verifier and state live in
 * sessionStorage only for the round trip.
 */
import { authorizationResponse, authorizationUrl, codeChallengeS256, createCodeVerifier, createState, tokenRequestBody } from '../auth/pkce.js';
import type { SessionConfig } from './session.js';

type Oidc = NonNullable<SessionConfig['oidc']>;

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
  if (!response.ok || !saved.verifier) throw new Error(response.ok ? 'the sign-in was not started in this browser' : (response.description ?? response.error));
  const res = await fetch(oidc.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody({ code: response.code, codeVerifier: saved.verifier, clientId: oidc.clientId, redirectUri: redirectUri() }),
  });
  if (!res.ok) throw new Error(`the identity provider refused the code (${res.status})`);
  const tokens = (await res.json()) as { access_token?: string; id_token?: string };
  const jwt = tokens.access_token ?? tokens.id_token;
  if (!jwt) throw new Error('the identity provider sent no token');
  return jwt;
}
