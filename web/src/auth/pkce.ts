/** PKCE (RFC 7636) helpers with WebCrypto. Placeholder until the websession branch's version lands. */
const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export function createCodeVerifier(): string {
  return b64url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function codeChallengeS256(verifier: string): Promise<string> {
  return b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

export function authorizationUrl(o: { authorizationEndpoint: string; clientId: string; redirectUri: string; scope: string; state: string; codeChallenge: string }): string {
  const url = new URL(o.authorizationEndpoint);
  url.search = new URLSearchParams({ response_type: 'code', client_id: o.clientId, redirect_uri: o.redirectUri, scope: o.scope, state: o.state, code_challenge: o.codeChallenge, code_challenge_method: 'S256' }).toString();
  return url.toString();
}

export function tokenRequestBody(o: { code: string; codeVerifier: string; clientId: string; redirectUri: string }): URLSearchParams {
  return new URLSearchParams({ grant_type: 'authorization_code', code: o.code, code_verifier: o.codeVerifier, client_id: o.clientId, redirect_uri: o.redirectUri });
}
