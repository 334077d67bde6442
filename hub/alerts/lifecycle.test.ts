import { describe, it, expect } from 'vitest';
import { LifecycleError, acknowledge, applyFinding, comment, expireSnooze, recordOutcome, resolve, snooze, type Transition } from './lifecycle.js';
import type { AlertRecord } from './model.js';
import type { RuleFinding } from './rules/index.js';
import { T0, alert, cleared, ctx, finding, minutesAfter } from './testing.js';

const LATER = minutesAfter(10);
const snoozed = (severity: AlertRecord['severity'] = 'medium', extra: Partial<AlertRecord> = {}): AlertRecord =>
  alert({ severity, snooze: { until: minutesAfter(60), reason: 'nurse visiting at 11', by: 'u-nurse', severity }, ...extra });
const missing = (extra: Partial<RuleFinding> = {}): RuleFinding =>
  finding({ ruleId: 'missing:body_weight', summary: 'No body weight reading', cause: 'not_measured', ...extra });

/** What a transition did, in one comparable line. */
function outcome(t: Transition | undefined): unknown {
  if (!t) return 'nothing';
  return { state: t.alert.state, severity: t.alert.severity, events: t.events.map((e) => e.type), page: t.page ?? null };
}

describe('applyFinding', () => {
  const cases: { name: string; current?: AlertRecord; finding: RuleFinding; homeOffline?: boolean; expected: unknown }[] = [
    { name: 'a new firing finding opens an alert and pages', finding: finding(), expected: { state: 'open', severity: 'medium', events: ['opened'], page: 'opened' } },
    { name: 'a cleared finding without an alert does nothing', finding: cleared(), expected: 'nothing' },
    { name: 'an info finding opens an alert that never pages', finding: finding({ severity: 'info' }), expected: { state: 'open', severity: 'info', events: ['opened'], page: null } },
    {
      name: 'a backfilled finding never pages, whatever its severity',
      finding: finding({ ruleId: 'threshold:blood_pressure.systolic:backfilled', severity: 'high', backfilled: true }),
      expected: { state: 'open', severity: 'high', events: ['opened'], page: null },
    },
    { name: 'a missing reading of an offline home opens muted', finding: missing({ cause: 'gateway_offline', audience: 'technical' }), homeOffline: true, expected: { state: 'open', severity: 'medium', events: ['opened'], page: null } },
    { name: 'a repeat at the same severity is silent', current: alert(), finding: finding(), expected: { state: 'open', severity: 'medium', events: [], page: null } },
    { name: 'a worse reading raises the severity and pages', current: alert(), finding: finding({ severity: 'high' }), expected: { state: 'open', severity: 'high', events: ['severity_raised'], page: 'severity_raised' } },
    {
      name: 'a worse reading re-opens an acknowledged alert',
      current: alert({ state: 'acknowledged', acknowledgedBy: 'u-nurse', acknowledgedAt: T0 }),
      finding: finding({ severity: 'urgent' }),
      expected: { state: 'open', severity: 'urgent', events: ['severity_raised', 'reopened'], page: 'severity_raised' },
    },
    { name: 'a milder reading lowers the severity silently', current: alert({ severity: 'high' }), finding: finding({ severity: 'low' }), expected: { state: 'open', severity: 'low', events: ['severity_lowered'], page: null } },
    { name: 'a cleared finding resolves an alert nobody was paged about, without an all-clear', current: alert(), finding: cleared(), expected: { state: 'resolved', severity: 'medium', events: ['resolved'], page: null } },
    { name: 'a cleared finding resolves a paged alert with an all-clear', current: alert({ escalation: { tier: 1 } }), finding: cleared(), expected: { state: 'resolved', severity: 'medium', events: ['resolved'], page: 'resolved' } },
    { name: 'a snoozed alert does not resolve when the condition clears', current: snoozed(), finding: cleared(), expected: { state: 'open', severity: 'medium', events: ['condition_cleared'], page: null } },
    { name: 'a snoozed alert whose condition already cleared ignores further clears', current: snoozed('medium', { condition: 'cleared' }), finding: cleared(), expected: 'nothing' },
    { name: 'a snoozed alert whose condition returns does not page', current: snoozed('medium', { condition: 'cleared' }), finding: finding(), expected: { state: 'open', severity: 'medium', events: ['condition_returned'], page: null } },
    {
      name: 'a rise above the snoozed severity breaks the snooze and pages',
      current: snoozed('medium'),
      finding: finding({ severity: 'urgent' }),
      expected: { state: 'open', severity: 'urgent', events: ['severity_raised', 'snooze_broken'], page: 'severity_raised' },
    },
    { name: 'a snooze holds against repeats at its severity', current: snoozed('high'), finding: finding({ severity: 'high' }), expected: { state: 'open', severity: 'high', events: [], page: null } },
    {
      name: 'a clinical missing-reading alert is muted when the gateway goes offline',
      current: alert({ ruleId: 'missing:body_weight', escalation: { tier: 1, nextRepeatAt: LATER } }),
      finding: missing(),
      homeOffline: true,
      expected: { state: 'open', severity: 'medium', events: ['muted'], page: null },
    },
    {
      name: 'a muted missing-reading alert pages once the gateway is back and it still fires',
      current: alert({ ruleId: 'missing:body_weight', muted: true }),
      finding: missing(),
      expected: { state: 'open', severity: 'medium', events: ['unmuted'], page: 'unmuted' },
    },
    {
      name: 'a technical missing-reading alert that turns clinical pages the nurses',
      current: alert({ ruleId: 'missing:body_weight', audience: 'technical', cause: 'gateway_offline', muted: true }),
      finding: missing(),
      expected: { state: 'open', severity: 'medium', events: ['audience_changed', 'unmuted'], page: 'audience_changed' },
    },
  ];

  it.each(cases)('$name', ({ current, finding: f, homeOffline, expected }) => {
    expect(outcome(applyFinding(current, f, ctx(LATER, { homeOffline: homeOffline ?? false })))).toEqual(expected);
  });

  it('a repeat with new evidence updates last seen, count and summary without a new revision', () => {
    const t = applyFinding(alert({ occurrences: 3 }), finding({ summary: 'Systolic BP 188 mmHg (>= 180)', evidence: { readingIds: ['r2'], values: { value: 188 } } }), ctx(LATER));
    expect(t?.alert).toMatchObject({ occurrences: 4, lastSeenAt: LATER, revision: 1, updatedAt: T0, summary: 'Systolic BP 188 mmHg (>= 180)' });
  });

  it('the same evidence seen again by a later evaluation only moves last seen', () => {
    const current = alert({ occurrences: 3, evidence: { readingIds: ['r1'], values: { value: 185 } } });
    expect(applyFinding(current, finding(), ctx(LATER))?.alert).toMatchObject({ occurrences: 3, lastSeenAt: LATER });
  });

  it('numbers events with consecutive revisions and records actor, time and states', () => {
    const t = applyFinding(alert({ state: 'acknowledged', revision: 4 }), finding({ severity: 'high' }), ctx(LATER));
    expect(t?.events.map((e) => [e.revision, e.actor, e.at, e.fromState, e.toState, e.severity])).toEqual([
      [5, 'system', LATER, 'acknowledged', 'acknowledged', 'high'],
      [6, 'system', LATER, 'acknowledged', 'open', 'high'],
    ]);
    expect(t?.alert.revision).toBe(6);
  });

  it('opens with revision 1, no from-state, and the subject, team and finding copied', () => {
    const t = applyFinding(undefined, missing({ deviceId: 'sn-1' }), ctx(LATER));
    expect(t?.alert).toMatchObject({ revision: 1, subjectKey: 'patient:p-1', careTeamId: 'team-north', cause: 'not_measured', deviceId: 'sn-1', openedAt: LATER });
    expect(t?.events[0]).toMatchObject({ fromState: null, toState: 'open', type: 'opened' });
  });

  it('refuses an alert that is not the active one for the rule', () => {
    expect(() => applyFinding(alert({ state: 'resolved' }), finding(), ctx())).toThrow(/not the active alert/);
    expect(() => applyFinding(alert({ ruleId: 'news2' }), finding(), ctx())).toThrow(/not the active alert/);
  });
});

