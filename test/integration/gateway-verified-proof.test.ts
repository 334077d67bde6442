/**
 * The verified-secret proof kept in PostgreSQL beside a gateway's scrypt hash (migration 072,
 * SqlRegistry.verifyGatewaySecret): a box whose secret matched once is let in without a fresh
 * scrypt by a hub that never saw it (a restarted hub, another hub of the cluster: here a registry
 * in this process whose scrypt memory never held it), and revocation and rotation take effect at
 * the next check, with no cache to expire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, revokeGateway, rotateGatewaySecret } from '../../hub/registry/sql-admin-org.js';
import { hashSecret, newSecret, scryptChecksRun, verifiedProof } from '../../hub/registry/secrets.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import type { PostgresDb } from '../../hub/sql/postgres-db.js';
import { startPostgresForTests, type PostgresForTests } from '../support/postgres-fixture.js';

let pg: PostgresForTests;
let db: PostgresDb;
beforeAll(async () => {
  pg = await startPostgresForTests();
  db = await pg.freshDb();
}, 60_000);
afterAll(async () => pg?.close());

const proofOf = async (id: string) => (await db.query<{ verified_proof: string | null }>('SELECT verified_proof FROM gateways WHERE id = $1', [id]))[0]?.verified_proof;

describe('verified-secret proof in PostgreSQL', () => {
  it('stores the proof on the first match and lets the box in from it later without scrypt', { timeout: 30_000 }, async () => {
    const registry = new SqlRegistry(db);
    const gw = await createGateway(db, { id: 'gw-proof-1' });
    expect(await proofOf('gw-proof-1')).toBeNull();
    const before = scryptChecksRun();
    expect(await registry.verifyGatewaySecret('gw-proof-1', gw.secret)).toBe(true);
    expect(scryptChecksRun()).toBe(before + 1);
    const hash = (await db.query<{ secret_hash: string }>("SELECT secret_hash FROM gateways WHERE id = 'gw-proof-1'"))[0]!.secret_hash;
    expect(await proofOf('gw-proof-1')).toBe(verifiedProof(hash, gw.secret));

    // As another hub (or this one after a restart) finds it: a hash and proof this process never checked.
    const secret = newSecret('gw');
    const stored = await hashSecret(secret);
    await db.query('INSERT INTO gateways (id, secret_hash, verified_proof) VALUES ($1, $2, $3)', ['gw-proof-2', stored, verifiedProof(stored, secret)]);
    const cold = scryptChecksRun();
    const started = performance.now();
    expect(await new SqlRegistry(db).verifyGatewaySecret('gw-proof-2', secret)).toBe(true);
    console.log(`gateway-verified-proof: known box let in from its proof in ${(performance.now() - started).toFixed(1)} ms`);
    expect(scryptChecksRun()).toBe(cold);
  });

  it('refuses a wrong secret with the full scrypt, a revoked gateway and a rotated-away secret at the next check', { timeout: 30_000 }, async () => {
    const registry = new SqlRegistry(db);
    const gw = await createGateway(db, { id: 'gw-proof-3' });
    expect(await registry.verifyGatewaySecret('gw-proof-3', gw.secret)).toBe(true);
    const before = scryptChecksRun();
    expect(await registry.verifyGatewaySecret('gw-proof-3', `${gw.secret}x`)).toBe(false);
    expect(scryptChecksRun()).toBe(before + 1);

    const rotated = await rotateGatewaySecret(db, 'gw-proof-3');
    expect(await proofOf('gw-proof-3')).toBeNull();
    expect(await registry.verifyGatewaySecret('gw-proof-3', gw.secret)).toBe(false);
    expect(await registry.verifyGatewaySecret('gw-proof-3', rotated.secret)).toBe(true);
    expect(await proofOf('gw-proof-3')).not.toBeNull();

    await revokeGateway(db, 'gw-proof-3', new Date());
    const revokedAt = performance.now();
    expect(await registry.verifyGatewaySecret('gw-proof-3', rotated.secret)).toBe(false);
    console.log(`gateway-verified-proof: revoked secret refused ${(performance.now() - revokedAt).toFixed(0)} ms after revocation`);
    expect(await proofOf('gw-proof-3')).toBeNull();
  });
});
