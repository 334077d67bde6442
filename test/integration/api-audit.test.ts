/**
 * Every read or change of patient data lands in the SQL audit log (who, what, which patient, when,
 * from where, outcome), admins can page through it, nothing in the API can change it, and patient
 * data is withheld when the log cannot record the access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../dashboard-api/app.js';
import { AuditTrail } from '../../hub/audit/audit-trail.js';
import { SqlAuditStore } from '../../hub/audit/sql-audit-store.js';
import { IDS, startApiFixture, writeReadings, type ApiFixture, type FixtureUser } from '../support/api-fixture.js';
import { freshPglite } from '../support/sql-fixture.js';

interface Entry {
  id: string;
  at: string;
  userId: string;
  role: string;
  action: string;
  route: string;
  patientId: string | null;
  address: string;
  outcome: string;
  status: number;
  requestId: string;
}

const RANGE = 'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z';

/** Every route that reads one patient's data, with the action it must be logged as. */
const PATIENT_READS = [
  ['patient.read', 'GET /api/v1/patients/:patientId', (p: string) => `/api/v1/patients/${p}`],
  ['readings.read', 'GET /api/v1/patients/:patientId/readings', (p: string) => `/api/v1/patients/${p}/readings?kind=blood_pressure&${RANGE}`],
  ['trends.read', 'GET /api/v1/patients/:patientId/trends', (p: string) => `/api/v1/patients/${p}/trends?kind=blood_pressure&every=1h&${RANGE}`],
  ['export.csv', 'GET /api/v1/patients/:patientId/export.csv', (p: string) => `/api/v1/patients/${p}/export.csv?${RANGE}`],
  ['export.fhir', 'GET /api/v1/patients/:patientId/fhir', (p: string) => `/api/v1/patients/${p}/fhir?${RANGE}`],
] as const;

