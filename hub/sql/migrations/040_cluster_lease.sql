-- 040: leases for work that must run on exactly one hub of a cluster (the alert engine's timers).
-- One row per lease. `token` (the fencing token) grows by one at every change of holder, so work
-- done under an old holder's token is recognisable; `expires_at` is on the database's clock, so the
-- hubs' clocks do not matter. See hub/cluster/sql-lease.ts and docs/decisions.md.
CREATE TABLE cluster_lease (
  name        text PRIMARY KEY,
  holder      text NOT NULL,
  token       bigint NOT NULL,
  acquired_at timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
