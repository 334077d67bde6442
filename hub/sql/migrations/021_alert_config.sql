-- 021: what care teams configure for alerts, as JSON validated by zod in the hub:
-- per-patient rule configuration (hub/alerts/rules/config.ts PatientRuleConfig) and per-team
-- routing and escalation (hub/alerts/routing-config.ts TeamRoutingConfig). Who changed it and when.
CREATE TABLE alert_patient_rules (
  patient_id text PRIMARY KEY,
  config     jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL
);

CREATE TABLE alert_team_routing (
  care_team_id text PRIMARY KEY,
  config       jsonb NOT NULL,
  updated_at   timestamptz NOT NULL,
  updated_by   text NOT NULL
);
