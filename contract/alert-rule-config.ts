/**
 * The per-patient rule configuration a care team edits, as JSON: the body of
 * PUT /api/v1/patients/{id}/alert-rules and what the hub's rules parse (hub/alerts/rules/config.ts
 * turns it into the rules' PatientContext). It lives in contract/ because both parts read it: the API
 * validates and documents the body with it, the hub's engine evaluates it (DESIGN.md, "Layout").
 * Every field is optional and falls back to the defaults of the rule files; see docs/alerts.md.
 */
import { z } from 'zod';
import { VITAL_KINDS, componentSpec, isVitalKind, type VitalKind } from './catalogue.js';
import { ALERT_SEVERITIES } from './schemas/alert.js';
import { isTimeZone } from './time-zone.js';

/** The condition groups a patient can belong to (registry column and rule JSON). */
export const CONDITION_GROUPS = ['copd', 'heart_failure', 'hypertension', 'diabetes'] as const;
export type ConditionGroup = (typeof CONDITION_GROUPS)[number];

/** The seven NEWS2 parameters (RCP 2017 chart). */
export type News2Parameter = 'respirationRate' | 'spo2' | 'airOrOxygen' | 'systolicBP' | 'pulse' | 'consciousness' | 'temperature';
export const NEWS2_PARAMETERS: readonly News2Parameter[] = ['respirationRate', 'spo2', 'airOrOxygen', 'systolicBP', 'pulse', 'consciousness', 'temperature'];

/** `${kind}.${component}`, e.g. blood_pressure.systolic: the key of thresholds and baselines. */
export type ComponentKey = `${VitalKind}.${string}`;

const Severity = z.enum(ALERT_SEVERITIES);
const Hhmm = z.string().regex(/^([01]\d|2[0-3]):([0-5]\d)$/, 'expected a local time HH:MM');
const Instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

function isComponentKey(key: string): key is ComponentKey {
  const dot = key.indexOf('.');
  const kind = key.slice(0, dot);
  return dot > 0 && isVitalKind(kind) && componentSpec(kind, key.slice(dot + 1)) !== undefined;
}

const Key = z.string().refine(isComponentKey, { message: 'expected <kind>.<component> from the catalogue, e.g. blood_pressure.systolic' });

const Band = (ops: readonly ['>=', '>'] | readonly ['<=', '<']) => z.object({ op: z.enum(ops), limit: z.number().finite(), severity: Severity }).strict();

const ThresholdOverrideSchema = z
  .object({
    high: z.array(Band(['>=', '>'])).max(8),
    low: z.array(Band(['<=', '<'])).max(8),
    hysteresis: z.number().nonnegative(),
    consecutive: z.number().int().min(1).max(20),
    sustainedMinutes: z.number().nonnegative().max(7 * 24 * 60),
    lookbackHours: z.number().positive().max(31 * 24),
    disabled: z.boolean(),
  })
  .partial()
  .strict();

const ScheduleCommon = {
  kind: z.enum(VITAL_KINDS),
  graceMinutes: z.number().int().min(0).max(24 * 60).optional(),
  severity: Severity.optional(),
  escalateAfterMissed: z.number().int().min(1).max(14).optional(),
  escalatedSeverity: Severity.optional(),
};

const DaysOfWeek = z
  .array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6), z.literal(7)]))
  .min(1)
  .max(7)
  .optional();

const Schedule = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('daily'),
      by: Hhmm,
      from: Hhmm.optional(),
      daysOfWeek: DaysOfWeek,
      ...ScheduleCommon,
    })
    .strict(),
  z.object({ type: z.literal('interval'), everyHours: z.number().positive().max(24 * 14), ...ScheduleCommon }).strict(),
]);

/** A questionnaire schedule: the timing of a reading schedule, naming a questionnaire instead of a kind. */
const QuestionnaireTiming = {
  questionnaire: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a questionnaire id, e.g. copd-symptoms'),
  graceMinutes: ScheduleCommon.graceMinutes,
  severity: ScheduleCommon.severity,
  escalateAfterMissed: ScheduleCommon.escalateAfterMissed,
  escalatedSeverity: ScheduleCommon.escalatedSeverity,
};
const QuestionnaireScheduleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('daily'), by: Hhmm, from: Hhmm.optional(), daysOfWeek: DaysOfWeek, ...QuestionnaireTiming }).strict(),
  z.object({ type: z.literal('interval'), everyHours: z.number().positive().max(24 * 14), ...QuestionnaireTiming }).strict(),
]);

const Baseline = z
  .object({
    key: Key,
    days: z.number().positive().max(90),
    minCount: z.number().int().min(3).max(1000),
    method: z.enum(['absolute', 'mad']),
    threshold: z.number().positive(),
    minScale: z.number().nonnegative().optional(),
    direction: z.enum(['high', 'low', 'both']),
    severity: Severity,
    maxAgeHours: z.number().positive().max(24 * 14).default(24),
  })
  .strict();

/** An IANA zone the runtime knows; Copenhagen when not given. Shared with the teams' routing (quiet hours). */
export const TimeZone = z.string().refine(isTimeZone, { message: 'expected an IANA time zone, e.g. Europe/Copenhagen' }).default('Europe/Copenhagen');

export const PatientRuleConfig = z
  .object({
    timeZone: TimeZone,
    conditionGroups: z.array(z.enum(CONDITION_GROUPS)).max(CONDITION_GROUPS.length).default([]),
    hypercapnicRespiratoryFailure: z.boolean().default(false),
    onLongTermOxygen: z.boolean().optional(),
    monitoringSince: Instant.optional(),
    thresholds: z.record(Key, ThresholdOverrideSchema).default({}),
    schedules: z.array(Schedule).max(32).default([]),
    /** Questionnaires the resident is expected to answer (a missed one: "resident did not answer"). */
    questionnaires: z.array(QuestionnaireScheduleSchema).max(16).default([]),
    passive: z
      .array(z.object({ from: Instant, to: Instant.optional(), reason: z.string().min(1).max(200) }).strict())
      .max(100)
      .default([])
      .refine((list) => list.every((p) => p.to === undefined || p.to > p.from), { message: 'a passive interval must end after it starts' }),
    news2: z
      .object({
        enabled: z.boolean(),
        windowHours: z.number().positive().max(72),
        fireFromTotal: z.number().int().min(1).max(20),
        parameterWindowHours: z.partialRecord(z.enum(NEWS2_PARAMETERS as [News2Parameter, ...News2Parameter[]]), z.number().positive().max(72)),
      })
      .partial()
      .strict()
      .optional(),
    weightGain: z
      .object({
        enabled: z.boolean(),
        gainKg: z.number().positive().max(20),
        windowHours: z.number().positive().max(24 * 14),
        hysteresisKg: z.number().nonnegative(),
        severity: Severity,
        maxAgeHours: z.number().positive().max(24 * 14),
      })
      .partial()
      .strict()
      .optional(),
    baselines: z.array(Baseline).max(32).optional(),
  })
  .strict();

/** What the care team writes (JSON). */
export type PatientRuleConfigInput = z.input<typeof PatientRuleConfig>;
export type PatientRuleConfig = z.output<typeof PatientRuleConfig>;
