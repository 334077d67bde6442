import { z } from 'zod';
import { ACTION_KINDS, ALERT_EVENT_TYPES, ALERT_SEVERITIES, ALERT_STATES, OUTCOME_KINDS, OutcomeInput } from '../../../contract/index.js';
import { CursorParam } from '../../pagination.js';
import { MESSAGE_KEYS } from './message.js';

const Instant = z.iso.datetime({ offset: true });
const Severity = z.enum(ALERT_SEVERITIES);
const State = z.enum(ALERT_STATES);
const TopicId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a care team id (lowercase letters, digits, - and _)');
const PatientId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a patient id');

/** Comma-separated list in a query string, e.g. `state=open,acknowledged`. */
function csv<T extends z.ZodType<string>>(item: T, what: string) {
  return z
    .string()
    .max(200)
    .transform((s, ctx) => {
      const out: z.output<T>[] = [];
      for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
        const r = item.safeParse(part);
        if (r.success) out.push(r.data);
        else ctx.addIssue({ code: 'custom', message: `"${part}" is not a ${what}` });
      }
      return out;
    });
}

export const AlertParams = z.object({
  alertId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected an alert id such as al-01j…'),
});

export const AlertListQuery = z.object({
  state: csv(State, `state (${ALERT_STATES.join(', ')})`).optional().describe('Comma-separated states; default: open,acknowledged'),
  severity: csv(Severity, `severity (${ALERT_SEVERITIES.join(', ')})`).optional().describe('Comma-separated severities'),
  audience: z.enum(['clinical', 'technical']).optional(),
  careTeamId: TopicId.optional(),
  patientId: PatientId.optional(),
  rule: z.string().min(1).max(128).optional().describe('Rule id, e.g. news2 or missing:body_weight'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: CursorParam.optional(),
});

const EvidenceValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const AlertOut = z.object({
  id: z.string(),
  patientId: z.string().optional(),
  gatewayId: z.string().optional(),
  deviceId: z.string().optional(),
  careTeamId: z.string(),
  rule: z.string(),
  audience: z.enum(['clinical', 'technical']),
  severity: Severity,
  state: State,
  condition: z.enum(['firing', 'cleared']).describe('What the rule said last'),
  summary: z.string().describe('What the rule said, in English'),
  message: z
    .object({
      key: z.enum(MESSAGE_KEYS),
      params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    })
    .optional()
    .describe(
      'The summary as a key and parameters, for saying it in the reader\'s language; absent for rules without a key (show `summary` then). ' +
        'Parameters by key — threshold: vital, component, unit (UCUM), value, op, limit, direction (high|low), readings; ' +
        'thresholdBackfilled: vital, component, unit, value, limit, wouldBe; news2: total, risk, scale, complete, missing (comma-separated), redScore; ' +
        'missing: vital, missed, dueAt, lastReadingAt, cause; gatewayOffline: gatewayId, since, reason; batteryLow: deviceId, batteryPercent; ' +
        'clockDrift: deviceId, clockOffsetS, direction (ahead|behind); weightGain: gainKg, fromKg, toKg, hours, limitKg, windowHours; ' +
        'baseline: vital, component, unit, value, median, deviation, method, count; implausible: vital, count, component, value. A parameter the alert lacks is left out.',
    ),
  cause: z.string().optional().describe('Missing readings: gateway_offline, no_device, battery_flat, device_not_seen or not_measured'),
  evidence: z.object({ readingIds: z.array(z.string()), values: z.record(z.string(), EvidenceValue) }),
  backfilled: z.boolean().describe('Raised from late (downloaded) readings only: never paged'),
  muted: z.boolean().describe("Inhibited while the home's gateway is offline"),
  openedAt: z.string(),
  updatedAt: z.string(),
  lastSeenAt: z.string(),
  occurrences: z.number().int(),
  acknowledgedAt: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  resolvedAt: z.string().optional(),
  resolvedBy: z.string().optional(),
  snooze: z.object({ until: z.string(), reason: z.string(), by: z.string() }).optional(),
  escalation: z.object({ tier: z.number().int(), nextEscalationAt: z.string().optional(), nextRepeatAt: z.string().optional() }),
  revision: z.number().int(),
  outcome: z
    .object({ kind: z.enum(OUTCOME_KINDS), action: z.enum(ACTION_KINDS).optional(), text: z.string().optional(), by: z.string(), at: z.string() })
    .optional()
    .describe('What it turned out to be, as last recorded (every recording is in the history)'),
});

export const AlertListResponse = z.object({ alerts: z.array(AlertOut), nextCursor: z.string().optional() });

export const AlertEventOut = z.object({
  revision: z.number().int(),
  type: z.enum(ALERT_EVENT_TYPES),
  actor: z.string().describe("A user id, or 'system'"),
  at: z.string(),
  fromState: State.nullable(),
  toState: State,
  severity: Severity,
  detail: z.record(z.string(), EvidenceValue),
});

export const AlertHistoryResponse = z.object({ alertId: z.string(), events: z.array(AlertEventOut) });

const Note = z.string().trim().min(1).max(1000);

/** What the alert turned out to be: action taken (with its kind), no action needed, a technical or measurement error, a false alarm. */
export const Outcome = OutcomeInput.describe('What the alert turned out to be; action_taken needs `action`');

export const AcknowledgeBody = z.object({ note: Note.optional(), outcome: Outcome.optional() }).strict().default({});
export const ResolveBody = z.object({ note: Note.optional(), outcome: Outcome.optional() }).strict().default({});
export const OutcomeBody = z.object({ outcome: Outcome }).strict();

export const SnoozeBody = z
  .object({
    until: Instant.optional().describe('End of the snooze (ISO 8601); or give `minutes`'),
    minutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
    reason: z.string().trim().min(1, 'a snooze needs a reason').max(500),
  })
  .strict()
  .refine((b) => (b.until === undefined) !== (b.minutes === undefined), { message: 'give either until or minutes', path: ['until'] });

export const CommentBody = z.object({ text: z.string().trim().min(1, 'must not be empty').max(2000) }).strict();

export const PatientParams = z.object({ patientId: PatientId });
export const TeamParams = z.object({ careTeamId: TopicId });

export const ConfigOut = z.object({
  config: z.record(z.string(), z.unknown()),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});

/** Validated in the handler by the rules' own schema, so errors name the field inside the document. */
export const ConfigBody = z.record(z.string(), z.unknown());
