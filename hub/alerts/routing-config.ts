/**
 * How a care team wants to be told: one JSON document per team (table alert_team_routing), parsed by
 * zod with errors naming the field. Tiers are tried in order: tier 1 (the on-duty nurse) gets the
 * page, and if nobody acknowledges within `escalateAfterMinutes[severity]` the next tier that takes
 * that severity is paged too. `repeatEveryMinutes` pages the tiers paged so far again while the
 * alert stays unacknowledged. Quiet hours hold back non-urgent pages until they end; urgent alerts
 * are never held. Technical alerts (offline box, flat battery) go to `technicalTiers`, never to nurses.
 */
import { z } from 'zod';
import { ALERT_SEVERITIES, parseWith, type AlertSeverity, type Parsed } from '../../contract/index.js';
import { TimeZone } from './rules/config.js';

const Severity = z.enum(ALERT_SEVERITIES);
const Hhmm = z.string().regex(/^([01]\d|2[0-3]):([0-5]\d)$/, 'expected a local time HH:MM');

export const WebhookTarget = z
  .object({
    channel: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
    /** HMAC-SHA256 key for the X-RPM-Signature header; the receiver checks every request with it. */
    secret: z.string().min(16, 'use a secret of at least 16 characters'),
    timeoutMs: z.number().int().min(100).max(30_000).default(5_000),
  })
  .strict();

export const EmailTarget = z
  .object({
    channel: z.literal('email'),
    to: z.array(z.email()).min(1).max(20),
  })
  .strict();

export const PageTarget = z.discriminatedUnion('channel', [WebhookTarget, EmailTarget]);
export type PageTarget = z.output<typeof PageTarget>;

export const Tier = z
  .object({
    /** Shown in pages and history, e.g. "on-duty nurse", "team lead". */
    name: z.string().min(1).max(100),
    targets: z.array(PageTarget).min(1).max(10),
    /** Severities this tier is paged for (info never pages). */
    severities: z.array(Severity.exclude(['info'])).min(1).default(['low', 'medium', 'high', 'urgent']),
  })
  .strict();
export type Tier = z.output<typeof Tier>;

const Minutes = z.number().positive().max(7 * 24 * 60);
const PerSeverity = z.object({ low: Minutes, medium: Minutes, high: Minutes, urgent: Minutes }).partial().strict();

export const TeamRoutingConfig = z
  .object({
    tiers: z.array(Tier).max(5).default([]),
    technicalTiers: z.array(Tier).max(5).default([]),
    /** Page the next tier when nobody acknowledged within this many minutes; a severity left out never escalates. */
    escalateAfterMinutes: PerSeverity.default({ urgent: 5, high: 15, medium: 60 }),
    /** Page again at this interval while unacknowledged; a severity left out is paged once per round. */
    repeatEveryMinutes: PerSeverity.default({ urgent: 10, high: 30 }),
    /** Non-urgent pages wait until `to` (local time of `timeZone`). */
    quietHours: z
      .object({
        from: Hhmm,
        to: Hhmm,
        timeZone: TimeZone,
      })
      .strict()
      .refine((q) => q.from !== q.to, { message: 'quiet hours must not start and end at the same time', path: ['to'] })
      .optional(),
    /** Send an all-clear to everyone who was paged when the alert resolves. */
    notifyResolved: z.boolean().default(true),
  })
  .strict();

export type TeamRoutingConfigInput = z.input<typeof TeamRoutingConfig>;
export type TeamRoutingConfig = z.output<typeof TeamRoutingConfig>;

export function parseTeamRoutingConfig(json: unknown): Parsed<TeamRoutingConfig> {
  return parseWith(TeamRoutingConfig, json);
}

/** A team without configuration: alerts are shown and broadcast, nobody is paged. */
export const EMPTY_ROUTING: TeamRoutingConfig = TeamRoutingConfig.parse({});

export function minutesFor(table: Partial<Record<AlertSeverity, number>>, severity: AlertSeverity): number | undefined {
  return severity === 'info' ? undefined : table[severity];
}
