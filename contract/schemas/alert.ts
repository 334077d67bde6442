import { z } from 'zod';
import { Identifier, UtcInstant, WIRE_VERSION } from './common.js';

export const ALERT_SEVERITIES = ['info', 'low', 'medium', 'high', 'urgent'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** Published by the hub on rpm/v1/alerts/{careTeamId}/{alertId} whenever an alert changes. */
export const AlertMessage = z.object({
  v: z.literal(WIRE_VERSION),
  id: Identifier,
  /** Internal patient id (never a national identity number). Absent for purely technical alerts. */
  patientId: Identifier.optional(),
  gatewayId: Identifier.optional(),
  careTeamId: Identifier,
  /** Rule that raised it, e.g. threshold:blood_pressure.systolic, news2, missing:body_weight, gateway_offline. */
  rule: z.string().min(1).max(128),
  /** clinical alerts go to nurses, technical ones (offline box, flat battery) to technical support. */
  audience: z.enum(['clinical', 'technical']),
  severity: z.enum(ALERT_SEVERITIES),
  state: z.enum(ALERT_STATES),
  summary: z.string().min(1).max(500),
  openedAt: UtcInstant,
  updatedAt: UtcInstant,
  /** Monotonic per alert: subscribers drop out-of-order updates. */
  revision: z.number().int().nonnegative(),
});
export type AlertMessage = z.infer<typeof AlertMessage>;

/** Every event an alert's history can hold (hub/alerts/lifecycle.ts writes them; the API lists them). */
export const ALERT_EVENT_TYPES = [
  'opened',
  'severity_raised',
  'severity_lowered',
  'audience_changed',
  'condition_cleared',
  'condition_returned',
  'acknowledged',
  'reopened',
  'resolved',
  'snoozed',
  'snooze_expired',
  'snooze_broken',
  'commented',
  'muted',
  'unmuted',
  'escalated',
  'repeated',
  'outcome_recorded',
] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];
