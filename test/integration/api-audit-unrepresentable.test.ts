/**
 * Request-derived text the database cannot store (NUL, lone surrogates) must neither be lost from
 * the audit log nor jam it: a request with `%00` in the patient id is recorded (escaped), and the
 * audited routes after it keep answering. On PGlite and on a real PostgreSQL.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, startApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { startPostgresForTests, type PostgresForTests } from '../support/postgres-fixture.js';

interface Entry {
  patientId: string | null;
  requestId: string;
  outcome: string;
  status: number;
}

describe.each(['PGlite', 'PostgreSQL'] as const)('audit log with text the database cannot store, on %s', (backend) => {
  let fx: ApiFixture;
  let pg: PostgresForTests | undefined;
  let n = 0;

  beforeAll(async () => {
    if (backend === 'PostgreSQL') {
      const server = await startPostgresForTests();
      pg = server;
      fx = await startApiFixture({}, { db: () => server.freshDb() });
    } else fx = await startApiFixture();
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
    await pg?.close();
  });

  async function get(url: string, requestId = `req-unrep-${n++}`) {
    const res = await fx.app.inject({ method: 'GET', url, headers: { ...fx.auth('carer'), 'x-request-id': requestId } });
    return { res, requestId };
  }

  /** The carer's entries of one request, polled briefly (refusals are logged without waiting). */
  async function entriesOf(requestId: string, count = 1): Promise<Entry[]> {
    let entries: Entry[] = [];
    for (let i = 0; i < 100 && entries.length < count; i++) {
      const res = await fx.app.inject({ method: 'GET', url: '/api/v1/audit?userId=u-carer&limit=1000', headers: fx.auth('admin') });
      expect(res.statusCode).toBe(200);
      entries = res.json<{ entries: Entry[] }>().entries.filter((e) => e.requestId === requestId);
      if (entries.length < count) await new Promise((r) => setTimeout(r, 20));
    }
    return entries;
  }

  it('records a patient id with NUL, escaped, and keeps serving audited reads', async () => {
    const bad = await get(`/api/v1/patients/${IDS.north1}%00x/readings?kind=spo2`);
    expect(bad.res.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.res.statusCode).toBeLessThan(500);
    // Give the refused entry's batch time to fail (and be retried) before the next read.
    await new Promise((r) => setTimeout(r, 100));

    const good = await get(`/api/v1/patients/${IDS.north1}/readings?kind=spo2`);
    expect(good.res.statusCode).toBe(200);

    expect((await entriesOf(good.requestId)).map((e) => [e.patientId, e.outcome, e.status])).toEqual([[IDS.north1, 'allowed', 200]]);
    const refused = await entriesOf(bad.requestId);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.patientId).toBe(`${IDS.north1}\\u0000x`);
    expect(refused[0]!.outcome).toMatch(/^(invalid|not_found)$/);
  });

  /**
   * Any string as a path segment, percent-encoded as UTF-8. A lone surrogate has no UTF-8 form, and
   * a URL that is not valid UTF-8 is refused by the router before any route (so before auditing):
   * it is sent as U+FFFD here, while the request id header carries lone surrogates as they are.
   */
  function asPathSegment(s: string): string {
    return [...s].map((ch) => (/^[\ud800-\udfff]$/.test(ch) ? '%EF%BF%BD' : encodeURIComponent(ch))).join('');
  }

  it('keeps answering and records every attempt for any Unicode in the patient id and the request id', async () => {
    // The router matches a path parameter of at most 100 characters (find-my-way's maxParamLength);
    // longer ones are unmatched URLs, answered 404 before any route. Long text goes in the header.
    const pathText = fc.string({ unit: 'binary', maxLength: 30 });
    const headerText = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', minLength: 2_000, maxLength: 10_240 }));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(pathText, headerText, async (patientId, requestTail) => {
        const requestId = `prop-${run++}-${requestTail}`;
        const res = await fx.app.inject({
          method: 'GET',
          url: `/api/v1/patients/${asPathSegment(patientId)}/readings?kind=spo2`,
          headers: { ...fx.auth('carer'), 'x-request-id': requestId },
        });
        expect(res.statusCode).not.toBe(503);
        expect(res.statusCode).toBeLessThan(500);
        const prefix = `prop-${run - 1}-`;
        let entries: Entry[] = [];
        for (let i = 0; i < 30 && entries.length === 0; i++) {
          const log = await fx.app.inject({ method: 'GET', url: '/api/v1/audit?userId=u-carer&limit=20', headers: fx.auth('admin') });
          entries = log.json<{ entries: Entry[] }>().entries.filter((e) => e.requestId.startsWith(prefix) && e.requestId.length <= 128);
          if (entries.length === 0) await new Promise((r) => setTimeout(r, 10));
        }
        expect(entries).toHaveLength(1);
      }),
      { numRuns: 40 },
    );
    const after = await get(`/api/v1/patients/${IDS.north1}/readings?kind=spo2`);
    expect(after.res.statusCode).toBe(200);
  }, 60_000);
});