describe('actions by a person', () => {
  it('acknowledging stops escalation and records who', () => {
    const t = acknowledge(alert({ escalation: { tier: 1, nextEscalationAt: LATER, nextRepeatAt: LATER } }), 'u-nurse', LATER, 'calling her now');
    expect(t.alert).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'u-nurse', acknowledgedAt: LATER, escalation: { tier: 1 } });
    expect(t.alert.escalation.nextEscalationAt).toBeUndefined();
    expect(t.events[0]).toMatchObject({ type: 'acknowledged', actor: 'u-nurse', detail: { note: 'calling her now' } });
  });

  it.each([
    ['acknowledging twice', () => acknowledge(alert({ state: 'acknowledged', acknowledgedBy: 'u-a' }), 'u-b', LATER), 'already_acknowledged'],
    ['acknowledging a resolved alert', () => acknowledge(alert({ state: 'resolved' }), 'u-b', LATER), 'not_active'],
    ['resolving a resolved alert', () => resolve(alert({ state: 'resolved' }), 'u-b', LATER), 'not_active'],
    ['snoozing into the past', () => snooze(alert(), 'u-b', LATER, T0, 'visit'), 'invalid_snooze'],
    ['snoozing for more than 7 days', () => snooze(alert(), 'u-b', T0, minutesAfter(7 * 24 * 60 + 1), 'holiday'), 'invalid_snooze'],
    ['snoozing without a reason', () => snooze(alert(), 'u-b', T0, LATER, '  '), 'invalid_snooze'],
    ['snoozing a resolved alert', () => snooze(alert({ state: 'resolved' }), 'u-b', T0, LATER, 'visit'), 'not_active'],
  ])('%s is refused with a reason', (_name, act, code) => {
    expect(act).toThrow(LifecycleError);
    try {
      act();
    } catch (err) {
      expect((err as LifecycleError).code).toBe(code);
    }
  });

  it('resolving by hand sends the all-clear to those paged', () => {
    const t = resolve(alert({ escalation: { tier: 2 } }), 'u-lead', LATER, 'seen at home, fine');
    expect(outcome(t)).toEqual({ state: 'resolved', severity: 'medium', events: ['resolved'], page: 'resolved' });
    expect(t.alert).toMatchObject({ resolvedBy: 'u-lead', resolvedAt: LATER });
  });

  it('snoozing records until, reason and the snoozed severity, and stops escalation', () => {
    const t = snooze(alert({ severity: 'high', escalation: { tier: 1, nextEscalationAt: LATER } }), 'u-nurse', T0, minutesAfter(120), 'nurse visiting at 11');
    expect(t.alert.snooze).toEqual({ until: minutesAfter(120), reason: 'nurse visiting at 11', by: 'u-nurse', severity: 'high' });
    expect(t.alert.escalation.nextEscalationAt).toBeUndefined();
    expect(t.page).toBeUndefined();
  });

  it('comments are events on any alert, resolved ones too', () => {
    const t = comment(alert({ state: 'resolved', revision: 7 }), 'u-nurse', LATER, 'spoke to daughter');
    expect(t.events).toEqual([expect.objectContaining({ type: 'commented', revision: 8, actor: 'u-nurse', detail: { text: 'spoke to daughter' }, fromState: 'resolved', toState: 'resolved' })]);
  });
});

