-- 050: community health rooms. A room is a gateway whose devices many residents share (Näsåker's
-- community room, Jammerbugt's health house); a measurement session says which resident is at the
-- shared devices of that room from check-in until check-out or timeout (hub/rooms/). A table of its
-- own rather than a column on gateways: a gateway becomes a room without touching its credentials.

CREATE TABLE community_rooms (
  gateway_id   text PRIMARY KEY REFERENCES gateways (id),
  display_name text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- [opened_at, ends_at): ends_at is the timeout, or the check-out time once closed. No two sessions of
-- one room overlap, whoever writes (several hubs): the database refuses, as for device assignments.
CREATE TABLE measurement_sessions (
  id         text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$'),
  gateway_id text NOT NULL REFERENCES community_rooms (gateway_id),
  patient_id text NOT NULL REFERENCES patients (id),
  -- Registry user ids (pseudonymous): who checked the resident in, and out.
  opened_by  text NOT NULL,
  opened_at  timestamptz NOT NULL,
  ends_at    timestamptz NOT NULL CHECK (ends_at > opened_at),
  closed_at  timestamptz,
  closed_by  text,
  CONSTRAINT measurement_sessions_no_overlap EXCLUDE USING gist (gateway_id WITH =, tstzrange(opened_at, ends_at) WITH &&)
);
CREATE INDEX measurement_sessions_ends_idx ON measurement_sessions (ends_at);