describe('audit log', () => {
  let fx: ApiFixture;
  let n = 0;

  beforeAll(async () => {
    fx = await startApiFixture();
    await writeReadings(fx.influx, IDS.north1, [{ kind: 'blood_pressure', at: new Date('2026-03-01T08:00:00Z'), values: { systolic: 130, diastolic: 80 } }]);
  });

  afterAll(async () => {
    await fx?.close();
  });

  async function get(user: FixtureUser, url: string) {
    const requestId = `req-audit-${n++}`;
    const res = await fx.app.inject({ method: 'GET', url, headers: { ...fx.auth(user), 'x-request-id': requestId } });
    return { res, requestId };
  }

  async function auditFor(query: string): Promise<Entry[]> {
    const res = await fx.app.inject({ method: 'GET', url: `/api/v1/audit?${query}`, headers: fx.auth('admin') });
    expect(res.statusCode).toBe(200);
    return res.json<{ entries: Entry[] }>().entries;
  }

  it.each(PATIENT_READS)('records %s: who, what, which patient, when, from where, outcome', async (action, route, path) => {
    const before = Date.now();
    const { res, requestId } = await get('clinician', path(IDS.north1));
    expect(res.statusCode).toBe(200);
    const entries = (await auditFor(`patientId=${IDS.north1}&limit=1000`)).filter((e) => e.requestId === requestId);
    expect(entries).toEqual([
      {
        id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/) as string,
        at: expect.any(String) as string,
        userId: 'u-clinician',
        role: 'clinician',
        action,
        route,
        patientId: IDS.north1,
        address: '127.0.0.1',
        outcome: 'allowed',
        status: 200,
        requestId,
      },
    ]);
    expect(Date.parse(entries[0]!.at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("records another team's patient as not_found, with the id that was asked for", async () => {
    const { res, requestId } = await get('clinician', `/api/v1/patients/${IDS.south1}/readings?kind=blood_pressure`);
    expect(res.statusCode).toBe(404);
    // Refusals are logged without making the client wait: poll briefly.
    let entries: Entry[] = [];
    for (let i = 0; i < 50 && entries.length === 0; i++) {
      entries = (await auditFor(`patientId=${IDS.south1}&userId=u-clinician`)).filter((e) => e.requestId === requestId);
      if (entries.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(entries.map((e) => [e.outcome, e.status, e.action])).toEqual([['not_found', 404, 'readings.read']]);
  });

  it('records one entry per patient shown on a worklist', async () => {
    const { res, requestId } = await get('carer', '/api/v1/patients');
    expect(res.statusCode).toBe(200);
    const shown = res.json<{ patients: { id: string }[] }>().patients.map((p) => p.id).sort();
    expect(shown).toEqual([IDS.north1, IDS.north2]);
    const entries = (await auditFor('userId=u-carer&limit=1000')).filter((e) => e.requestId === requestId);
    expect(entries.map((e) => e.patientId).sort()).toEqual(shown);
    expect(new Set(entries.map((e) => e.action))).toEqual(new Set(['patient.list']));
  });

  it('records a change as attempted before it is made and its result after', async () => {
    const requestId = `req-change-${n++}`;
    const res = await fx.app.inject({
      method: 'PATCH',
      url: `/api/v1/patients/${IDS.north2}`,
      headers: { ...fx.auth('admin'), 'x-request-id': requestId },
      payload: { displayName: 'Andersen, Bo Erik' },
    });
    expect(res.statusCode).toBe(200);
    let entries: Entry[] = [];
    for (let i = 0; i < 50 && entries.length < 2; i++) {
      entries = (await auditFor(`patientId=${IDS.north2}&userId=u-admin`)).filter((e) => e.requestId === requestId);
      if (entries.length < 2) await new Promise((r) => setTimeout(r, 20));
    }
    expect(entries.map((e) => [e.action, e.outcome, e.status]).sort()).toEqual([
      ['patient.update', 'allowed', 200],
      ['patient.update', 'attempted', 0],
    ]);
  });

  it('pages through the log newest first without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) await get('clinician', `/api/v1/patients/${IDS.north1}`);
    const all = await auditFor('userId=u-clinician&limit=1000');
    const paged: Entry[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/audit?userId=u-clinician&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await fx.app.inject({ method: 'GET', url, headers: fx.auth('admin') });
      const body = res.json<{ entries: Entry[]; nextCursor: string | null }>();
      paged.push(...body.entries);
      cursor = body.nextCursor;
    } while (cursor);
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(all.length).toBeGreaterThanOrEqual(7);
    const times = all.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('offers no way to change or delete entries', async () => {
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      const res = await fx.app.inject({ method, url: '/api/v1/audit', headers: fx.auth('admin') });
      expect(res.statusCode).toBe(405);
      expect(res.json()).toMatchObject({ code: 'RPM_ERR_METHOD_NOT_ALLOWED' });
    }
  });

  it('withholds patient data (503) and makes no change when the audit log cannot record', async () => {
    const broken = await freshPglite();
    const store = new SqlAuditStore(broken);
    const app = await buildApp({ ...fx.services, audit: { trail: new AuditTrail(store, { flushEveryMs: 1 }), store } });
    try {
      await broken.close(); // the audit database is gone
      const read = await app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}/readings?kind=blood_pressure&${RANGE}`, headers: fx.auth('clinician') });
      expect(read.statusCode).toBe(503);
      expect(read.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(read.json()).toMatchObject({ code: 'RPM_ERR_AUDIT_UNAVAILABLE' });
      expect(read.body).not.toContain('systolic');

      const change = await app.inject({ method: 'PATCH', url: `/api/v1/patients/${IDS.north1}`, headers: fx.auth('admin'), payload: { displayName: 'Changed While Unlogged' } });
      expect(change.statusCode).toBe(503);
      expect(change.json()).toMatchObject({ code: 'RPM_ERR_AUDIT_UNAVAILABLE', detail: 'the change was not made' });
      const record = await fx.services.patients.getPatientRecord(IDS.north1);
      expect(record?.displayName).toBe('Ørsted, Åse');
    } finally {
      await app.close();
    }
  });
});
