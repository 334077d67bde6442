/**
 * Request-derived text the database cannot store (NUL, lone surrogates) must neither be lost from
 * the audit log nor jam it: a request with `%00` in the patient id is recorded (escaped), and the
 * audited routes after it keep answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, startApiFixture, type ApiFixture } from '../support/api-fixture.js';

interface Entry {
  patientId: string | null;
  requestId: string;
  outcome: string;
  status: number;
}

describe('audit log with text the database cannot store', () => {
  let fx: ApiFixture;
  let n = 0;

  beforeAll(async () => {
    fx = await startApiFixture();
  });

  afterAll(async () => {
    await fx?.close();
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
});
