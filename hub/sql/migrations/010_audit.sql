-- 010: the access log of patient data (hub/audit/). Danish and Swedish patient-data law require a
-- record of who read or changed which patient's data, when and from where. Append-only: the API
-- has no route that changes it, and the triggers below refuse UPDATE, DELETE and TRUNCATE for
-- every role except through ALTER TABLE ... DISABLE TRIGGER by the table owner (a deliberate,
-- visible act, e.g. for a retention purge decided by the organisation).
CREATE TABLE audit_log (
  -- ULID made by the API when the access happened: unique and ordered by time.
  id          text PRIMARY KEY,
  at          timestamptz NOT NULL,
  user_id     text NOT NULL,
  role        text NOT NULL,
  -- e.g. readings.read, patient.update, export.fhir, live.alert
  action      text NOT NULL,
  -- HTTP method and route pattern, e.g. GET /api/v1/patients/:patientId/readings
  route       text NOT NULL,
  -- NULL for accesses that concern no single patient (opening the live stream). No foreign key:
  -- refused requests are logged with the id that was asked for, which may not exist.
  patient_id  text,
  address     text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('allowed', 'attempted', 'denied', 'not_found', 'invalid', 'failed')),
  status      smallint NOT NULL,
  request_id  text NOT NULL
);
-- The admin queries: by patient, by user, by period; newest first.
CREATE INDEX audit_log_patient_idx ON audit_log (patient_id, at DESC, id DESC);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at DESC, id DESC);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
