/**
 * The API describes itself and keeps its shape: a valid OpenAPI document listing every route, docs
 * at /docs, response schemas that strip fields a service returns but the schema does not list,
 * validation errors that name the field, and problem+json for unknown routes and wrong methods.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, registeredApiRoutes } from '../../dashboard-api/app.js';
import type { PatientStore } from '../../dashboard-api/services.js';
import { IDS, startApiFixture, type ApiFixture } from '../support/api-fixture.js';

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>;
}

describe('OpenAPI and response shapes', () => {
  let fx: ApiFixture;

  beforeAll(async () => {
    fx = await startApiFixture();
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('serves a valid OpenAPI 3 document at /openapi.json that lists every route with a response schema', async () => {
    const res = await fx.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<OpenApiDoc>();
    expect(doc.openapi).toBe('3.0.3');
    // Throws with the reason when the document is not valid OpenAPI.
    await SwaggerParser.validate(structuredClone(doc) as never);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const routes = registeredApiRoutes(fx.app).map((r) => `${r.method} ${r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThanOrEqual(13);
    expect([...documented].sort()).toEqual([...routes].sort());
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        expect(success, `${method} ${path} has a success response schema`).not.toHaveLength(0);
      }
    }
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await fx.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });

  it('never sends a field that the response schema does not list, even when a service returns it', async () => {
    const leaky: PatientStore = {
      ...fx.services.patients,
      getPatient: fx.services.patients.getPatient.bind(fx.services.patients),
      listPatients: fx.services.patients.listPatients.bind(fx.services.patients),
      createPatient: fx.services.patients.createPatient.bind(fx.services.patients),
      updatePatient: fx.services.patients.updatePatient.bind(fx.services.patients),
      careTeamExists: fx.services.patients.careTeamExists.bind(fx.services.patients),
      async getPatientRecord(id) {
        const record = await fx.services.patients.getPatientRecord(id);
        return record && { ...record, nationalId: '010150-1234', internalNote: 'not for the API' };
      },
    };
    const app = await buildApp({ ...fx.services, patients: leaky });
    try {
      const res = await app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}`, headers: fx.auth('clinician') });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: IDS.north1, displayName: 'Ørsted, Åse' });
      expect(res.body).not.toContain('nationalId');
      expect(res.body).not.toContain('010150-1234');
      expect(res.body).not.toContain('internalNote');
    } finally {
      await app.close();
    }
  });

  it.each([
    ['a query field', `/api/v1/patients/${IDS.north1}/trends?kind=blood_pressure&every=5m`, 'querystring.every'],
    ['a path parameter', '/api/v1/patients/_unassigned/readings?kind=blood_pressure', 'params.patientId'],
    ['a time', `/api/v1/patients/${IDS.north1}/readings?kind=spo2&from=yesterday`, 'querystring.from'],
    ['an inverted range', `/api/v1/patients/${IDS.north1}/readings?kind=spo2&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z`, 'querystring.from'],
    ['a cursor', `/api/v1/patients/${IDS.north1}/readings?kind=spo2&cursor=bm90LWEtY3Vyc29y`, 'querystring.cursor'],
    ['a too long trend', `/api/v1/patients/${IDS.north1}/trends?kind=spo2&every=1h&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`, 'querystring.from'],
  ])('names the field of a validation error in %s', async (_what, url, path) => {
    const res = await fx.app.inject({ method: 'GET', url, headers: fx.auth('clinician') });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json<{ code: string; errors: { path: string; message: string }[] }>();
    expect(body.code).toBe('RPM_ERR_VALIDATION');
    expect(body.errors.map((e) => e.path)).toContain(path);
  });

  it('names nested fields of a rule configuration in a patient body', async () => {
    const res = await fx.app.inject({
      method: 'PATCH',
      url: `/api/v1/patients/${IDS.north1}`,
      headers: fx.auth('admin'),
      payload: { rules: { schedules: [{ type: 'daily', kind: 'body_weight', by: '25:00' }], thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 'high', severity: 'high' }] } } } },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toContain('body.rules.schedules[0].by');
    expect(paths).toContain('body.rules.thresholds.blood_pressure.systolic.high[0].limit');
  });

  it('answers problem+json for unknown routes, wrong methods, wrong media types and bodies that are too large', async () => {
    const auth = fx.auth('admin');
    const noRoute = await fx.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: auth });
    expect(noRoute.statusCode).toBe(404);
    expect(noRoute.json()).toMatchObject({ code: 'RPM_ERR_ROUTE_NOT_FOUND' });
    const wrongMethod = await fx.app.inject({ method: 'DELETE', url: `/api/v1/patients/${IDS.north1}`, headers: auth });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, PATCH');
    expect(wrongMethod.json()).toMatchObject({ code: 'RPM_ERR_METHOD_NOT_ALLOWED' });
    const media = await fx.app.inject({ method: 'POST', url: '/api/v1/patients', headers: { ...auth, 'content-type': 'application/xml' }, payload: '<patient id="p-x"/>' });
    expect(media.statusCode).toBe(415);
    expect(media.json()).toMatchObject({ code: 'RPM_ERR_UNSUPPORTED_MEDIA_TYPE' });
    const big = await fx.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ id: 'p-big', careTeamId: IDS.north, displayName: 'x'.repeat(300 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'RPM_ERR_PAYLOAD_TOO_LARGE' });
    for (const res of [noRoute, wrongMethod, media, big]) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
