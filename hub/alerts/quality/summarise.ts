/**
 * Alert quality figures from per-alert facts (alert-facts.ts), pure. Definitions (docs/alerts.md):
 * - alerts per patient-week: alerts opened / (patients × days of the period / 7);
 * - PPV: alerts whose latest outcome is action_taken / alerts with any outcome; alerts without an
 *   outcome are counted apart (`outcomes.none`), never as negatives;
 * - time to acknowledge: opening to the first acknowledgement by a person, over the alerts that
 *   were acknowledged (median and p90, nearest rank), by severity and by local hour of opening;
 * - escalated: alerts paged to a further tier because nobody acknowledged in time;
 * - quiet hours: alerts opened inside the team's quiet hours.
 */
import { ALERT_SEVERITIES, type AlertSeverity } from '../../../contract/index.js';
import { quietHoursEnd, type QuietHours } from '../quiet-hours.js';
import { OUTCOME_KINDS, type OutcomeKind } from '../outcome.js';
import type { AlertFact } from './alert-facts.js';
import { spread, type Spread } from './percentiles.js';

export interface QualityFigures {
  readonly alerts: number;
  readonly patients: number;
  readonly patientWeeks: number;
  /** undefined when there are no patient-weeks. */
  readonly alertsPerPatientWeek?: number;
  readonly outcomes: Readonly<Record<OutcomeKind, number>> & { readonly recorded: number; readonly none: number };
  /** Share with action taken among those with an outcome; undefined when none has one. */
  readonly ppv?: number;
  readonly timeToAcknowledge: {
    readonly seconds: Spread;
    readonly unacknowledged: number;
    readonly bySeverity: readonly ({ readonly severity: AlertSeverity } & Spread)[];
    readonly byHour: readonly ({ readonly hour: number } & Spread)[];
  };
  readonly escalated: number;
  readonly snoozes: number;
  readonly snoozedAlerts: number;
  readonly inQuietHours: number;
  readonly missingByCause: Readonly<Record<string, number>>;
}

export interface GroupFigures extends QualityFigures {
  readonly key: string;
}

const DAY_MS = 86_400_000;

export function patientWeeks(patients: number, from: Date, to: Date): number {
  return (patients * (to.getTime() - from.getTime())) / DAY_MS / 7;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export function figures(facts: readonly AlertFact[], patients: number, from: Date, to: Date, quiet?: QuietHours): QualityFigures {
  const weeks = patientWeeks(patients, from, to);
  const outcomes = Object.fromEntries(OUTCOME_KINDS.map((k) => [k, 0])) as Record<OutcomeKind, number>;
  const acked: number[] = [];
  const bySeverity = new Map<AlertSeverity, number[]>();
  const byHour = new Map<number, number[]>();
  const missingByCause: Record<string, number> = {};
  let escalated = 0;
  let snoozes = 0;
  let snoozedAlerts = 0;
  let inQuietHours = 0;
  for (const f of facts) {
    if (f.outcome) outcomes[f.outcome]++;
    if (f.ackSeconds !== undefined) {
      acked.push(f.ackSeconds);
      bySeverity.set(f.severity, [...(bySeverity.get(f.severity) ?? []), f.ackSeconds]);
      byHour.set(f.localHour, [...(byHour.get(f.localHour) ?? []), f.ackSeconds]);
    }
    if (f.escalations > 0) escalated++;
    snoozes += f.snoozes;
    if (f.snoozes > 0) snoozedAlerts++;
    if (quiet && quietHoursEnd(f.openedAt, quiet) !== undefined) inQuietHours++;
    if (f.ruleId.startsWith('missing:')) missingByCause[f.cause ?? 'unknown'] = (missingByCause[f.cause ?? 'unknown'] ?? 0) + 1;
  }
  const recorded = OUTCOME_KINDS.reduce((n, k) => n + outcomes[k], 0);
  return {
    alerts: facts.length,
    patients,
    patientWeeks: round(weeks, 3),
    ...(weeks > 0 ? { alertsPerPatientWeek: round(facts.length / weeks, 3) } : {}),
    outcomes: { ...outcomes, recorded, none: facts.length - recorded },
    ...(recorded > 0 ? { ppv: round(outcomes.action_taken / recorded, 4) } : {}),
    timeToAcknowledge: {
      seconds: spread(acked),
      unacknowledged: facts.length - acked.length,
      bySeverity: ALERT_SEVERITIES.flatMap((severity) => (bySeverity.has(severity) ? [{ severity, ...spread(bySeverity.get(severity)!) }] : [])),
      byHour: [...byHour.keys()].sort((a, b) => a - b).map((hour) => ({ hour, ...spread(byHour.get(hour)!) })),
    },
    escalated,
    snoozes,
    snoozedAlerts,
    inQuietHours,
    missingByCause,
  };
}

export type GroupBy = 'rule' | 'condition';

/**
 * Figures per rule id, or per condition group of the alert's patient (a patient in two groups
 * counts in both; one in none under 'none'). Per rule the denominator is every patient of the team;
 * per condition group, the patients of that group.
 */
export function groupFigures(
  facts: readonly AlertFact[],
  groupBy: GroupBy,
  patientGroups: ReadonlyMap<string, readonly string[]>,
  from: Date,
  to: Date,
  quiet?: QuietHours,
): GroupFigures[] {
  const buckets = new Map<string, AlertFact[]>();
  const add = (key: string, f: AlertFact) => buckets.set(key, [...(buckets.get(key) ?? []), f]);
  const groupsOf = (patientId: string) => {
    const g = patientGroups.get(patientId) ?? [];
    return g.length > 0 ? g : ['none'];
  };
  for (const f of facts) {
    if (groupBy === 'rule') add(f.ruleId, f);
    else for (const g of groupsOf(f.patientId)) add(g, f);
  }
  const membersOf = (key: string) => (groupBy === 'rule' ? patientGroups.size : [...patientGroups.keys()].filter((p) => groupsOf(p).includes(key)).length);
  return [...buckets.keys()].sort().map((key) => ({ key, ...figures(buckets.get(key)!, membersOf(key), from, to, quiet) }));
}
