-- 001: the registry. Who may connect (gateways), whose devices measure whom (patients, devices,
-- assignments), who may read what (users, care teams, API tokens). Display names are the only
-- identifying data about people: no national identity numbers, addresses or birth dates here.
-- Ids are chosen by the organisation: 1-64 characters of [A-Za-z0-9._-], starting with a letter or
-- digit ('_' first is reserved: the patient tag '_unassigned' in InfluxDB must never collide with a
-- patient). Gateway and care team ids appear in MQTT topics, so they are lower case; device ids are
-- what the gateway reports (contract Identifier).

-- GiST equality on text and integers for the no-overlap rule of device_assignments. btree_gist is a
-- trusted extension (PostgreSQL 13+): the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE sites (
  id           text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  display_name text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Gateway and care team ids appear in MQTT topics (contract/topics.ts TOPIC_ID_PATTERN): lower case.
CREATE TABLE gateways (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  site_id     text REFERENCES sites (id),
  -- scrypt$N$r$p$salt$hash (hub/registry/secrets.ts); the secret itself is shown once and never stored.
  secret_hash text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

CREATE TABLE care_teams (
  id           text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  display_name text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE patients (
  id               text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  care_team_id     text NOT NULL REFERENCES care_teams (id),
  display_name     text NOT NULL,
  -- The care team's rule configuration for this patient (PatientRuleConfig input,
  -- hub/alerts/rules/config.ts: condition groups, schedules, threshold overrides, ...), validated by
  -- the registry before it is stored. The three columns below mirror its fields of the same meaning,
  -- for queries and listings; the registry writes them together with `rules`, from one parse.
  rules            jsonb NOT NULL DEFAULT '{}',
  -- copd, heart_failure, hypertension, diabetes (hub/alerts/rules/types.ts); checked by the registry,
  -- not here, so that a new group needs no migration.
  condition_groups text[] NOT NULL DEFAULT '{}',
  -- Confirmed hypercapnic respiratory failure with a prescribed 88-92 % target: NEWS2 SpO2 scale 2.
  hypercapnic      boolean NOT NULL DEFAULT false,
  time_zone        text NOT NULL DEFAULT 'Europe/Copenhagen',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patients_care_team_idx ON patients (care_team_id);

-- Devices are known by the id the gateway reports (System ID, serial, else BLE address).
CREATE TABLE devices (
  id           text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$'),
  kind         text,
  model        text,
  manufacturer text,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Which patient a device (and, on multi-user devices, which user index) measures during
-- [valid_from, valid_to). user_index NULL: every user of the device; a row for a specific index
-- takes precedence over it (hub/registry/resolve-assignment.ts).
CREATE TABLE device_assignments (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id  text NOT NULL REFERENCES devices (id),
  user_index integer CHECK (user_index BETWEEN 0 AND 255),
  patient_id text NOT NULL REFERENCES patients (id),
  valid_from timestamptz NOT NULL,
  valid_to   timestamptz CHECK (valid_to > valid_from),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- No two periods of the same device and user index overlap, whoever writes: the database refuses.
  CONSTRAINT device_assignments_no_overlap EXCLUDE USING gist (
    device_id WITH =,
    (coalesce(user_index, -1)) WITH =,
    tstzrange(valid_from, valid_to) WITH &&
  )
);
CREATE INDEX device_assignments_patient_idx ON device_assignments (patient_id);

CREATE TABLE users (
  id           text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  display_name text NOT NULL,
  role         text NOT NULL CHECK (role IN ('admin', 'clinician', 'carer')),
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE care_team_members (
  care_team_id text NOT NULL REFERENCES care_teams (id),
  user_id      text NOT NULL REFERENCES users (id),
  added_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (care_team_id, user_id)
);
CREATE INDEX care_team_members_user_idx ON care_team_members (user_id);

CREATE TABLE api_tokens (
  -- Public handle to list and revoke a token; not a credential.
  id           text PRIMARY KEY,
  -- SHA-256 (hex) of the bearer token; the token itself is shown once and never stored.
  token_hash   text NOT NULL UNIQUE,
  user_id      text NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  last_used_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
