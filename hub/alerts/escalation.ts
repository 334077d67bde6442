/**
 * Time-driven steps of an alert, pure: escalation to the next tier and repeats while nobody
 * acknowledges, and snooze expiry. `settle` joins a lifecycle transition with the routing plan so
 * the engine stores alert, events and notifications together.
 */
import { canPage, expireSnooze, systemEvent, type PageReason, type Transition } from './lifecycle.js';
import type { AlertEventRecord, AlertRecord } from './model.js';
import { planPage, type PlannedNotification } from './routing.js';
import type { TeamRoutingConfig } from './routing-config.js';

export interface Settled {
  readonly alert: AlertRecord;
  readonly events: readonly AlertEventRecord[];
  readonly notifications: readonly PlannedNotification[];
  /** The alert changed visibly (a new revision): broadcast it on MQTT and SSE. */
  readonly published: boolean;
}

/** Applies the routing plan of a transition's page (if any) to the alert. */
export function settle(t: Transition, config: TeamRoutingConfig, now: Date): Settled {
  const published = t.events.length > 0;
  if (t.page === undefined) return { alert: t.alert, events: t.events, notifications: [], published };
  const plan = planPage(t.alert, t.page, config, now);
  return { alert: { ...t.alert, escalation: plan.escalation }, events: t.events, notifications: plan.notifications, published };
}

export type DueStep = 'escalate' | 'repeat' | 'snooze_expired';

/** The time-driven step due for this alert at `now`, if any. */
export function dueStep(alert: AlertRecord, now: Date): DueStep | undefined {
  if (alert.state === 'resolved') return undefined;
  if (alert.snooze && alert.snooze.until.getTime() <= now.getTime()) return 'snooze_expired';
  if (alert.state !== 'open' || !canPage(alert, now)) return undefined;
  const e = alert.escalation;
  if (e.nextEscalationAt && e.nextEscalationAt.getTime() <= now.getTime()) return 'escalate';
  if (e.nextRepeatAt && e.nextRepeatAt.getTime() <= now.getTime()) return 'repeat';
  return undefined;
}

/** The earliest time something is due for this alert (the store indexes it for the timer). */
export function nextDueAt(alert: AlertRecord): Date | undefined {
  if (alert.state === 'resolved') return undefined;
  const times = [alert.snooze?.until, alert.state === 'open' ? alert.escalation.nextEscalationAt : undefined, alert.state === 'open' ? alert.escalation.nextRepeatAt : undefined]
    .filter((d): d is Date => d !== undefined)
    .map((d) => d.getTime());
  return times.length === 0 ? undefined : new Date(Math.min(...times));
}

/** Runs the due step, if any: an escalation or repeat page (with its event) or the snooze expiry. */
export function stepDue(alert: AlertRecord, config: TeamRoutingConfig, now: Date): Settled | undefined {
  const step = dueStep(alert, now);
  if (step === undefined) return undefined;
  if (step === 'snooze_expired') {
    const t = expireSnooze(alert, now);
    return t ? settle(t, config, now) : undefined;
  }
  const reason: PageReason = step === 'escalate' ? 'escalated' : 'repeated';
  const plan = planPage(alert, reason, config, now);
  const t = systemEvent(alert, now, reason, { tier: plan.escalation.tier, pages: plan.notifications.length, severity: alert.severity });
  return { alert: { ...t.alert, escalation: plan.escalation }, events: t.events, notifications: plan.notifications, published: true };
}
