import { describe, expect, it } from 'vitest';
import type { AlertFact } from './alert-facts.js';
import { figures, groupFigures, patientWeeks } from './summarise.js';

const FROM = new Date('2026-03-01T00:00:00Z');
const TO = new Date('2026-03-29T00:00:00Z'); // four weeks

let n = 0;
function fact(extra: Partial<AlertFact>): AlertFact {
  return { id: `al-${++n}`, patientId: 'p-1', ruleId: 'threshold:blood_pressure.systolic', severity: 'medium', openedAt: new Date('2026-03-02T09:00:00Z'), localHour: 10, snoozes: 0, escalations: 0, backfilled: false, ...extra };
}

describe('alert quality figures', () => {
  it('PPV counts action taken among alerts with an outcome, and says how many have none', () => {
    const facts = [
      fact({ outcome: 'action_taken', action: 'call' }),
      fact({ outcome: 'action_taken', action: 'visit' }),
      fact({ outcome: 'false_alarm' }),
      fact({ outcome: 'no_action_needed' }),
      fact({ outcome: 'technical_or_measurement_error' }),
      fact({}),
      fact({}),
    ];
    const f = figures(facts, 2, FROM, TO);
    expect(f.ppv).toBe(0.4);
    expect(f.outcomes).toEqual({ action_taken: 2, no_action_needed: 1, technical_or_measurement_error: 1, false_alarm: 1, recorded: 5, none: 2 });
    expect(f.patientWeeks).toBe(8);
    expect(f.alertsPerPatientWeek).toBe(0.875);
  });

  it('time to acknowledge: median and p90 over the acknowledged, by severity and hour; the rest counted apart', () => {
    const seconds = [60, 120, 180, 240, 300, 360, 420, 480, 540, 3600];
    const facts = [
      ...seconds.map((s, i) => fact({ ackSeconds: s, severity: i < 5 ? 'high' : 'medium', localHour: i % 2 === 0 ? 8 : 23 })),
      fact({ severity: 'urgent' }),
    ];
    const t = figures(facts, 1, FROM, TO).timeToAcknowledge;
    expect(t.seconds).toEqual({ n: 10, median: 300, p90: 540 });
    expect(t.unacknowledged).toBe(1);
    expect(t.bySeverity).toEqual([
      { severity: 'medium', n: 5, median: 480, p90: 3600 },
      { severity: 'high', n: 5, median: 180, p90: 300 },
    ]);
    expect(t.byHour).toEqual([
      { hour: 8, n: 5, median: 300, p90: 540 },
      { hour: 23, n: 5, median: 360, p90: 3600 },
    ]);
  });

  it('counts escalations, snoozes, quiet-hour openings and missing readings by cause', () => {
    const facts = [
      fact({ escalations: 2, snoozes: 1, openedAt: new Date('2026-03-02T22:30:00Z') }), // 23:30 in Copenhagen
      fact({ snoozes: 2, openedAt: new Date('2026-03-02T12:00:00Z') }),
      fact({ ruleId: 'missing:body_weight', cause: 'not_measured' }),
      fact({ ruleId: 'missing:body_weight', cause: 'not_measured' }),
      fact({ ruleId: 'missing:spo2', cause: 'gateway_offline' }),
    ];
    const f = figures(facts, 1, FROM, TO, { from: '22:00', to: '07:00', timeZone: 'Europe/Copenhagen' });
    expect([f.escalated, f.snoozes, f.snoozedAlerts, f.inQuietHours]).toEqual([1, 3, 2, 1]);
    expect(f.missingByCause).toEqual({ not_measured: 2, gateway_offline: 1 });
    expect(f.ppv).toBeUndefined();
  });

  it('groups by rule over all patients, and by condition group over that group’s patients', () => {
    const facts = [fact({ patientId: 'p-1', outcome: 'action_taken', action: 'call' }), fact({ patientId: 'p-2', ruleId: 'news2', outcome: 'false_alarm' }), fact({ patientId: 'p-3' })];
    const groups = new Map([
      ['p-1', ['heart_failure', 'copd']],
      ['p-2', ['copd']],
      ['p-3', []],
      ['p-4', ['heart_failure']],
    ]);
    const byRule = groupFigures(facts, 'rule', groups, FROM, TO);
    expect(byRule.map((g) => [g.key, g.alerts, g.patients, g.ppv])).toEqual([
      ['news2', 1, 4, 0],
      ['threshold:blood_pressure.systolic', 2, 4, 1],
    ]);
    const byCondition = groupFigures(facts, 'condition', groups, FROM, TO);
    expect(byCondition.map((g) => [g.key, g.alerts, g.patients, g.alertsPerPatientWeek])).toEqual([
      ['copd', 2, 2, 0.25],
      ['heart_failure', 1, 2, 0.125],
      ['none', 1, 1, 0.25],
    ]);
    expect(patientWeeks(0, FROM, TO)).toBe(0);
  });
});
