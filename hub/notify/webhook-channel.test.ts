import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, afterEach } from 'vitest';
import { channelContract, testItem, type ChannelHarness } from './channel-contract.js';
import type { NotificationPayload } from './notification.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody, webhookChannel } from './webhook-channel.js';

interface Request {
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
}

/** A webhook receiver on a free port that answers `status` (or hangs for `hang`). */
async function receiver(answer: () => number | 'hang' = () => 204): Promise<{ url: string; requests: Request[]; server: Server }> {
  const requests: Request[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      const status = answer();
      if (status !== 'hang') res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/rpm`, requests, server };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}

const SECRET = 'whsec_0123456789abcdef-north';

channelContract('webhook', async (): Promise<ChannelHarness> => {
  const r = await receiver();
  let up = true;
  return {
    channel: webhookChannel(),
    target: { url: r.url, secret: SECRET, timeoutMs: 2000 },
    received: () =>
      Promise.resolve(
        r.requests.map((q) => {
          const body = JSON.parse(q.raw) as NotificationPayload;
          return { notificationId: String(q.headers[IDEMPOTENCY_HEADER]), alert: body.alert };
        }),
      ),
    breakReceiver: async () => {
      up = false;
      await stop(r.server);
    },
    close: async () => {
      if (up) await stop(r.server);
    },
  };
});

describe('webhook channel', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await stop(s);
  });

  it('signs the raw body with HMAC-SHA256 of the endpoint secret and sends the idempotency key', async () => {
    const r = await receiver();
    servers.push(r.server);
    const item = testItem('webhook', { url: r.url, secret: SECRET, timeoutMs: 2000 });
    await webhookChannel().send(item);
    const [req] = r.requests;
    // The receiver's check, written independently of signBody:
    const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(req!.raw).digest('hex')}`);
    const got = Buffer.from(String(req!.headers[SIGNATURE_HEADER]));
    expect(got.length === expected.length && timingSafeEqual(got, expected)).toBe(true);
    expect(req!.headers[IDEMPOTENCY_HEADER]).toBe(item.id);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req!.raw)).toEqual(JSON.parse(JSON.stringify(item.payload)));
  });

  it('a different secret gives a different signature', () => {
    expect(signBody('a'.repeat(16), '{}')).not.toBe(signBody('b'.repeat(16), '{}'));
  });

  it.each([
    [503, 'retry'],
    [429, 'retry'],
    [408, 'retry'],
    [400, 'failed'],
    [404, 'failed'],
    [200, 'delivered'],
  ] as const)('answer %i -> %s', async (status, outcome) => {
    const r = await receiver(() => status);
    servers.push(r.server);
    const result = await webhookChannel().send(testItem('webhook', { url: r.url, secret: SECRET, timeoutMs: 2000 }));
    expect(result).toMatchObject({ outcome, statusCode: status });
  });

  it('gives up on a receiver that does not answer within the timeout and asks for a retry', async () => {
    const r = await receiver(() => 'hang');
    servers.push(r.server);
    const result = await webhookChannel().send(testItem('webhook', { url: r.url, secret: SECRET, timeoutMs: 200 }));
    expect(result).toEqual({ outcome: 'retry', error: 'no answer within 200 ms' });
  });
});
