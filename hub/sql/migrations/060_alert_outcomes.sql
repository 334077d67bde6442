-- 060: what an alert turned out to be (hub/alerts/outcome.ts, issue #14). Every recording and
-- correction is an 'outcome_recorded' event in alert_events (append-only); these columns keep the
-- latest one on the alert so the analytics read it without replaying the history.
ALTER TABLE alerts ADD COLUMN outcome_kind text
  CHECK (outcome_kind IN ('action_taken', 'no_action_needed', 'technical_or_measurement_error', 'false_alarm'));
ALTER TABLE alerts ADD COLUMN outcome_action text
  CHECK (outcome_action IN ('call', 'visit', 'gp_or_hospital_contact', 'medication_change'));
ALTER TABLE alerts ADD COLUMN outcome_text text;
ALTER TABLE alerts ADD COLUMN outcome_by text;
ALTER TABLE alerts ADD COLUMN outcome_at timestamptz;
-- An action kind exactly when the outcome is action_taken.
ALTER TABLE alerts ADD CONSTRAINT alerts_outcome_consistent
  CHECK (CASE WHEN outcome_kind IS NULL THEN outcome_action IS NULL ELSE (outcome_kind = 'action_taken') = (outcome_action IS NOT NULL) END);
