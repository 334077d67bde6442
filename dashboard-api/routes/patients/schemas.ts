import { z } from 'zod';
import { ALERT_SEVERITIES, PatientRuleConfig, VITAL_KINDS } from '../../../contract/index.js';
import { Id, InstantOut, PatientId, PatientParams } from '../../common-schemas.js';
import { ReadingComponentOut } from '../readings/schemas.js';

export { PatientParams };

export const WorklistQuery = z.object({
  careTeamId: Id.optional().describe('Only this care team (one of yours; admins: any)'),
});

const LatestVitalOut = z.object({
  kind: z.enum(VITAL_KINDS),
  readingId: z.string(),
  measuredAt: InstantOut,
  components: z.array(ReadingComponentOut),
  implausible: z.boolean(),
});

const RiskOut = {
  openAlerts: z.number().int().nonnegative(),
  highestSeverity: z.enum(ALERT_SEVERITIES).nullable().describe('Of the open alerts; null when none'),
  news2: z
    .object({ total: z.number().int(), at: InstantOut, missing: z.array(z.string()) })
    .nullable()
    .describe('NEWS2 (RCP 2017) as last scored by the alert engine; null when not available'),
};

/** What a page needs to show a patient's rows in context: the filterable groups and the home's local time. */
const PatientContextOut = {
  conditionGroups: z.array(z.string()).describe('Condition groups the care team assigned (e.g. copd, heart_failure); filterable in the worklist'),
  timeZone: z.string().optional().describe("IANA time zone of the patient's home: times are shown and days bucketed in it"),
};

export const WorklistResponse = z.object({
  lookbackDays: z.number().int().describe('Latest vitals older than this are not shown'),
  patients: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      careTeamId: z.string(),
      ...PatientContextOut,
      latest: z.array(LatestVitalOut).describe('Latest reading per kind'),
      ...RiskOut,
    }),
  ),
});

/**
 * The per-patient rule configuration: condition groups, expected reading schedules, threshold
 * overrides, passive (paused) intervals, NEWS2 and trend settings. The alert rules' own schema, so
 * what is accepted here is exactly what the engine understands (docs/alerts.md).
 */
export const RulesIn = PatientRuleConfig;

export const RulesOut = z
  .record(z.string(), z.unknown())
  .describe('The rule configuration as stored (accepted by the PatientRuleConfig schema on the way in); see docs/alerts.md');

export const CreatePatientBody = z
  .object({
    id: PatientId,
    careTeamId: Id,
    displayName: z.string().trim().min(1).max(200),
    rules: RulesIn.optional(),
  })
  .strict();

export const UpdatePatientBody = z
  .object({
    careTeamId: Id.optional(),
    displayName: z.string().trim().min(1).max(200).optional(),
    rules: RulesIn.optional().describe('Replaces the whole rule configuration'),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'send at least one of careTeamId, displayName, rules' });

export const PatientDetail = z.object({
  id: z.string(),
  displayName: z.string(),
  careTeamId: z.string(),
  ...PatientContextOut,
  rules: RulesOut,
  createdAt: InstantOut,
  updatedAt: InstantOut,
  latest: z.array(LatestVitalOut),
  ...RiskOut,
});
