/**
 * Severity order and how it maps onto the OpenTele red/yellow/green triage model used in Danish
 * telemedicine (OpenTele, Region Midtjylland / Region Nordjylland): red = act now, yellow = look at
 * it today, green = within expected range. Our five contract severities are finer:
 *
 *   urgent -> red    (page now, any hour: e.g. NEWS2 >= 7, glucose < 3.0 mmol/L)
 *   high   -> red    (page within the care team's working hours, escalate if unacknowledged)
 *   medium -> yellow (review today)
 *   low    -> yellow (review at the next routine round)
 *   info   -> green  (shown on the dashboard, never notifies)
 */
import { ALERT_SEVERITIES, type AlertSeverity } from '../../../contract/index.js';
import type { FindingEvidence, RuleFinding } from './types.js';

export type TriageColour = 'red' | 'yellow' | 'green';

export const OPENTELE_COLOUR: Readonly<Record<AlertSeverity, TriageColour>> = {
  urgent: 'red',
  high: 'red',
  medium: 'yellow',
  low: 'yellow',
  info: 'green',
};

/** 0 = info ... 4 = urgent. */
export function severityRank(severity: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(severity);
}

export function maxSeverity(a: AlertSeverity, b: AlertSeverity): AlertSeverity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

export function atLeast(severity: AlertSeverity, floor: AlertSeverity): boolean {
  return severityRank(severity) >= severityRank(floor);
}

/** A finding that notifies someone (everything but info). */
export function isPaging(severity: AlertSeverity): boolean {
  return severity !== 'info';
}

const NO_EVIDENCE: FindingEvidence = { readingIds: [], values: {} };

/** The finding a rule returns when an open alert's condition no longer holds. */
export function clearedFinding(
  ruleId: string,
  audience: RuleFinding['audience'],
  severity: AlertSeverity,
  summary: string,
  evidence: FindingEvidence = NO_EVIDENCE,
): RuleFinding {
  return { ruleId, audience, severity, summary, evidence, condition: 'cleared' };
}
