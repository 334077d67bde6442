import { z } from 'zod';
import { ALERT_SEVERITIES, OUTCOME_KINDS } from '../../../contract/index.js';

const Instant = z.iso.datetime({ offset: true });
const TeamId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a care team id (lowercase letters, digits, - and _)');
const ConditionGroup = z.string().regex(/^[a-z_]{1,32}$/, 'expected a condition group, e.g. heart_failure');
const PatientId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a patient id');

export const AnalyticsQuery = z
  .object({
    careTeamId: TeamId,
    from: Instant.optional().describe('Start of the period (alerts opened at or after); default: 30 days before `to`'),
    to: Instant.optional().describe('End of the period (exclusive); default: now'),
    groupBy: z.enum(['rule', 'condition']).optional().describe('Also give the figures per rule id, or per condition group of the patient'),
    conditionGroup: ConditionGroup.optional().describe("Only this condition group's patients: their alerts, and only them in the patient-weeks"),
    format: z.enum(['json', 'csv']).default('json').describe('csv: one line per group (and one for all), as from /analytics/alerts.csv'),
  })
  .strict();

const Spread = z.object({ n: z.number().int(), median: z.number().optional(), p90: z.number().optional() });

export const Figures = z.object({
  alerts: z.number().int(),
  patients: z.number().int(),
  patientWeeks: z.number(),
  alertsPerPatientWeek: z.number().optional(),
  outcomes: z.object({
    action_taken: z.number().int(),
    no_action_needed: z.number().int(),
    technical_or_measurement_error: z.number().int(),
    false_alarm: z.number().int(),
    recorded: z.number().int().describe(`Alerts with an outcome (${OUTCOME_KINDS.join(', ')})`),
    none: z.number().int().describe('Alerts without an outcome: not in the PPV'),
  }),
  ppv: z.number().optional().describe('Share with outcome action_taken among the alerts with an outcome'),
  timeToAcknowledge: z.object({
    seconds: Spread.describe('Opening to the first acknowledgement, over the acknowledged alerts (nearest-rank median and p90)'),
    unacknowledged: z.number().int(),
    bySeverity: z.array(Spread.extend({ severity: z.enum(ALERT_SEVERITIES) })),
    byHour: z.array(Spread.extend({ hour: z.number().int().min(0).max(23) })).describe('By local hour of opening'),
  }),
  escalated: z.number().int().describe('Alerts paged to a further tier because nobody acknowledged in time'),
  snoozes: z.number().int(),
  snoozedAlerts: z.number().int(),
  inQuietHours: z.number().int().describe("Alerts opened inside the team's quiet hours"),
  missingByCause: z.record(z.string(), z.number().int()),
});

export const AnalyticsResponse = z.object({
  careTeamId: z.string(),
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  quietHours: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }).optional(),
  conditionGroup: z.string().optional(),
  overall: Figures,
  groupBy: z.enum(['rule', 'condition']).optional(),
  groups: z.array(Figures.extend({ key: z.string() })),
});

export const BacktestBody = z
  .object({
    population: z
      .union([z.object({ patientId: PatientId }).strict(), z.object({ careTeamId: TeamId, conditionGroup: ConditionGroup.optional() }).strict()])
      .describe('One patient, or a care team (optionally one condition group of it)'),
    config: z.record(z.string(), z.unknown()).describe('The candidate rule configuration, as PUT /patients/{patientId}/alert-rules takes it'),
    from: Instant.optional().describe('Default: 30 days before `to`'),
    to: Instant.optional().describe('Default: now'),
    tickMinutes: z.number().int().min(15).max(1440).default(240).describe('Timer evaluations between readings (the live engine: every 5 minutes)'),
  })
  .strict();

const Replayed = z.object({ patientId: z.string(), rule: z.string(), severity: z.enum(ALERT_SEVERITIES), at: z.string(), resolvedAt: z.string().optional() });
const Missed = z.object({ alertId: z.string(), patientId: z.string(), rule: z.string(), openedAt: z.string() });
const ConfigOutcome = z.object({
  alerts: z.number().int(),
  alertsPerPatientWeek: z.number().optional(),
  byRule: z.record(z.string(), z.number().int()),
  list: z.array(Replayed),
  listTruncated: z.boolean(),
  missedActioned: z.array(Missed).describe('Past alerts with outcome action_taken this configuration would not have raised'),
});

export const BacktestResponse = z.object({
  from: z.string(),
  to: z.string(),
  tickMinutes: z.number().int(),
  patients: z.number().int(),
  patientWeeks: z.number(),
  readings: z.number().int(),
  truncatedPatients: z.array(z.string()),
  actionedAlerts: z.number().int().describe('Alerts of the population opened in the period whose outcome is action_taken'),
  current: ConfigOutcome,
  candidate: ConfigOutcome,
  elapsedMs: z.number().int(),
});
