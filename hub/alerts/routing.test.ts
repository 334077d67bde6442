import { describe, it, expect } from 'vitest';
import { dueStep, nextDueAt, settle, stepDue } from './escalation.js';
import { applyFinding } from './lifecycle.js';
import { pageTime, quietHoursEnd } from './quiet-hours.js';
import { planPage } from './routing.js';
import { EMPTY_ROUTING, parseTeamRoutingConfig } from './routing-config.js';
import { T0, alert, ctx, finding, minutesAfter, routing } from './testing.js';

const who = (plan: ReturnType<typeof planPage>) => plan.notifications.map((n) => `${n.tier}:${n.target.channel === 'webhook' ? n.target.url.split('/').at(-1) : n.target.to.join(',')}`);

describe('planPage', () => {
  const config = routing();

  it.each([
    ['low goes to the nurse only (the lead takes medium and up), nothing to escalate to', 'low', ['1:nurse', '1:nurse@example.org'], undefined],
    ['medium goes to the nurse and escalates after 60 min', 'medium', ['1:nurse', '1:nurse@example.org'], 60],
    ['high escalates after 15 min', 'high', ['1:nurse', '1:nurse@example.org'], 15],
    ['urgent escalates after 5 min', 'urgent', ['1:nurse', '1:nurse@example.org'], 5],
  ] as const)('%s', (_name, severity, recipients, escalateMin) => {
    const plan = planPage(alert({ severity }), 'opened', config, T0);
    expect(who(plan)).toEqual(recipients);
    expect(plan.escalation.tier).toBe(1);
    expect(plan.escalation.nextEscalationAt).toEqual(escalateMin === undefined ? undefined : minutesAfter(escalateMin));
  });

  it('repeats are scheduled per severity', () => {
    expect(planPage(alert({ severity: 'urgent' }), 'opened', config, T0).escalation.nextRepeatAt).toEqual(minutesAfter(10));
    expect(planPage(alert({ severity: 'medium' }), 'opened', config, T0).escalation.nextRepeatAt).toBeUndefined();
  });

  it('technical alerts go to technical support, never to nurses', () => {
    expect(who(planPage(alert({ audience: 'technical', ruleId: 'gateway_offline', severity: 'high' }), 'opened', config, T0))).toEqual(['1:tech']);
  });

  it('escalation pages the next tier that takes the severity', () => {
    const plan = planPage(alert({ severity: 'high', escalation: { tier: 1, nextEscalationAt: T0 } }), 'escalated', config, T0);
    expect(who(plan)).toEqual(['2:lead']);
    expect(plan.escalation).toEqual({ tier: 2, pagedAt: T0, nextRepeatAt: minutesAfter(30) });
  });

  it('repeats page the tiers paged so far and keep the escalation deadline', () => {
    const plan = planPage(alert({ severity: 'high', escalation: { tier: 2, nextEscalationAt: minutesAfter(99) } }), 'repeated', config, T0);
    expect(who(plan)).toEqual(['1:nurse', '1:nurse@example.org', '2:lead']);
    expect(plan.escalation).toMatchObject({ tier: 2, nextEscalationAt: minutesAfter(99), nextRepeatAt: minutesAfter(30) });
  });

  it('the all-clear goes to every tier paged so far, or to nobody when the team switched it off', () => {
    expect(who(planPage(alert({ state: 'resolved', escalation: { tier: 2 } }), 'resolved', config, T0))).toEqual(['1:nurse', '1:nurse@example.org', '2:lead']);
    expect(who(planPage(alert({ state: 'resolved', escalation: { tier: 2 } }), 'resolved', routing({ notifyResolved: false }), T0))).toEqual([]);
  });

  it('acknowledged alerts are paged (snooze expiry) without escalation timers', () => {
    const plan = planPage(alert({ severity: 'high', state: 'acknowledged' }), 'snooze_expired', config, T0);
    expect(who(plan)).toEqual(['1:nurse', '1:nurse@example.org']);
    expect(plan.escalation).toEqual({ tier: 1, pagedAt: T0 });
  });

  it('a team without tiers pages nobody', () => {
    expect(planPage(alert(), 'opened', EMPTY_ROUTING, T0)).toEqual({ notifications: [], escalation: { tier: 0 } });
  });

  it('quiet hours hold back non-urgent pages and their escalation, never urgent ones', () => {
    const quiet = routing({ quietHours: { from: '22:00', to: '07:00', timeZone: 'Europe/Copenhagen' } });
    const night = new Date('2026-03-02T23:30:00Z'); // 00:30 in Copenhagen (CET)
    const morning = new Date('2026-03-03T06:00:00Z'); // 07:00 CET
    const medium = planPage(alert({ severity: 'medium' }), 'opened', quiet, night);
    expect(medium.notifications.every((n) => n.notBefore.getTime() === morning.getTime())).toBe(true);
    expect(medium.escalation.nextEscalationAt).toEqual(minutesAfter(60, morning));
    const urgent = planPage(alert({ severity: 'urgent' }), 'opened', quiet, night);
    expect(urgent.notifications.every((n) => n.notBefore.getTime() === night.getTime())).toBe(true);
  });
});

