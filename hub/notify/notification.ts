/**
 * A notification in the durable outbox, and the contract every delivery channel satisfies.
 * Pages (webhook, e-mail) go to the targets routing chose; broadcasts (MQTT, SSE) carry every
 * visible change of an alert to the care team's subscribers. All of them go through the outbox.
 */
import type { AlertMessage } from '../../contract/index.js';

export const CHANNEL_NAMES = ['webhook', 'email', 'mqtt', 'sse'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export interface WebhookTargetJson {
  readonly url: string;
  /** HMAC-SHA256 key of this endpoint. */
  readonly secret: string;
  readonly timeoutMs: number;
}

export interface EmailTargetJson {
  readonly to: readonly string[];
}

export interface BroadcastTargetJson {
  readonly careTeamId: string;
}

export type TargetJson = WebhookTargetJson | EmailTargetJson | BroadcastTargetJson;

/** What receivers get (the webhook's JSON body; the e-mail is rendered from it). Fixed when enqueued. */
export interface NotificationPayload {
  readonly v: 1;
  /** Also the Idempotency-Key header: a receiver that sees it twice has seen the same page. */
  readonly notificationId: string;
  /** opened, severity_raised, escalated, repeated, resolved, ... or 'state' for broadcasts. */
  readonly reason: string;
  readonly tier?: number;
  readonly tierName?: string;
  readonly alert: AlertMessage;
  /** Where to look at the alert in the dashboard. */
  readonly link?: string;
}

export interface NotificationDraft {
  /** `nt-` + lowercase ULID. */
  readonly id: string;
  readonly alertId: string;
  readonly alertRevision: number;
  readonly channel: ChannelName;
  readonly reason: string;
  readonly tier?: number;
  readonly tierName?: string;
  readonly target: TargetJson;
  readonly payload: NotificationPayload;
  readonly createdAt: Date;
  /** First attempt not before this time (quiet hours). */
  readonly notBefore: Date;
}

export interface OutboxItem extends NotificationDraft {
  /** Attempts made before this one. */
  readonly attempts: number;
}

export type DeliveryResult =
  | { readonly outcome: 'delivered'; readonly statusCode?: number }
  /** retry: worth trying again later (receiver down, timeout, 5xx); failed: it never will be (4xx, bad address). */
  | { readonly outcome: 'retry' | 'failed'; readonly error: string; readonly statusCode?: number };

/** One module per channel (hub/notify/*-channel.ts), all tested by one contract suite. */
export interface Channel {
  readonly name: ChannelName;
  /** Never throws: every failure is a result, so the worker can record it. */
  send(item: OutboxItem): Promise<DeliveryResult>;
}

export interface AttemptRecord {
  readonly notificationId: string;
  /** 1-based. */
  readonly attempt: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly outcome: 'delivered' | 'retry' | 'failed';
  readonly statusCode?: number;
  readonly error?: string;
}

export function errorText(err: unknown): string {
  const e = err as { message?: unknown; cause?: { message?: unknown; code?: unknown } };
  const cause = e.cause && typeof e.cause.code === 'string' ? ` (${e.cause.code})` : e.cause && typeof e.cause.message === 'string' ? ` (${e.cause.message})` : '';
  return `${typeof e.message === 'string' ? e.message : String(err)}${cause}`.slice(0, 500);
}
