/**
 * Secrets at rest: gateway secrets as scrypt hashes (slow on purpose, salted), API tokens as
 * SHA-256 of a 256-bit random value (fast is fine: the input is not guessable, and tokens are
 * checked on every request).
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ScryptGate, type SharedVerifiedCache } from './scrypt-gate.js';

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

// N=2^14, r=8, p=1: about 50 ms per check here, the interactive-login setting from the scrypt paper.
const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEYLEN = 32;

/** `scrypt$N$r$p$salt$hash`, base64url: self-describing so the cost can be raised later. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, KEYLEN, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Process-wide, as the thread pool it protects is: see scrypt-gate.ts. */
const gate = new ScryptGate();

/** In a cluster: share verified secrets with the other hubs (scrypt-gate.ts SharedVerifiedCache); undefined to stop. */
export function shareVerifiedSecrets(cache: SharedVerifiedCache | undefined): void {
  gate.shared = cache;
}

/**
 * The proof that `secret` matched `stored`, kept beside the hash (gateways.verified_proof) so a
 * restarted hub need not run scrypt again for a known box: SHA-256 of the stored hash and the
 * secret. It is useless once the hash changes (rotation) and is never consulted for a revoked
 * gateway. A fast hash is safe here because every gateway secret is 256 random bits (newSecret):
 * scrypt's slowness protects guessable secrets, and these are not.
 */
export function verifiedProof(stored: string, secret: string): string {
  return createHash('sha256').update(`${stored}\u0000${secret}`).digest('base64url');
}

export function proofMatches(proof: string, stored: string, secret: string): boolean {
  const expected = Buffer.from(verifiedProof(stored, secret));
  const given = Buffer.from(proof);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** How many scrypt comparisons this process has run (tests: a known box let in from its proof runs none). */
export function scryptChecksRun(): number {
  return gate.checksRun;
}

/** Checks a secret against its stored scrypt hash; one check at a time per process, successes remembered (scrypt-gate.ts). */
export function verifySecret(secret: string, stored: string): Promise<boolean> {
  return gate.verify(secret, stored, () => scryptMatches(secret, stored));
}

async function scryptMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(secret, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A new random secret for a gateway or a token, printed once and never stored in clear. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