describe('quiet hours', () => {
  const overnight = { from: '22:00', to: '07:00', timeZone: 'Europe/Stockholm' };
  it.each([
    ['21:59 local is not quiet', '2026-07-01T19:59:00Z', undefined],
    ['22:00 local (CEST) is quiet until 07:00 next day', '2026-07-01T20:00:00Z', '2026-07-02T05:00:00.000Z'],
    ['03:00 local is quiet until 07:00 the same day', '2026-07-02T01:00:00Z', '2026-07-02T05:00:00.000Z'],
    ['07:00 local is not quiet', '2026-07-02T05:00:00Z', undefined],
    ['the night summer time ends (25 h day) ends at 07:00 CET', '2026-10-24T21:00:00Z', '2026-10-25T06:00:00.000Z'],
  ])('%s', (_name, now, end) => {
    expect(quietHoursEnd(new Date(now), overnight)?.toISOString()).toBe(end);
  });

  it('a daytime window works too, and urgent is never held', () => {
    const lunch = { from: '12:00', to: '13:00', timeZone: 'Europe/Copenhagen' };
    expect(quietHoursEnd(new Date('2026-01-05T11:30:00Z'), lunch)?.toISOString()).toBe('2026-01-05T12:00:00.000Z');
    expect(pageTime(new Date('2026-01-05T11:30:00Z'), 'urgent', lunch).toISOString()).toBe('2026-01-05T11:30:00.000Z');
  });
});

describe('escalation over time', () => {
  const config = routing();

  it('escalates to tier 2 when nobody acknowledges within T, and not before', () => {
    const opened = settle(applyFinding(undefined, finding({ severity: 'high' }), ctx(T0))!, config, T0);
    expect(opened.notifications.map((n) => n.tier)).toEqual([1, 1]);
    expect(dueStep(opened.alert, minutesAfter(14))).toBeUndefined();
    const step = stepDue(opened.alert, config, minutesAfter(15));
    expect(step?.events.map((e) => [e.type, e.detail.tier])).toEqual([['escalated', 2]]);
    expect(step?.notifications.map((n) => [n.tier, n.reason])).toEqual([[2, 'escalated']]);
    expect(step?.alert.escalation.nextEscalationAt).toBeUndefined();
  });

  it('repeats while unacknowledged, and stops once acknowledged', () => {
    const a = alert({ severity: 'urgent', escalation: { tier: 2, nextRepeatAt: minutesAfter(10) } });
    expect(stepDue(a, config, minutesAfter(10))?.notifications.map((n) => [n.tier, n.reason])).toEqual([
      [1, 'repeated'],
      [1, 'repeated'],
      [2, 'repeated'],
    ]);
    expect(dueStep({ ...a, state: 'acknowledged' }, minutesAfter(10))).toBeUndefined();
  });

  it('muted and snoozed alerts do not escalate; an expired snooze is due', () => {
    const due = { tier: 1, nextEscalationAt: T0 };
    expect(dueStep(alert({ muted: true, escalation: due }), minutesAfter(1))).toBeUndefined();
    const s = { until: minutesAfter(30), reason: 'visit', by: 'u', severity: 'medium' as const };
    expect(dueStep(alert({ snooze: s, escalation: due }), minutesAfter(1))).toBeUndefined();
    expect(dueStep(alert({ snooze: s }), minutesAfter(30))).toBe('snooze_expired');
  });

  it('nextDueAt is the earliest of snooze end, escalation and repeat', () => {
    expect(nextDueAt(alert({ escalation: { tier: 1, nextEscalationAt: minutesAfter(15), nextRepeatAt: minutesAfter(10) } }))).toEqual(minutesAfter(10));
    expect(nextDueAt(alert({ state: 'acknowledged', escalation: { tier: 1, nextRepeatAt: minutesAfter(10) } }))).toBeUndefined();
    expect(nextDueAt(alert({ state: 'resolved' }))).toBeUndefined();
  });
});

describe('TeamRoutingConfig', () => {
  it('reports a bad field by path', () => {
    const parsed = parseTeamRoutingConfig({ tiers: [{ name: 'nurse', targets: [{ channel: 'webhook', url: 'ftp://x', secret: 'short' }] }] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toContain('tiers[0].targets[0].url');
      expect(parsed.reason).toContain('tiers[0].targets[0].secret');
    }
  });

  it('rejects unknown fields and info as a paging severity', () => {
    expect(parseTeamRoutingConfig({ tier: [] }).ok).toBe(false);
    expect(parseTeamRoutingConfig({ tiers: [{ name: 'n', targets: [{ channel: 'email', to: ['a@b.dk'] }], severities: ['info'] }] }).ok).toBe(false);
  });
});