describe('expireSnooze', () => {
  it('does nothing before the snooze ends', () => {
    expect(expireSnooze(snoozed(), minutesAfter(59))).toBeUndefined();
  });

  it('pages again when the condition still fires', () => {
    expect(outcome(expireSnooze(snoozed(), minutesAfter(60)))).toEqual({ state: 'open', severity: 'medium', events: ['snooze_expired'], page: 'snooze_expired' });
  });

  it('resolves when the condition cleared meanwhile, without an all-clear if nobody was paged', () => {
    expect(outcome(expireSnooze(snoozed('medium', { condition: 'cleared' }), minutesAfter(61)))).toEqual({ state: 'resolved', severity: 'medium', events: ['snooze_expired', 'resolved'], page: null });
  });

  it('pages an acknowledged alert again too: the snooze ran out and it still fires', () => {
    expect(expireSnooze(snoozed('high', { state: 'acknowledged' }), minutesAfter(60))?.page).toBe('snooze_expired');
  });
});

describe('outcomes', () => {
  it('acknowledge with an outcome records both events, the alert keeping the outcome with who and when', () => {
    const t = acknowledge(alert(), 'u-nurse', LATER, 'calling', { kind: 'action_taken', action: 'call', text: 'advised rest' });
    expect(t.events.map((e) => [e.type, e.revision])).toEqual([
      ['acknowledged', 2],
      ['outcome_recorded', 3],
    ]);
    expect(t.events[1]!.detail).toEqual({ kind: 'action_taken', action: 'call', text: 'advised rest', correction: false });
    expect(t.alert.outcome).toEqual({ kind: 'action_taken', action: 'call', text: 'advised rest', by: 'u-nurse', at: LATER });
  });

  it('a later outcome on a resolved alert is a correction: a new event, the alert keeping the latest', () => {
    const resolved = resolve(alert(), 'u-nurse', LATER, undefined, { kind: 'false_alarm' }).alert;
    expect(resolved.outcome).toMatchObject({ kind: 'false_alarm' });
    const corrected = recordOutcome(resolved, 'u-lead', minutesAfter(60), { kind: 'technical_or_measurement_error', text: 'loose cuff' });
    expect(corrected.events).toHaveLength(1);
    expect(corrected.events[0]).toMatchObject({ type: 'outcome_recorded', actor: 'u-lead', fromState: 'resolved', toState: 'resolved', detail: { kind: 'technical_or_measurement_error', action: null, correction: true } });
    expect(corrected.alert).toMatchObject({ state: 'resolved', revision: resolved.revision + 1, outcome: { kind: 'technical_or_measurement_error', by: 'u-lead' } });
    expect(corrected.page).toBeUndefined();
  });
});
