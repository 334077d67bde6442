/**
 * What leaves the engine about an alert: the contract AlertMessage (MQTT and SSE), and the outbox
 * drafts for a settled change: one per page target, plus one MQTT and one SSE broadcast for every
 * visible change (a new revision).
 */
import { monotonicFactory } from 'ulid';
import type { AlertMessage } from '../../contract/index.js';
import type { NotificationDraft, NotificationPayload, TargetJson } from '../notify/notification.js';
import type { Settled } from './escalation.js';
import type { AlertRecord } from './model.js';

export function alertMessage(a: AlertRecord): AlertMessage {
  return {
    v: 1,
    id: a.id,
    ...(a.patientId ? { patientId: a.patientId } : {}),
    ...(a.gatewayId ? { gatewayId: a.gatewayId } : {}),
    careTeamId: a.careTeamId,
    rule: a.ruleId,
    audience: a.audience,
    severity: a.severity,
    state: a.state,
    summary: a.summary.slice(0, 500),
    openedAt: a.openedAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    revision: a.revision,
  };
}

/** Lowercase ULIDs: valid as MQTT topic levels (contract/topics.ts). */
export function idFactory(prefix: string, now: () => Date): () => string {
  const next = monotonicFactory();
  return () => `${prefix}-${next(now().getTime()).toLowerCase()}`;
}

export interface DraftOptions {
  readonly now: Date;
  readonly newId: () => string;
  /** Dashboard base URL; the link is <base>/alerts/<id>. */
  readonly dashboardUrl?: string;
  /** Broadcast channels this hub runs (default both): every visible change goes to each. */
  readonly broadcast?: readonly ('mqtt' | 'sse')[];
}

export function notificationDrafts(s: Settled, o: DraftOptions): NotificationDraft[] {
  const a = s.alert;
  const message = alertMessage(a);
  const link = o.dashboardUrl ? `${o.dashboardUrl.replace(/\/+$/, '')}/alerts/${a.id}` : undefined;
  const draft = (channel: NotificationDraft['channel'], target: TargetJson, reason: string, notBefore: Date, tier?: { tier: number; tierName: string }): NotificationDraft => {
    const id = o.newId();
    const payload: NotificationPayload = { v: 1, notificationId: id, reason, ...(tier ?? {}), alert: message, ...(link ? { link } : {}) };
    return { id, alertId: a.id, alertRevision: a.revision, channel, reason, ...(tier ?? {}), target, payload, createdAt: o.now, notBefore };
  };
  const out: NotificationDraft[] = [];
  for (const n of s.notifications) {
    const target: TargetJson = n.target.channel === 'webhook' ? { url: n.target.url, secret: n.target.secret, timeoutMs: n.target.timeoutMs } : { to: n.target.to };
    out.push(draft(n.target.channel, target, n.reason, n.notBefore, { tier: n.tier, tierName: n.tierName }));
  }
  if (s.published) for (const channel of o.broadcast ?? ['mqtt', 'sse']) out.push(draft(channel, { careTeamId: a.careTeamId }, 'state', o.now));
  return out;
}
