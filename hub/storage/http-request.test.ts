/** The keep-alive transport against real node:http servers on loopback: bodies, headers, connection reuse and every way a request fails. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/free-port.js';
import { HttpTransportError, keepAliveTransport, type HttpTransport } from './http-request.js';

const servers: Server[] = [];
const transports: HttpTransport[] = [];

afterEach(async () => {
  for (const t of transports.splice(0)) t.close();
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

interface TestServer {
  readonly url: (path?: string) => URL;
  /** TCP connections the server accepted. */
  connections: number;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const server = createServer(handler);
  servers.push(server);
  const state = { connections: 0 };
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { url: (path = '/') => new URL(`http://127.0.0.1:${port}${path}`) });
}

function transport(): HttpTransport {
  const t = keepAliveTransport();
  transports.push(t);
  return t;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

describe('keepAliveTransport', () => {
  it('sends a Buffer body intact, with its content-length, method, path and headers', async () => {
    const seen: { method?: string; url?: string; length?: string; type?: string; body?: Buffer }[] = [];
    const server = await serve((req, res) => {
      void readBody(req).then((body) => {
        seen.push({ method: req.method, url: req.url, length: req.headers['content-length'], type: req.headers['content-type'], body });
        res.writeHead(204).end();
      });
    });
    // Every byte value, and UTF-8 that a string conversion could mangle.
    const body = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('m,patient=é v=1 1\n', 'utf8')]);
    const res = await transport().request(server.url('/write?db=x&precision=ms'), {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body,
      timeoutMs: 5000,
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/write?db=x&precision=ms', length: String(body.length), type: 'text/plain; charset=utf-8' });
    expect(seen[0]!.body!.equals(body)).toBe(true);
  });

  it('sends a string body as UTF-8 with its byte length', async () => {
    let got: { length?: string; body?: string } = {};
    const server = await serve((req, res) => {
      void readBody(req).then((b) => {
        got = { length: req.headers['content-length'], body: b.toString('utf8') };
        res.writeHead(204).end();
      });
    });
    const text = 'temperature=37 ÅÄÖ æøå';
    const res = await transport().request(server.url(), { method: 'POST', headers: {}, body: text, timeoutMs: 5000 });
    await res.text();
    expect(got).toEqual({ length: String(Buffer.byteLength(text, 'utf8')), body: text });
  });

  it('passes status and headers through and text() returns the body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'Retry-After': '7', 'Content-Type': 'application/json' }).end('{"error":"overloaded"}');
    });
    const res = await transport().request(server.url('/ping'), { method: 'GET', headers: {}, timeoutMs: 5000 });
    expect(res.status).toBe(503);
    expect(res.header('retry-after')).toBe('7');
    expect(res.header('Retry-After')).toBe('7');
    expect(res.header('content-type')).toBe('application/json');
    expect(res.header('x-not-sent')).toBeUndefined();
    expect(await res.text()).toBe('{"error":"overloaded"}');
  });

  it('reads a body that arrives in several chunks', async () => {
    const parts = ['first part, ', 'second part, ', 'Ω last'];
    const server = await serve((_req, res) => {
      res.writeHead(200);
      let i = 0;
      const next = () => (i < parts.length ? res.write(parts[i++], () => setImmediate(next)) : res.end());
      next();
    });
    const res = await transport().request(server.url(), { method: 'GET', headers: {}, timeoutMs: 5000 });
    expect(await res.text()).toBe(parts.join(''));
  });

  it('reuses one TCP connection for sequential requests', async () => {
    const server = await serve((req, res) => {
      void readBody(req).then((b) => res.writeHead(200).end(`got ${b.length}`));
    });
    const t = transport();
    const first = await t.request(server.url(), { method: 'POST', headers: {}, body: Buffer.from('abc'), timeoutMs: 5000 });
    expect(await first.text()).toBe('got 3');
    const second = await t.request(server.url(), { method: 'POST', headers: {}, body: Buffer.from('abcdef'), timeoutMs: 5000 });
    expect(await second.text()).toBe('got 6');
    expect(server.connections).toBe(1);
  });

  it('rejects with ECONNREFUSED when nothing listens', async () => {
    const port = await freePort();
    const err = await transport()
      .request(new URL(`http://127.0.0.1:${port}/`), { method: 'GET', headers: {}, timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTransportError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', message: 'ECONNREFUSED', name: 'HttpTransportError' });
  });

  it("rejects with 'timeout' when the server never answers", async () => {
    const server = await serve(() => undefined); // reads the request, never answers
    const err = await transport()
      .request(server.url(), { method: 'POST', headers: {}, body: 'm v=1 1', timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTransportError);
    expect((err as HttpTransportError).code).toBe('timeout');
  });

  it("rejects text() with 'timeout' when the body is still arriving at the deadline", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('the first bytes of a slow answer'); // and nothing more
    });
    const res = await transport().request(server.url(), { method: 'GET', headers: {}, timeoutMs: 200 });
    expect(res.status).toBe(200);
    const err = await res.text().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTransportError);
    expect((err as HttpTransportError).code).toBe('timeout');
  });

  it('makes text() reject, not hang, when the server goes away in the middle of the body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      // Headers and part of the body reach the client, then the connection dies.
      res.write('only part of the body', () => setTimeout(() => res.socket?.destroy(), 20));
    });
    const res = await transport().request(server.url(), { method: 'GET', headers: {}, timeoutMs: 5000 });
    expect(res.status).toBe(200);
    const err = await res.text().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTransportError);
  });

  it('a request after a cut-off one gets a fresh connection and succeeds', async () => {
    let n = 0;
    const server = await serve((_req, res) => {
      if (n++ === 0) {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('partial', () => setTimeout(() => res.socket?.destroy(), 20));
      } else {
        res.writeHead(200).end('whole');
      }
    });
    const t = transport();
    const cut = await t.request(server.url(), { method: 'GET', headers: {}, timeoutMs: 5000 });
    await expect(cut.text()).rejects.toBeInstanceOf(HttpTransportError);
    const ok = await t.request(server.url(), { method: 'GET', headers: {}, timeoutMs: 5000 });
    expect(await ok.text()).toBe('whole');
    expect(server.connections).toBe(2);
  });
});
