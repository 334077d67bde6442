-- 030: the durable notification outbox (hub/notify/). A notification is written in the same
-- transaction as the alert change that causes it, so a restart neither drops nor duplicates it.
-- Its id is the Idempotency-Key receivers see. Every delivery attempt is recorded with its outcome.
CREATE TABLE notification_outbox (
  id              text PRIMARY KEY,
  alert_id        text NOT NULL REFERENCES alerts (id),
  alert_revision  integer NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('webhook', 'email', 'mqtt', 'sse')),
  -- opened, severity_raised, escalated, repeated, resolved, ... or 'state' for MQTT/SSE broadcasts.
  reason          text NOT NULL,
  tier            integer,
  tier_name       text,
  -- Where to: { url, secret, timeoutMs } | { to: [...] } | { careTeamId }.
  target          jsonb NOT NULL,
  -- What: the AlertMessage at this revision plus reason and tier, fixed when enqueued.
  payload         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  -- A worker that claimed the row holds it until then; after a crash another takes it over.
  lease_until     timestamptz,
  delivered_at    timestamptz,
  last_error      text
);
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_outbox_alert_idx ON notification_outbox (alert_id);

CREATE TABLE notification_attempts (
  notification_id text NOT NULL REFERENCES notification_outbox (id),
  attempt         integer NOT NULL,
  started_at      timestamptz NOT NULL,
  duration_ms     integer NOT NULL,
  outcome         text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
  status_code     integer,
  error           text,
  PRIMARY KEY (notification_id, attempt)
);
