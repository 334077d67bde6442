/**
 * The v1 client against a stand-in that answers as InfluxDB 2.x / 3.x do through their
 * v1-compatibility API: token auth, a DBRP-mapped bucket named by db + rp, and their error bodies.
 * One real HTTP server on loopback for the file; each test sets the answer it wants.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyWriteError } from '../spool/write-errors.js';
import { InfluxError, InfluxV1Client } from './influx-v1.js';

interface Recorded {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

interface Answer {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

const recorded: Recorded[] = [];
let answer: Answer = { status: 204 };
let url = '';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    recorded.push({ method: req.method ?? '', url: new URL(req.url ?? '/', 'http://stub'), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body ?? '');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  recorded.length = 0;
  answer = { status: 204 };
});

// A bucket whose v1 name needs URL-encoding: InfluxDB 2.x allows spaces and symbols in DBRP names.
const database = 'rpm care/ward&1';
const retentionPolicy = 'auto gen+30d';

function client(): InfluxV1Client {
  return new InfluxV1Client({ url, database, retentionPolicy, auth: { kind: 'token', token: 's3cret==' } });
}

async function failure(p: Promise<unknown>): Promise<InfluxError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InfluxError);
  return err as InfluxError;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
});

describe('InfluxDB 2.x / 3.x v1-compatibility', () => {
  it('writes with a Token header and the DBRP-mapped db and rp, URL-encoded', async () => {
    const influx = client();
    await influx.write('m,patient=p-1 v=1 1700000000000');
    influx.close();
    const [req] = recorded;
    expect(req?.method).toBe('POST');
    expect(req?.url.pathname).toBe('/write');
    expect(req?.headers.authorization).toBe('Token s3cret==');
    expect(req?.url.searchParams.get('db')).toBe(database);
    expect(req?.url.searchParams.get('rp')).toBe(retentionPolicy);
    expect(req?.url.searchParams.get('precision')).toBe('ms');
    expect(req?.body).toBe('m,patient=p-1 v=1 1700000000000');
  });

  it('queries with a Token header and both db and rp, so 2.x picks the mapped bucket and not just the default', async () => {
    answer = json(200, { results: [{ statement_id: 0, series: [{ name: 'm', columns: ['time', 'v'], values: [[1700000000000, 1]] }] }] });
    const influx = client();
    const series = await influx.query('SELECT "v" FROM "m" WHERE "patient" = $p', { p: 'p-1' });
    influx.close();
    expect(series[0]?.values).toEqual([[1700000000000, 1]]);
    const [req] = recorded;
    expect(req?.headers.authorization).toBe('Token s3cret==');
    const form = new URLSearchParams(req?.body);
    expect(form.get('db')).toBe(database);
    expect(form.get('rp')).toBe(retentionPolicy);
    expect(JSON.parse(form.get('params') ?? '{}')).toEqual({ p: 'p-1' });
  });

  it('reads a 2.x not-found body ({code, message}) into a message that names the bucket; 404 is not retryable', async () => {
    answer = json(404, { code: 'not found', message: 'bucket "rpm" not found' });
    const err = await failure(client().write('m v=1 1'));
    expect(err.status).toBe(404);
    expect(err.retryable).toBe(false);
    expect(err.message).toBe('InfluxDB write failed with HTTP 404: not found: bucket "rpm" not found');
  });

  it('reads a 2.x unauthorized body; 401 and 403 are not retryable', async () => {
    answer = json(401, { code: 'unauthorized', message: 'unauthorized access' });
    const unauthorized = await failure(client().write('m v=1 1'));
    expect(unauthorized.retryable).toBe(false);
    expect(unauthorized.message).toBe('InfluxDB write failed with HTTP 401: unauthorized: unauthorized access');
    answer = json(403, { code: 'forbidden', message: 'insufficient permissions for write' });
    const forbidden = await failure(client().query('SELECT * FROM "m"'));
    expect(forbidden.retryable).toBe(false);
    expect(forbidden.message).toBe('InfluxDB query failed with HTTP 403: forbidden: insufficient permissions for write');
  });

  it('reads a 3.x {"error": ...} body, as 1.x sends it too', async () => {
    answer = json(400, { error: 'write buffer error: parsing for line protocol failed' });
    const err = await failure(client().write('m v=1 1'));
    expect(err.retryable).toBe(false);
    expect(err.message).toBe('InfluxDB write failed with HTTP 400: write buffer error: parsing for line protocol failed');
  });

  it('keeps a plain-text error body (proxies and 3.x answer some errors that way)', async () => {
    answer = { status: 404, body: 'database not found: rpm\n', headers: { 'content-type': 'text/plain' } };
    const err = await failure(client().write('m v=1 1'));
    expect(err.status).toBe(404);
    expect(err.retryable).toBe(false);
    expect(err.message).toBe('InfluxDB write failed with HTTP 404: database not found: rpm');
  });

  it('treats 429 and 503 as retryable and honours Retry-After', async () => {
    answer = json(429, { code: 'too many requests', message: 'org exceeded write limit' }, { 'retry-after': '7' });
    const limited = await failure(client().write('m v=1 1'));
    expect(limited.retryable).toBe(true);
    expect(limited.retryAfterMs).toBe(7000);
    expect(limited.message).toContain('org exceeded write limit');
    answer = { status: 503, body: 'Service Unavailable', headers: { 'retry-after': '2' } };
    const unavailable = await failure(client().write('m v=1 1'));
    expect(unavailable.retryable).toBe(true);
    expect(unavailable.retryAfterMs).toBe(2000);
  });

  it('reads a query-level error inside a 200 answer', async () => {
    answer = json(200, { results: [{ statement_id: 0, error: 'database not found: rpm' }] });
    const err = await failure(client().query('SELECT * FROM "m"'));
    expect(err.retryable).toBe(false);
    expect(err.message).toBe('query failed: database not found: rpm');
  });

  it('the drainer keeps the batch on 2.x auth and not-found answers (it retries them deliberately)', async () => {
    answer = json(401, { code: 'unauthorized', message: 'unauthorized access' });
    expect(classifyWriteError(await failure(client().write('m v=1 1')))).toMatchObject({ kind: 'auth', action: 'retry' });
    answer = json(404, { code: 'not found', message: 'bucket "rpm" not found' });
    expect(classifyWriteError(await failure(client().write('m v=1 1')))).toMatchObject({ kind: 'not_found', action: 'retry' });
    answer = json(429, { code: 'too many requests', message: 'org exceeded write limit' }, { 'retry-after': '3' });
    expect(classifyWriteError(await failure(client().write('m v=1 1')))).toMatchObject({ kind: 'throttled', action: 'retry', retryAfterMs: 3000 });
  });
});
