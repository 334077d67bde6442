/**
 * The cluster tests' infrastructure: a private redis-server that survives kill -9 with its data (AOF),
 * and HAProxy configured from the shipped docs/deploy/haproxy.cfg that balances TCP to healthy
 * backends and takes one whose /readyz fails out of rotation.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createConnection, createServer, type Server } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.js';
import { startHaproxy } from '../support/haproxy-fixture.js';
import { startRedisForTests } from '../support/redis-fixture.js';
import { tempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('redis fixture', () => {
  it('keeps what was written across kill -9 and restart on the same port', async () => {
    const redis = await startRedisForTests();
    cleanups.push(() => redis.close());
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    cleanups.push(async () => void client.disconnect());
    await client.set('k', 'v');
    // appendfsync everysec: give the AOF its second before the crash.
    await new Promise((r) => setTimeout(r, 1200));
    const before = redis.pid();
    await redis.kill9();
    await redis.start();
    expect(redis.pid()).not.toBe(before);
    expect(await client.get('k')).toBe('v'); // ioredis reconnected by itself
  });
});

describe('haproxy fixture', () => {
  it('forwards MQTT-port TCP to backends whose /readyz is 200 and drops one that turns 503', async () => {
    const dir = await tempDir('haproxy');
    cleanups.push(() => dir.remove());
    const backends: { name: string; tcp: Server; ops: HttpServer; ready: boolean; mqttPort: number; apiPort: number; opsPort: number }[] = [];
    for (const name of ['hub1', 'hub2']) {
      const b = { name, ready: true, mqttPort: await freePort(), apiPort: await freePort(), opsPort: await freePort() } as (typeof backends)[number];
      b.tcp = createServer((s) => s.end(`${name}\n`)).listen(b.mqttPort, '127.0.0.1');
      b.ops = createHttpServer((_req, res) => res.writeHead(b.ready ? 200 : 503).end()).listen(b.opsPort, '127.0.0.1');
      cleanups.push(() => new Promise((r) => b.tcp.close(() => r())));
      cleanups.push(() => new Promise((r) => b.ops.close(() => r())));
      backends.push(b);
    }
    const haproxy = await startHaproxy(dir.path, backends);
    cleanups.push(() => haproxy.stop());
    await haproxy.waitForUp(['hub1', 'hub2']);
    const greet = () =>
      new Promise<string>((resolve, reject) => {
        const s = createConnection({ host: '127.0.0.1', port: haproxy.mqttPort });
        let text = '';
        s.on('data', (d) => (text += d.toString()));
        s.on('end', () => resolve(text.trim()));
        s.on('error', reject);
      });
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add(await greet());
    expect(seen).toEqual(new Set(['hub1', 'hub2']));
    backends[0]!.ready = false;
    await waitFor('hub1 marked down', async () => ((await haproxy.mqttServerStatus()).get('hub1')?.startsWith('DOWN') ? true : undefined), 10_000);
    for (let i = 0; i < 4; i++) expect(await greet()).toBe('hub2');
  });
});
