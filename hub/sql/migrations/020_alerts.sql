-- 020: the alert lifecycle (hub/alerts/). One row per alert; one active (open or acknowledged)
-- alert per subject and rule id, enforced here so that two hubs cannot open the same alert twice.
-- A subject is 'patient:<id>' or 'gateway:<id>' (the home's technical rules). No foreign keys to the
-- registry: alerts outlive patients and gateways that are removed, for the record.
CREATE TABLE alerts (
  id                 text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  subject_key        text NOT NULL CHECK (subject_key ~ '^(patient|gateway):'),
  patient_id         text,
  gateway_id         text,
  device_id          text,
  care_team_id       text NOT NULL,
  rule_id            text NOT NULL,
  audience           text NOT NULL CHECK (audience IN ('clinical', 'technical')),
  severity           text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'urgent')),
  state              text NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
  condition          text NOT NULL CHECK (condition IN ('firing', 'cleared')),
  -- Human readable, from the rule: numbers, units and local times, never a name.
  summary            text NOT NULL,
  cause              text,
  evidence           jsonb NOT NULL,
  backfilled         boolean NOT NULL DEFAULT false,
  opened_at          timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  last_seen_at       timestamptz NOT NULL,
  occurrences        integer NOT NULL CHECK (occurrences > 0),
  acknowledged_at    timestamptz,
  acknowledged_by    text,
  resolved_at        timestamptz,
  resolved_by        text,
  snoozed_until      timestamptz,
  snooze_reason      text,
  snoozed_by         text,
  snooze_severity    text,
  muted              boolean NOT NULL DEFAULT false,
  -- Public revision (AlertMessage.revision), bumped by every event.
  revision           integer NOT NULL CHECK (revision > 0),
  escalation_tier    integer NOT NULL DEFAULT 0,
  paged_at           timestamptz,
  next_escalation_at timestamptz,
  next_repeat_at     timestamptz,
  -- The earliest time-driven step (snooze end, escalation, repeat): what the engine's timer looks for.
  next_due_at        timestamptz,
  -- Optimistic concurrency: every write bumps it and names the version it read.
  version            integer NOT NULL DEFAULT 1,
  CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE UNIQUE INDEX alerts_one_active_idx ON alerts (subject_key, rule_id) WHERE state <> 'resolved';
CREATE INDEX alerts_due_idx ON alerts (next_due_at) WHERE next_due_at IS NOT NULL;
CREATE INDEX alerts_team_idx ON alerts (care_team_id, opened_at DESC);
CREATE INDEX alerts_patient_idx ON alerts (patient_id, opened_at DESC);
CREATE INDEX alerts_active_idx ON alerts (subject_key) WHERE state <> 'resolved';

-- Every transition, with actor (user id or 'system') and time. Append-only: the trigger below
-- refuses UPDATE and DELETE, so the history cannot be rewritten by the application.
CREATE TABLE alert_events (
  alert_id   text NOT NULL REFERENCES alerts (id),
  revision   integer NOT NULL,
  type       text NOT NULL,
  actor      text NOT NULL,
  at         timestamptz NOT NULL,
  from_state text,
  to_state   text NOT NULL,
  severity   text NOT NULL,
  detail     jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (alert_id, revision)
);

CREATE FUNCTION alert_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'alert_events is append-only' USING ERRCODE = 'check_violation';
END
$$;
CREATE TRIGGER alert_events_append_only BEFORE UPDATE OR DELETE ON alert_events
  FOR EACH ROW EXECUTE FUNCTION alert_events_append_only();
