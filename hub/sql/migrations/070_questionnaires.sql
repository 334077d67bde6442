-- 070: questionnaires as data (issue #12 item 4). The shipped definitions live in code
-- (contract/questionnaires/defaults.ts); an organisation's own versions are rows here, immutable once
-- written (a change is a new version). Responses name the version they answered. A resident's answer
-- link is a single-use, short-lived token of which only the SHA-256 is kept.

CREATE TABLE questionnaire_definitions (
  id          text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  version     integer NOT NULL CHECK (version >= 1),
  definition  jsonb NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);

CREATE TABLE questionnaire_responses (
  id                    text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$'),
  patient_id            text NOT NULL REFERENCES patients (id),
  questionnaire_id      text NOT NULL,
  questionnaire_version integer NOT NULL,
  answered_at           timestamptz NOT NULL,
  entered_at            timestamptz NOT NULL,
  -- staff: a user typed it in (entered_by, entered_role); resident: through an answer link (link_id).
  channel               text NOT NULL CHECK (channel IN ('staff', 'resident')),
  entered_by            text,
  entered_role          text,
  link_id               text,
  answers               jsonb NOT NULL,
  scores                jsonb NOT NULL,
  CHECK ((channel = 'staff' AND entered_by IS NOT NULL AND entered_role IS NOT NULL) OR (channel = 'resident' AND link_id IS NOT NULL))
);
CREATE INDEX questionnaire_responses_patient_idx ON questionnaire_responses (patient_id, questionnaire_id, answered_at DESC);

CREATE TABLE questionnaire_links (
  id                    text PRIMARY KEY,
  token_sha256          text NOT NULL UNIQUE,
  patient_id            text NOT NULL REFERENCES patients (id),
  questionnaire_id      text NOT NULL,
  questionnaire_version integer NOT NULL,
  created_by            text NOT NULL,
  created_at            timestamptz NOT NULL,
  expires_at            timestamptz NOT NULL CHECK (expires_at > created_at),
  used_at               timestamptz,
  response_id           text REFERENCES questionnaire_responses (id)
);
