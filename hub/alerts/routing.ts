/**
 * Who is paged about an alert, when, and when the next escalation step is due. Pure: the alert, the
 * reason from the lifecycle, the team's routing config and `now` in; planned notifications and the
 * alert's new escalation state out. The engine turns the plan into outbox rows.
 *
 * - The audience picks the tier list: clinical -> `tiers` (nurses), technical -> `technicalTiers`.
 * - A fresh page (opened, severity raised, snooze expired, ...) starts at the first tier that takes
 *   the severity. `escalated` pages the next such tier; `repeated` pages the tiers paged so far again;
 *   `resolved` sends the all-clear to the tiers paged so far.
 * - Escalation and repeats are scheduled only for unacknowledged (open) alerts, counted from when the
 *   page goes out, which is the end of quiet hours for a non-urgent alert paged at night.
 */
import type { AlertSeverity } from '../../contract/index.js';
import type { PageReason } from './lifecycle.js';
import type { AlertRecord, EscalationState } from './model.js';
import { pageTime } from './quiet-hours.js';
import { minutesFor, type PageTarget, type TeamRoutingConfig, type Tier } from './routing-config.js';

export interface PlannedNotification {
  readonly reason: PageReason;
  /** 1-based tier number. */
  readonly tier: number;
  readonly tierName: string;
  readonly target: PageTarget;
  /** Not sent before this time (quiet hours). */
  readonly notBefore: Date;
}

export interface PagePlan {
  readonly notifications: readonly PlannedNotification[];
  readonly escalation: EscalationState;
}

const MINUTE_MS = 60_000;

export function tiersFor(alert: Pick<AlertRecord, 'audience'>, config: TeamRoutingConfig): readonly Tier[] {
  return alert.audience === 'technical' ? config.technicalTiers : config.tiers;
}

function takes(tier: Tier, severity: AlertSeverity): boolean {
  return (tier.severities as readonly AlertSeverity[]).includes(severity);
}

/** Index of the first tier at or after `from` that takes this severity; -1 if none. */
function nextTierIndex(tiers: readonly Tier[], severity: AlertSeverity, from: number): number {
  for (let i = Math.max(0, from); i < tiers.length; i++) if (takes(tiers[i]!, severity)) return i;
  return -1;
}

function notificationsFor(tiers: readonly Tier[], indexes: readonly number[], reason: PageReason, notBefore: Date): PlannedNotification[] {
  return indexes.flatMap((i) => tiers[i]!.targets.map((target) => ({ reason, tier: i + 1, tierName: tiers[i]!.name, target, notBefore })));
}

function schedule(alert: AlertRecord, tiers: readonly Tier[], tierIndex: number, pagedAt: Date, config: TeamRoutingConfig): EscalationState {
  const state: EscalationState = { tier: tierIndex + 1, pagedAt };
  if (alert.state !== 'open') return state;
  const escalateMin = minutesFor(config.escalateAfterMinutes, alert.severity);
  const repeatMin = minutesFor(config.repeatEveryMinutes, alert.severity);
  const hasNext = nextTierIndex(tiers, alert.severity, tierIndex + 1) >= 0;
  return {
    ...state,
    ...(hasNext && escalateMin !== undefined ? { nextEscalationAt: new Date(pagedAt.getTime() + escalateMin * MINUTE_MS) } : {}),
    ...(repeatMin !== undefined ? { nextRepeatAt: new Date(pagedAt.getTime() + repeatMin * MINUTE_MS) } : {}),
  };
}

/** The indexes of tiers paged so far (1..tier) that take this severity, or all paged so far for an all-clear. */
function pagedSoFar(tiers: readonly Tier[], alert: AlertRecord, anySeverity: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(alert.escalation.tier, tiers.length); i++) if (anySeverity || takes(tiers[i]!, alert.severity)) out.push(i);
  return out;
}

export function planPage(alert: AlertRecord, reason: PageReason, config: TeamRoutingConfig, now: Date): PagePlan {
  const tiers = tiersFor(alert, config);
  const pagedAt = pageTime(now, alert.severity, config.quietHours);
  switch (reason) {
    case 'resolved': {
      const notifications = config.notifyResolved ? notificationsFor(tiers, pagedSoFar(tiers, alert, true), reason, pagedAt) : [];
      return { notifications, escalation: { tier: alert.escalation.tier } };
    }
    case 'repeated': {
      const indexes = pagedSoFar(tiers, alert, false);
      const last = indexes.at(-1) ?? alert.escalation.tier - 1;
      const next = schedule(alert, tiers, last, pagedAt, config);
      // A repeat keeps the escalation deadline that is already running.
      return { notifications: notificationsFor(tiers, indexes, reason, pagedAt), escalation: { ...next, tier: alert.escalation.tier, nextEscalationAt: alert.escalation.nextEscalationAt } };
    }
    case 'escalated': {
      const index = nextTierIndex(tiers, alert.severity, alert.escalation.tier);
      if (index < 0) return { notifications: [], escalation: { tier: alert.escalation.tier, pagedAt: alert.escalation.pagedAt } };
      return { notifications: notificationsFor(tiers, [index], reason, pagedAt), escalation: schedule(alert, tiers, index, pagedAt, config) };
    }
    default: {
      const index = nextTierIndex(tiers, alert.severity, 0);
      if (index < 0) return { notifications: [], escalation: { tier: 0 } };
      return { notifications: notificationsFor(tiers, [index], reason, pagedAt), escalation: schedule(alert, tiers, index, pagedAt, config) };
    }
  }
}
