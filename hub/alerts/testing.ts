/** Fixture builders for the alert lifecycle, routing and engine tests (imported by *.test.ts only). */
import type { AlertSeverity } from '../../contract/index.js';
import type { FindingContext } from './lifecycle.js';
import { NO_ESCALATION, patientSubject, type AlertRecord } from './model.js';
import type { RuleFinding } from './rules/index.js';
import { TeamRoutingConfig, type TeamRoutingConfigInput } from './routing-config.js';

export const T0 = new Date('2026-03-02T09:00:00Z');
export const minutesAfter = (m: number, from: Date = T0): Date => new Date(from.getTime() + m * 60_000);

export function finding(extra: Partial<RuleFinding> = {}): RuleFinding {
  return {
    ruleId: 'threshold:blood_pressure.systolic',
    audience: 'clinical',
    severity: 'medium',
    summary: 'Systolic BP 185 mmHg (>= 180)',
    evidence: { readingIds: ['r1'], values: { value: 185 } },
    condition: 'firing',
    ...extra,
  };
}

export function cleared(ruleId = 'threshold:blood_pressure.systolic', severity: AlertSeverity = 'medium'): RuleFinding {
  return finding({ ruleId, severity, condition: 'cleared', summary: 'Systolic BP back in range' });
}

let ids = 0;

export function ctx(now: Date = T0, extra: Partial<FindingContext> = {}): FindingContext {
  return { now, subjectKey: patientSubject('p-1'), patientId: 'p-1', careTeamId: 'team-north', newId: () => `al-test-${++ids}`, homeOffline: false, ...extra };
}

export function alert(extra: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id: 'al-1',
    subjectKey: patientSubject('p-1'),
    patientId: 'p-1',
    careTeamId: 'team-north',
    ruleId: 'threshold:blood_pressure.systolic',
    audience: 'clinical',
    severity: 'medium',
    state: 'open',
    condition: 'firing',
    summary: 'Systolic BP 185 mmHg (>= 180)',
    evidence: { readingIds: ['r1'], values: {} },
    backfilled: false,
    openedAt: T0,
    updatedAt: T0,
    lastSeenAt: T0,
    occurrences: 1,
    muted: false,
    revision: 1,
    escalation: NO_ESCALATION,
    ...extra,
  };
}

const hook = (name: string) => ({ channel: 'webhook' as const, url: `http://127.0.0.1:9/${name}`, secret: `secret-${name}-0123456789` });

/** Nurse (tier 1, all paging severities), team lead (tier 2, high and urgent), technical support. */
export function routing(extra: Partial<TeamRoutingConfigInput> = {}): TeamRoutingConfig {
  return TeamRoutingConfig.parse({
    tiers: [
      { name: 'on-duty nurse', targets: [hook('nurse'), { channel: 'email', to: ['nurse@example.org'] }] },
      { name: 'team lead', targets: [hook('lead')], severities: ['medium', 'high', 'urgent'] },
    ],
    technicalTiers: [{ name: 'technical support', targets: [hook('tech')] }],
    escalateAfterMinutes: { urgent: 5, high: 15, medium: 60 },
    repeatEveryMinutes: { urgent: 10, high: 30 },
    ...extra,
  });
}
