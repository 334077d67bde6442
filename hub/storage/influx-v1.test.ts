/** The v1 client against the run's real influxd: writes, bound-parameter queries, and how failures are classified. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.js';
import { freshInfluxDatabase, influxAuth, influxUrl } from '../../test/setup/influx.js';
import { InfluxError, InfluxV1Client, isLoopback } from './influx-v1.js';

/** A stand-in for InfluxDB on loopback (real HTTP), for answers the real one will not give on demand. */
async function fakeInflux(handler: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const twoThousandLines = Array.from({ length: 2000 }, (_, i) => `m,patient=p-1 v=${i} ${1700000000000 + i}`);

describe('InfluxV1Client', () => {
  it('writes line protocol and reads it back with bound parameters', async () => {
    const influx = await freshInfluxDatabase('client');
    await influx.write(['m,patient=p-1 v=1 1700000000000', 'm,patient=p-2 v=2 1700000000000']);
    const series = await influx.query('SELECT "v" FROM "m" WHERE "patient" = $p', { p: 'p-2' });
    expect(series[0]?.values).toEqual([[1700000000000, 2]]);
  });

  it('does not let a parameter change the query', async () => {
    const influx = await freshInfluxDatabase('client');
    await influx.write('m,patient=p-1 v=1 1700000000000');
    const series = await influx.query('SELECT "v" FROM "m" WHERE "patient" = $p', { p: "p-1' OR patient =~ /.*/ --" });
    expect(series).toEqual([]);
  });

  it('gzips large bodies and InfluxDB accepts them', async () => {
    const influx = new InfluxV1Client({ url: influxUrl(), database: (await freshInfluxDatabase('gz')).database, auth: influxAuth(), gzipAboveBytes: 10, gzipLevel: 1 });
    const lines = Array.from({ length: 2000 }, (_, i) => `m,patient=p-1 v=${i} ${1700000000000 + i}`);
    await influx.write(lines);
    const series = await influx.query('SELECT count("v") FROM "m"');
    expect(series[0]?.values[0]?.[1]).toBe(2000);
  });

  it('stores a write given as a Buffer (UTF-8 line protocol)', async () => {
    const influx = await freshInfluxDatabase('buf');
    try {
      await influx.write(Buffer.from('m,patient=p-é v=1 1700000000000\nm,patient=p-2 v=2 1700000000001', 'utf8'));
      const series = await influx.query('SELECT "v" FROM "m" WHERE "patient" = $p', { p: 'p-é' });
      expect(series[0]?.values).toEqual([[1700000000000, 1]]);
      expect((await influx.query('SELECT count("v") FROM "m"'))[0]?.values[0]?.[1]).toBe(2);
    } finally {
      influx.close();
    }
  });

  it.each([0, 9])('stores every point with gzipLevel %i', async (gzipLevel) => {
    const created = await freshInfluxDatabase(`gz${gzipLevel}`);
    created.close();
    const database = created.database;
    const influx = new InfluxV1Client({ url: influxUrl(), database, auth: influxAuth(), gzipAboveBytes: 10, gzipLevel });
    try {
      await influx.write(twoThousandLines);
      const series = await influx.query('SELECT count("v") FROM "m"');
      expect(series[0]?.values[0]?.[1]).toBe(2000);
    } finally {
      influx.close();
    }
  });

  it('sends the body uncompressed with gzipLevel 0 and gzipped with gzipLevel 9', async () => {
    const seen: { encoding?: string; body: string }[] = [];
    const fake = await fakeInflux((req, body, res) => {
      const encoding = req.headers['content-encoding'];
      seen.push({ encoding, body: (encoding === 'gzip' ? gunzipSync(body) : body).toString('utf8') });
      res.writeHead(204).end();
    });
    const clients = [0, 9].map((gzipLevel) => new InfluxV1Client({ url: fake.url, database: 'x', auth: { kind: 'none' }, gzipAboveBytes: 10, gzipLevel }));
    try {
      for (const c of clients) await c.write(twoThousandLines);
      expect(seen.map((s) => s.encoding)).toEqual([undefined, 'gzip']);
      expect(seen.map((s) => s.body)).toEqual([twoThousandLines.join('\n'), twoThousandLines.join('\n')]);
    } finally {
      for (const c of clients) c.close();
      await fake.close();
    }
  });

  it('by default does not compress for an InfluxDB on loopback', async () => {
    const encodings: (string | undefined)[] = [];
    const fake = await fakeInflux((req, _body, res) => {
      encodings.push(req.headers['content-encoding']);
      res.writeHead(204).end();
    });
    const client = new InfluxV1Client({ url: fake.url, database: 'x', auth: { kind: 'none' }, gzipAboveBytes: 10 });
    try {
      await client.write(twoThousandLines);
      expect(encodings).toEqual([undefined]);
    } finally {
      client.close();
      await fake.close();
    }
  });

  it.each([
    ['127.0.0.1', true],
    ['127.10.0.3', true],
    ['localhost', true],
    ['[::1]', true],
    ['::1', true],
    ['influx.example.org', false],
    ['10.0.0.5', false],
    ['128.0.0.1', false],
    ['127.0.0.1.example.org', false],
  ])('isLoopback(%s) is %s (loopback: no gzip by default)', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });

  it('carries Retry-After of a 503 into a retryable InfluxError', async () => {
    const fake = await fakeInflux((_req, _body, res) => {
      res.writeHead(503, { 'Retry-After': '7', 'Content-Type': 'application/json' }).end('{"error":"engine overloaded"}');
    });
    const influx = new InfluxV1Client({ url: fake.url, database: 'x', auth: { kind: 'none' } });
    try {
      const err = await influx.write('m v=1 1700000000000').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InfluxError);
      expect(err).toMatchObject({ status: 503, retryable: true, retryAfterMs: 7000 });
      expect((err as Error).message).toBe('InfluxDB write failed with HTTP 503: engine overloaded');
    } finally {
      influx.close();
      await fake.close();
    }
  });

  it('classifies bad line protocol as permanent, with the server reason', async () => {
    const influx = await freshInfluxDatabase('client');
    const err = await influx.write('m,patient=p-1 v= 1700000000000').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfluxError);
    expect(err).toMatchObject({ status: 400, retryable: false });
    expect((err as Error).message).toMatch(/^InfluxDB write failed with HTTP 400: /);
  });

  it('classifies a missing database as permanent', async () => {
    const influx = new InfluxV1Client({ url: influxUrl(), database: 'does_not_exist_xyz', auth: influxAuth() });
    await expect(influx.write('m v=1 1700000000000')).rejects.toMatchObject({ status: 404, retryable: false });
  });

  it('classifies an unreachable server as retryable', async () => {
    const influx = new InfluxV1Client({ url: `http://127.0.0.1:${await freePort()}`, database: 'x', auth: { kind: 'none' }, timeoutMs: 2000 });
    const err = await influx.write('m v=1 1700000000000').catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, status: undefined });
    expect((err as Error).message).toMatch(/^InfluxDB unreachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
    expect(await influx.ping()).toBe(false);
  });
});
