/**
 * Errors the framework raises, seen from outside over a real socket: each is problem+json with an
 * RPM_ERR_* code and none echoes what was sent (issue #15 item 2: a path segment over fastify's
 * length limit used to answer 414 with fastify's own JSON quoting the URL).
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, startApiFixture, type ApiFixture } from '../support/api-fixture.js';

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

describe('framework errors over HTTP', () => {
  let fx: ApiFixture;
  let port: number;

  beforeAll(async () => {
    fx = await startApiFixture();
    await fx.app.listen({ port: 0, host: '127.0.0.1' });
    port = (fx.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await fx?.close();
  });

  /** A raw request: the path goes on the wire exactly as written (fetch would normalise it). */
  function send(method: string, path: string, headers: Record<string, string> = {}, body?: string, user: 'admin' | 'clinician' = 'clinician'): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...fx.auth(user), ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: text }));
      });
      req.once('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  function expectProblem(answer: Answer, status: number, code: string, echoed: string): void {
    expect(answer.status).toBe(status);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(answer.body) as { code: string; status: number };
    expect(problem).toMatchObject({ code, status });
    expect(answer.body).not.toContain(echoed);
  }

  it('a path segment over the length limit: 414 RPM_ERR_PATH_TOO_LONG without the path', async () => {
    const long = `p-${'Z'.repeat(150)}`;
    expectProblem(await send('GET', `/api/v1/patients/${long}/readings?kind=spo2`), 414, 'RPM_ERR_PATH_TOO_LONG', 'ZZZZZZZZ');
  });

  it('a malformed percent-encoding in the path: 400 without the path', async () => {
    expectProblem(await send('GET', '/api/v1/patients/%E0%A4%A/readings?kind=spo2'), 400, 'RPM_ERR_VALIDATION', '%E0%A4%A');
  });

  it('an unknown route and a wrong method: catalogued, without the path', async () => {
    expectProblem(await send('GET', '/api/v1/no-such-thing-XYZZY'), 404, 'RPM_ERR_ROUTE_NOT_FOUND', 'XYZZY');
    expectProblem(await send('DELETE', '/api/v1/patients'), 405, 'RPM_ERR_METHOD_NOT_ALLOWED', '/api/v1/patients');
  });

  it('bad bodies: invalid JSON, an unsupported content type, a poisoned prototype, a body over the limit', async () => {
    // As an admin, who may create patients: the body is parsed only after the role check.
    const post = (type: string, body: string) => send('POST', '/api/v1/patients', { 'content-type': type }, body, 'admin');
    expectProblem(await post('application/json', '{"id": QWERTY'), 400, 'RPM_ERR_VALIDATION', 'QWERTY');
    expectProblem(await post('text/x-QWERTY', 'hello'), 415, 'RPM_ERR_UNSUPPORTED_MEDIA_TYPE', 'QWERTY');
    expectProblem(await post('application/json', '{"__proto__": {"QWERTY": 1}}'), 400, 'RPM_ERR_VALIDATION', 'QWERTY');
    expectProblem(await post('application/json', `{"id":"${'Q'.repeat(300 * 1024)}"}`), 413, 'RPM_ERR_PAYLOAD_TOO_LARGE', 'QQQQ');
  });

  it('the problem’s instance is the route pattern, never the path as sent', async () => {
    const answer = await send('GET', `/api/v1/patients/${IDS.north1}/readings?kind=QWERTY`);
    expectProblem(answer, 400, 'RPM_ERR_VALIDATION', 'QWERTY');
    expect(JSON.parse(answer.body)).toMatchObject({ instance: '/api/v1/patients/:patientId/readings' });
  });

  it('after all of it the API still answers', async () => {
    expect((await send('GET', '/api/v1/patients')).status).toBe(200);
  });
});
