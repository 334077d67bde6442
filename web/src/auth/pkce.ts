/**
 * OAuth 2.0 authorization code flow with PKCE (RFC 7636) for the web application, a public
 * browser client (RFC 8252 §8.1, OAuth 2.0 for Browser-Based Apps): the page makes a one-time
 * code verifier, sends its S256 challenge with the authorization request, and proves possession
 * of the verifier when it exchanges the code for tokens. Pure functions over WebCrypto
 * (globalThis.crypto, in browsers and Node 20 alike); no imports, no storage, no network.
 */

/** RFC 7636 §4.1: code_verifier = 43*128unreserved. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** base64url without padding (RFC 7636 Appendix A). */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

type RandomFill = (bytes: Uint8Array) => Uint8Array;
const secureRandom: RandomFill = (bytes) => globalThis.crypto.getRandomValues(bytes);

/**
 * A fresh code verifier: 32 random octets, base64url-encoded to 43 characters (RFC 7636 §4.1's
 * recommendation, 256 bits of entropy). `fill` is for tests; the default is the platform CSPRNG.
 */
export function createCodeVerifier(fill: RandomFill = secureRandom): string {
  return base64url(fill(new Uint8Array(32)));
}

/** An opaque `state` (RFC 6749 §10.12) or `nonce` (OpenID Connect Core §3.1.2.1): 128 random bits. */
export function createState(fill: RandomFill = secureRandom): string {
  return base64url(fill(new Uint8Array(16)));
}

/** RFC 7636 §4.2: code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
export async function codeChallengeS256(verifier: string): Promise<string> {
  if (!VERIFIER.test(verifier)) throw new Error('a PKCE code verifier is 43-128 characters of A-Z a-z 0-9 - . _ ~');
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export interface AuthorizationRequest {
  /** From the issuer's discovery document (GET /api/v1/session/config). */
  readonly authorizationEndpoint: string;
  readonly clientId: string;
  /** Where the identity provider sends the browser back, registered with the client. */
  readonly redirectUri: string;
  readonly scope: string;
  readonly state: string;
  readonly codeChallenge: string;
  /** OpenID Connect nonce, echoed in the id token. */
  readonly nonce?: string;
}

/** The URL to send the browser to (RFC 6749 §4.1.1 with RFC 7636 §4.3); query parameters already on the endpoint are kept. */
export function authorizationUrl(request: AuthorizationRequest): string {
  const url = new URL(request.authorizationEndpoint);
  const params: [string, string][] = [
    ['response_type', 'code'],
    ['client_id', request.clientId],
    ['redirect_uri', request.redirectUri],
    ['scope', request.scope],
    ['state', request.state],
    ['code_challenge', request.codeChallenge],
    ['code_challenge_method', 'S256'],
  ];
  if (request.nonce !== undefined) params.push(['nonce', request.nonce]);
  for (const [name, value] of params) url.searchParams.set(name, value);
  return url.toString();
}

export interface TokenRequest {
  readonly clientId: string;
  /** The same redirect URI as in the authorization request (RFC 6749 §4.1.3). */
  readonly redirectUri: string;
  readonly code: string;
  readonly codeVerifier: string;
}

/**
 * The form body of the token request (RFC 6749 §4.1.3 with RFC 7636 §4.5), to POST to the token
 * endpoint as application/x-www-form-urlencoded (fetch sets that type for URLSearchParams).
 */
export function tokenRequestBody(request: TokenRequest): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    code: request.code,
    redirect_uri: request.redirectUri,
    client_id: request.clientId,
    code_verifier: request.codeVerifier,
  });
}

export type AuthorizationResponse =
  | { readonly ok: true; readonly code: string }
  | { readonly ok: false; readonly error: string; readonly description?: string };

/**
 * Reads the redirect back from the identity provider (its query string) and checks `state`
 * (RFC 6749 §4.1.2, §4.1.2.1, §10.12): a response whose state is not ours is refused, so a code
 * injected by another site is never exchanged.
 */
export function authorizationResponse(search: string, expectedState: string): AuthorizationResponse {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  if (params.get('state') !== expectedState) return { ok: false, error: 'state_mismatch', description: 'the sign-in response does not belong to this sign-in' };
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    return description !== null ? { ok: false, error, description } : { ok: false, error };
  }
  const code = params.get('code');
  if (code === null || code === '') return { ok: false, error: 'invalid_response', description: 'the sign-in response carries no code' };
  return { ok: true, code };
}
