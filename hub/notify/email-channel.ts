/**
 * E-mail delivery over SMTP with nodemailer. E-mail is not a secure channel, so a message carries
 * no patient name or id: the subject is the rule's summary (numbers, units, local times), the body
 * adds severity, state and a link to the alert in the dashboard, where the reader logs in.
 * SMTP 4xx replies and connection errors are retried; 5xx replies (RFC 5321 §4.2.1: permanent
 * negative completion) are recorded as failed.
 */
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { errorText, type Channel, type DeliveryResult, type EmailTargetJson, type NotificationPayload, type OutboxItem } from './notification.js';

export interface SmtpConfig {
  /** smtp://user:pass@host:port or smtps://... */
  readonly url: string;
  readonly from: string;
  /** Per message, ms (connection, greeting and each command). */
  readonly timeoutMs?: number;
}

const REASON_TEXT: Readonly<Record<string, string>> = {
  opened: 'New alert',
  severity_raised: 'Alert worse',
  audience_changed: 'Alert for you',
  snooze_expired: 'Snooze over, still active',
  snooze_broken: 'Alert worse (snooze ended)',
  unmuted: 'Alert active again',
  escalated: 'Escalated: nobody acknowledged',
  repeated: 'Reminder: not acknowledged',
  resolved: 'All clear',
};

function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Subject and text body. No names or patient ids: the link leads to the dashboard. */
export function renderEmail(payload: NotificationPayload): { subject: string; text: string } {
  const a = payload.alert;
  const why = REASON_TEXT[payload.reason] ?? payload.reason;
  const subject = oneLine(`[${a.severity.toUpperCase()}] ${why}: ${a.summary}`, 200);
  const lines = [
    a.summary,
    '',
    `Severity: ${a.severity}`,
    `State: ${a.state}`,
    `Rule: ${a.rule} (${a.audience})`,
    `Why you receive this: ${why}${payload.tierName ? ` (tier ${payload.tier ?? '?'}: ${payload.tierName})` : ''}`,
    `Opened: ${a.openedAt}`,
    '',
    ...(payload.link ? [`Open the alert: ${payload.link}`] : []),
    `Reference: ${a.id} revision ${a.revision}`,
    '',
    'Acknowledge it in the dashboard to stop reminders and escalation.',
  ];
  return { subject, text: lines.join('\n') };
}

export function emailChannel(config: SmtpConfig): Channel & { close(): void } {
  const timeout = config.timeoutMs ?? 10_000;
  const transport: Transporter = nodemailer.createTransport({
    url: config.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    name: 'email',
    async send(item: OutboxItem): Promise<DeliveryResult> {
      const target = item.target as EmailTargetJson;
      const { subject, text } = renderEmail(item.payload);
      try {
        await transport.sendMail({
          from: config.from,
          to: [...target.to],
          subject,
          text,
          headers: { 'X-RPM-Notification-Id': item.id },
          // A stable Message-ID lets mail systems drop a retried duplicate.
          messageId: `<${item.id}@rpm-hub.invalid>`,
        });
        return { outcome: 'delivered' };
      } catch (err) {
        const code = (err as { responseCode?: unknown }).responseCode;
        const permanent = typeof code === 'number' && code >= 500 && code < 600;
        return { outcome: permanent ? 'failed' : 'retry', error: errorText(err), ...(typeof code === 'number' ? { statusCode: code } : {}) };
      }
    },
    close() {
      transport.close();
    },
  };
}
