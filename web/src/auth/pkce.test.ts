import { describe, expect, it } from 'vitest';
import { authorizationResponse, authorizationUrl, base64url, codeChallengeS256, createCodeVerifier, createState, tokenRequestBody } from './pkce.js';

// RFC 7636 Appendix B: the 32 octets, the verifier they encode to, and its S256 challenge.
const RFC_OCTETS = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE (RFC 7636)', () => {
  it('reproduces the Appendix B example: octets -> verifier -> S256 challenge', async () => {
    const verifier = createCodeVerifier((bytes) => {
      bytes.set(RFC_OCTETS);
      return bytes;
    });
    expect(verifier).toBe(RFC_VERIFIER);
    expect(await codeChallengeS256(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
  });

  // Challenges computed once with Node's crypto (createHash('sha256').digest('base64url')): shortest, longest, every character class.
  it.each([
    ['a'.repeat(43), 'ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA'],
    ['~'.repeat(128), 'zNhOm5Jyonenca7bQzzpjUpwFDVrfhrbbOGCqgWA6HU'],
    ['Az09-._~'.repeat(6), 'bA3vufqLaOKYzDtH-kq1PCLA6AoRfawTSfuzopc0dMw'],
  ])('computes the S256 challenge of %s', async (verifier, challenge) => {
    expect(await codeChallengeS256(verifier)).toBe(challenge);
  });

  it('makes fresh 43-character verifiers and 22-character states from the platform CSPRNG', () => {
    const verifiers = new Set(Array.from({ length: 20 }, () => createCodeVerifier()));
    expect(verifiers.size).toBe(20);
    for (const v of verifiers) expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createState()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('refuses verifiers the RFC does not allow', async () => {
    await expect(codeChallengeS256('short')).rejects.toThrow('43-128');
    await expect(codeChallengeS256('a'.repeat(129))).rejects.toThrow('43-128');
    await expect(codeChallengeS256(`${'a'.repeat(42)}+`)).rejects.toThrow('43-128');
  });

  it('encodes base64url without padding', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(base64url(new Uint8Array([]))).toBe('');
  });
});

describe('authorization and token requests', () => {
  it('builds the authorization URL with the code challenge, keeping query parameters on the endpoint', () => {
    const url = new URL(
      authorizationUrl({
        authorizationEndpoint: 'https://login.region.example/realms/care/protocol/openid-connect/auth?kc_idp_hint=region',
        clientId: 'rpm-web',
        redirectUri: 'https://hub.region.example/app/',
        scope: 'openid profile',
        state: 'st-1',
        codeChallenge: RFC_CHALLENGE,
        nonce: 'n-1',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://login.region.example/realms/care/protocol/openid-connect/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      kc_idp_hint: 'region',
      response_type: 'code',
      client_id: 'rpm-web',
      redirect_uri: 'https://hub.region.example/app/',
      scope: 'openid profile',
      state: 'st-1',
      code_challenge: RFC_CHALLENGE,
      code_challenge_method: 'S256',
      nonce: 'n-1',
    });
    // Spaces in the scope are encoded, not left raw.
    expect(url.search).toContain('scope=openid+profile');
  });

  it('builds the token request form with the verifier', () => {
    const body = tokenRequestBody({ clientId: 'rpm-web', redirectUri: 'https://hub.region.example/app/', code: 'c/1+2', codeVerifier: RFC_VERIFIER });
    expect(body.toString()).toBe(
      `grant_type=authorization_code&code=c%2F1%2B2&redirect_uri=https%3A%2F%2Fhub.region.example%2Fapp%2F&client_id=rpm-web&code_verifier=${RFC_VERIFIER}`,
    );
  });

  it('reads the redirect back: the code when the state is ours, else an error', () => {
    expect(authorizationResponse('?code=abc&state=st-1', 'st-1')).toEqual({ ok: true, code: 'abc' });
    expect(authorizationResponse('code=abc&state=other', 'st-1')).toMatchObject({ ok: false, error: 'state_mismatch' });
    expect(authorizationResponse('?code=abc', 'st-1')).toMatchObject({ ok: false, error: 'state_mismatch' });
    expect(authorizationResponse('?error=access_denied&error_description=User+cancelled&state=st-1', 'st-1')).toEqual({
      ok: false,
      error: 'access_denied',
      description: 'User cancelled',
    });
    expect(authorizationResponse('?state=st-1', 'st-1')).toMatchObject({ ok: false, error: 'invalid_response' });
  });
});
