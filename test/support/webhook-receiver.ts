/**
 * A real HTTP server that takes alert webhooks for a test: every request is recorded with its path
 * and Idempotency-Key (the notification id, hub/notify/webhook-channel.ts) and answered 204, so a
 * test can tell whether each notification arrived exactly once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDEMPOTENCY_HEADER } from '../../hub/notify/webhook-channel.js';

export interface ReceivedWebhook {
  readonly path: string;
  readonly notificationId: string;
  readonly body: unknown;
}

export interface WebhookReceiver {
  readonly received: readonly ReceivedWebhook[];
  url(path: string): string;
  /** How often each notification id arrived. */
  counts(): Map<string, number>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      received.push({ path: req.url ?? '', notificationId: String(req.headers[IDEMPOTENCY_HEADER]), body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    received,
    url: (path) => `http://127.0.0.1:${port}/${path}`,
    counts() {
      const out = new Map<string, number>();
      for (const r of received) out.set(r.notificationId, (out.get(r.notificationId) ?? 0) + 1);
      return out;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
