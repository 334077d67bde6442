/**
 * OpenID Connect Discovery 1.0: the issuer's metadata at `{issuer}/.well-known/openid-configuration`.
 * The JWT verifier needs its `jwks_uri`; the browser's sign-in needs the authorization and token
 * endpoints. The document is checked by zod and must name the configured issuer (§4.3).
 */
import { z } from 'zod';

const HttpUrl = z.url({ protocol: /^https?$/ });

export const DiscoveryDocument = z.object({
  issuer: z.string(),
  jwks_uri: HttpUrl.optional(),
  authorization_endpoint: HttpUrl.optional(),
  token_endpoint: HttpUrl.optional(),
});
export type DiscoveryDocument = z.output<typeof DiscoveryDocument>;

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** Fetches and checks the issuer's discovery document; throws with a message fit for an operator (no token, no body). */
export async function fetchDiscovery(issuer: string, timeoutMs = 5_000): Promise<DiscoveryDocument> {
  let res: Response;
  try {
    res = await fetch(discoveryUrl(issuer), { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (err) {
    throw new Error(`OIDC discovery at ${discoveryUrl(issuer)} is unreachable: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok) throw new Error(`OIDC discovery answered HTTP ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new Error('OIDC discovery document is not JSON');
  }
  const parsed = DiscoveryDocument.safeParse(body);
  if (!parsed.success) throw new Error(`OIDC discovery document is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  // OpenID Connect Discovery 1.0 §4.3: the document's issuer must equal the configured one.
  if (parsed.data.issuer !== issuer) throw new Error('OIDC discovery document names another issuer');
  return parsed.data;
}

/**
 * A lazily fetched, cached discovery document: fetched on first use and kept; a failure is not
 * cached, so the next call tries again (the identity provider may have been down for a moment).
 */
export function cachedDiscovery(issuer: string, fetcher: (issuer: string) => Promise<DiscoveryDocument> = fetchDiscovery): () => Promise<DiscoveryDocument> {
  let pending: Promise<DiscoveryDocument> | undefined;
  return () => {
    if (!pending) {
      const attempt = fetcher(issuer);
      pending = attempt;
      attempt.catch(() => {
        if (pending === attempt) pending = undefined;
      });
    }
    return pending;
  };
}
