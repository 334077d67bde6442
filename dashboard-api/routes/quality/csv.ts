/** The alert analytics as CSV (RFC 4180): one line for all alerts of the period, then one per group. */
import type { AnalyticsReport } from '../../../hub/alerts/quality/alert-quality.js';
import type { QualityFigures } from '../../../hub/alerts/quality/summarise.js';
import { csvCell } from '../export/csv.js';

export const ANALYTICS_CSV_HEADER = [
  'group_by',
  'group',
  'alerts',
  'patients',
  'patient_weeks',
  'alerts_per_patient_week',
  'outcomes_recorded',
  'outcomes_none',
  'action_taken',
  'no_action_needed',
  'technical_or_measurement_error',
  'false_alarm',
  'ppv',
  'acknowledged',
  'unacknowledged',
  'ack_median_s',
  'ack_p90_s',
  'escalated',
  'snoozes',
  'in_quiet_hours',
  'missing_readings',
] as const;

function line(groupBy: string, key: string, f: QualityFigures): string {
  const t = f.timeToAcknowledge;
  const missing = Object.values(f.missingByCause).reduce((a, b) => a + b, 0);
  return [
    groupBy,
    key,
    f.alerts,
    f.patients,
    f.patientWeeks,
    f.alertsPerPatientWeek,
    f.outcomes.recorded,
    f.outcomes.none,
    f.outcomes.action_taken,
    f.outcomes.no_action_needed,
    f.outcomes.technical_or_measurement_error,
    f.outcomes.false_alarm,
    f.ppv,
    t.seconds.n,
    t.unacknowledged,
    t.seconds.median,
    t.seconds.p90,
    f.escalated,
    f.snoozes,
    f.inQuietHours,
    missing,
  ]
    .map(csvCell)
    .join(',');
}

export function analyticsCsv(report: AnalyticsReport): string {
  const lines = [ANALYTICS_CSV_HEADER.join(','), line('all', 'all', report.overall), ...report.groups.map((g) => line(report.groupBy ?? '', g.key, g))];
  return `${lines.join('\r\n')}\r\n`;
}
