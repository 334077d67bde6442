/**
 * In a reconnect storm the broker answers CONNACK 3 (server unavailable) at once when the secret
 * checks' queue is full (hub/registry/scrypt-gate.ts), rather than leaving the box to its own
 * connect timeout. A real Aedes on a loopback port and a real mqtt.js client; the directory is the
 * one stand-in, reporting the gate full.
 */
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ScryptGateBusyError } from '../registry/scrypt-gate.js';
import { startBroker, type RefusalReason } from './broker.js';

describe('broker load shedding', () => {
  const refused: RefusalReason[] = [];
  const started = startBroker({
    host: '127.0.0.1',
    port: 0,
    gateways: { verifyGatewaySecret: () => Promise.reject(new ScryptGateBusyError(200)) },
    ingest: { handle: () => Promise.resolve() },
    log: pino({ level: 'silent' }),
    observer: { connectionRefused: (r) => refused.push(r), disconnected: () => undefined, published: () => undefined },
  });
  afterAll(async () => (await started).close());

  it('answers CONNACK 3 at once when too many logins wait', async () => {
    const broker = await started;
    const t0 = performance.now();
    const err = await mqtt
      .connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'gw-gw-0001', username: 'gw-0001', password: 'x', reconnectPeriod: 0, protocolVersion: 4 })
      .then(
        () => undefined,
        (e: Error & { code?: number }) => e,
      );
    expect(err?.code).toBe(3);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(refused).toEqual(['overloaded']);
  });
});
