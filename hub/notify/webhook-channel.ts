/**
 * Webhook delivery: POST the notification as JSON. The receiver can trust and deduplicate it:
 *
 *   X-RPM-Signature: sha256=<hex HMAC-SHA256 of the raw body with the endpoint's secret>
 *   Idempotency-Key: <notification id>   (the same page retried carries the same key)
 *
 * (The signature scheme follows GitHub's X-Hub-Signature-256; compare it in constant time.)
 * 2xx is delivered. Timeouts, network errors, 408, 425, 429 and 5xx are retried by the outbox;
 * other 4xx mean the receiver refuses this request for good and are recorded as failed.
 */
import { createHmac } from 'node:crypto';
import { errorText, type Channel, type DeliveryResult, type OutboxItem, type WebhookTargetJson } from './notification.js';

export const SIGNATURE_HEADER = 'x-rpm-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

const RETRYABLE_STATUS = new Set([408, 425, 429]);

export interface WebhookChannelOptions {
  readonly userAgent?: string;
}

export function webhookChannel(options: WebhookChannelOptions = {}): Channel {
  return {
    name: 'webhook',
    async send(item: OutboxItem): Promise<DeliveryResult> {
      const target = item.target as WebhookTargetJson;
      const body = JSON.stringify(item.payload);
      let res: Response;
      try {
        res = await fetch(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': options.userAgent ?? 'rpm-hub-alerts/1',
            [IDEMPOTENCY_HEADER]: item.id,
            [SIGNATURE_HEADER]: signBody(target.secret, body),
          },
          body,
          signal: AbortSignal.timeout(target.timeoutMs),
        });
      } catch (err) {
        const timeout = (err as Error).name === 'TimeoutError';
        return { outcome: 'retry', error: timeout ? `no answer within ${target.timeoutMs} ms` : errorText(err) };
      }
      // The body is not needed; reading it frees the connection for keep-alive.
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { outcome: 'delivered', statusCode: res.status };
      const retry = res.status >= 500 || RETRYABLE_STATUS.has(res.status);
      return { outcome: retry ? 'retry' : 'failed', statusCode: res.status, error: `receiver answered ${res.status}` };
    },
  };
}
