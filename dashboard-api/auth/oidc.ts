/**
 * Optional OpenID Connect: accept JWT access tokens from one configured issuer, verified against
 * its JWKS (RFC 7517) with `jose`, and map configurable claims to the API's role and care teams.
 * A token that fails any check is simply not a principal; the reason goes to the debug log.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Principal, Role } from '../../hub/registry/registry.js';
import { fetchDiscovery } from './oidc-discovery.js';

export interface OidcConfig {
  /** Expected `iss`, e.g. https://login.region.example/realms/care. */
  readonly issuer: string;
  /** Expected `aud`; strongly advised, so tokens minted for other applications are refused. */
  readonly audience?: string;
  /** JWKS location; by default discovered from `{issuer}/.well-known/openid-configuration`. */
  readonly jwksUrl?: string;
  /** Claim holding the user id (dotted path into nested claims). */
  readonly userClaim: string;
  /** Claim holding the role (a string or an array of strings). */
  readonly roleClaim: string;
  /** Claim holding the care-team ids (an array, or a space-separated string). */
  readonly teamsClaim: string;
  /** Claim value -> role; values not listed are ignored. */
  readonly roleMap: Readonly<Record<string, Role>>;
  /** Accepted signature algorithms (RFC 7518); `none` and HMAC are never accepted. */
  readonly algorithms?: readonly string[];
}

export const DEFAULT_ROLE_MAP: Readonly<Record<string, Role>> = { admin: 'admin', clinician: 'clinician', carer: 'carer' };
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** With several roles in the claim, the most capable one counts (the IdP granted them all). */
const ROLE_RANK: Readonly<Record<Role, number>> = { carer: 1, clinician: 2, admin: 3 };

export interface JwtVerifier {
  verify(token: string): Promise<Principal | undefined>;
}

/** JWS compact serialisation (RFC 7515 §7.1): three base64url parts, the header a JSON object ("eyJ"). */
export function looksLikeJwt(token: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

function claimAt(claims: JWTPayload, path: string): unknown {
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The principal a verified token's claims describe, or undefined when they name no known role or user. */
export function principalFromClaims(claims: JWTPayload, config: Pick<OidcConfig, 'userClaim' | 'roleClaim' | 'teamsClaim' | 'roleMap'>): Principal | undefined {
  const userId = claimAt(claims, config.userClaim);
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > 200) return undefined;
  const roles = strings(claimAt(claims, config.roleClaim))
    .map((v) => config.roleMap[v])
    .filter((r): r is Role => r !== undefined)
    .sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a]);
  const role = roles[0];
  if (!role) return undefined;
  const careTeamIds = strings(claimAt(claims, config.teamsClaim)).filter((t) => /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(t));
  return { userId, role, careTeamIds };
}

async function discoverJwksUrl(issuer: string): Promise<URL> {
  const doc = await fetchDiscovery(issuer);
  if (doc.jwks_uri === undefined) throw new Error('OIDC discovery document has no jwks_uri');
  return new URL(doc.jwks_uri);
}

export function createOidcVerifier(config: OidcConfig, log?: { debug(obj: object, msg: string): void }): JwtVerifier {
  let jwks: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () => {
    jwks ??= (config.jwksUrl ? Promise.resolve(new URL(config.jwksUrl)) : discoverJwksUrl(config.issuer)).then((url) => createRemoteJWKSet(url));
    // A failed discovery is retried by the next request rather than cached forever.
    jwks.catch(() => (jwks = undefined));
    return jwks;
  };
  const algorithms = (config.algorithms ?? ASYMMETRIC).filter((a) => ASYMMETRIC.includes(a));

  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, await keySet(), {
          issuer: config.issuer,
          ...(config.audience !== undefined && { audience: config.audience }),
          algorithms,
          clockTolerance: 30,
        });
        const principal = principalFromClaims(payload, config);
        // RFC 7519 §4.1.4: a session made from this token ends when the token does.
        return principal && payload.exp !== undefined ? { ...principal, expiresAt: new Date(payload.exp * 1000).toISOString() } : principal;
      } catch (err) {
        log?.debug({ reason: (err as Error).message }, 'JWT refused');
        return undefined;
      }
    },
  };
}
