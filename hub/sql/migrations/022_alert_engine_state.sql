-- 022: what the alert engine must remember across restarts besides the alerts themselves.
-- The hub's gateway status is in memory (retained MQTT messages are lost with the broker), so the
-- engine keeps the last status and heartbeat it saw per gateway: a box that died while the hub was
-- down is then still found offline (missed heartbeats) after the restart.
CREATE TABLE alert_gateway_state (
  gateway_id        text PRIMARY KEY,
  state             text NOT NULL CHECK (state IN ('online', 'offline')),
  state_at          timestamptz NOT NULL,
  last_heartbeat_at timestamptz,
  heartbeat_s       integer,
  -- DeviceStatusReport.devices as last reported (presence, battery, clock offset).
  devices           jsonb NOT NULL DEFAULT '[]',
  updated_at        timestamptz NOT NULL
);

-- Per patient: the home the readings come from, the last evaluation, and the last NEWS2 score
-- (for the worklist).
CREATE TABLE alert_patient_state (
  patient_id        text PRIMARY KEY,
  gateway_id        text,
  last_evaluated_at timestamptz,
  news2_total       integer,
  news2_at          timestamptz,
  news2_missing     jsonb
);

-- Single-row facts of the engine, e.g. when its timer last ran.
CREATE TABLE alert_engine_state (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);
