-- 080: kiosk check-in in community rooms (hub/rooms/kiosk.ts, docs/community-room.md "Kiosk").
-- A kiosk link lets one room's kiosk page (no user sign-in) check residents in; a resident proves who
-- they are with the personal check-in code on their card; a kiosk session token lets that page read
-- its own session and check out. Only hashes are stored: the link token and the kiosk session token
-- are 256-bit random values (SHA-256 is enough), the card code's secret part is short and typed, so
-- it is an scrypt hash (as gateway secrets are), found through the code's public part.

CREATE TABLE kiosk_links (
  id          text PRIMARY KEY CHECK (id ~ '^kio_[A-Za-z0-9]{1,64}$'),
  gateway_id  text NOT NULL REFERENCES community_rooms (gateway_id),
  token_hash  text NOT NULL UNIQUE,
  label       text NOT NULL,
  -- How long a check-in at this kiosk lasts: the room's measuring slot, decided by staff, not by whoever stands at the screen.
  session_minutes integer NOT NULL DEFAULT 10 CHECK (session_minutes BETWEEN 1 AND 30),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  revoked_by  text
);
CREATE INDEX kiosk_links_room_idx ON kiosk_links (gateway_id);

-- One card per resident: a new card replaces the old one (the old code stops working at once).
-- code_id is the card code's first four characters (looked up); secret_hash the scrypt of the rest.
CREATE TABLE checkin_codes (
  patient_id  text PRIMARY KEY REFERENCES patients (id),
  code_id     text NOT NULL UNIQUE CHECK (code_id ~ '^[0-9A-Z]{4}$'),
  secret_hash text NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- The kiosk page's hold on the session it opened: valid only while that measurement session runs.
CREATE TABLE kiosk_sessions (
  token_hash  text PRIMARY KEY,
  link_id     text NOT NULL REFERENCES kiosk_links (id),
  session_id  text NOT NULL UNIQUE REFERENCES measurement_sessions (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
