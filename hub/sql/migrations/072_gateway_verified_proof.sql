-- 072: a gateway's verified-secret proof, kept beside its scrypt hash: SHA-256 of the stored hash
-- and the secret that last matched it (never the secret). A hub that has just started (or any hub
-- of a cluster) lets a known box in with one SHA-256 instead of a ~50 ms scrypt; the proof is read
-- in the same query as the hash and the revocation mark, so revoking or rotating a secret takes
-- effect at the box's next connect. See hub/registry/secrets.ts and docs/decisions.md.
ALTER TABLE gateways ADD COLUMN verified_proof text;
