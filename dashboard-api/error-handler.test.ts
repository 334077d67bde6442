/**
 * The error handler maps errors that come from the hub by the stable code they carry
 * (contract/part-errors.ts), not by class: the hub's own classes and a look-alike of no known class
 * give the same problem.
 */
import fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditUnavailableError } from '../hub/audit/audit-trail.js';
import { RegistryError } from '../hub/registry/registry-admin.js';
import { InfluxError } from '../hub/storage/influx-v1.js';
import { installErrorHandling } from './error-handler.js';

const THROWN: Record<string, () => unknown> = {
  duplicate: () => new RegistryError('duplicate', 'patient p-1 exists'),
  conflict: () => new RegistryError('conflict', 'device is assigned'),
  invalid: () => new RegistryError('invalid', 'careTeamId: unknown care team'),
  'not-found': () => new RegistryError('not_found', 'no care team t-9'),
  'influx-down': () => new InfluxError('connect ECONNREFUSED', undefined, true),
  'influx-500': () => new InfluxError('InfluxDB answered 500', 500, true),
  'influx-400': () => new InfluxError('bad query', 400, false),
  audit: () => new AuditUnavailableError('the audit journal is full'),
  'look-alike': () => Object.assign(new Error('taken'), { partError: 'conflict' }),
  'unknown-code': () => Object.assign(new Error('x'), { partError: 'teapot' }),
};

describe('error handler: errors from the hub, by their cross-part code', () => {
  const app = fastify({ logger: false });
  beforeAll(async () => {
    installErrorHandling(app, () => []);
    app.get<{ Params: { which: string } }>('/throw/:which', async (request) => {
      throw THROWN[request.params.which]!();
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it.each([
    ['duplicate', 409, 'RPM_ERR_CONFLICT'],
    ['conflict', 409, 'RPM_ERR_CONFLICT'],
    ['invalid', 400, 'RPM_ERR_VALIDATION'],
    ['not-found', 400, 'RPM_ERR_VALIDATION'],
    ['influx-down', 503, 'RPM_ERR_STORAGE_UNAVAILABLE'],
    ['influx-500', 503, 'RPM_ERR_STORAGE_UNAVAILABLE'],
    ['influx-400', 500, 'RPM_ERR_INTERNAL'],
    ['audit', 503, 'RPM_ERR_AUDIT_UNAVAILABLE'],
    ['look-alike', 409, 'RPM_ERR_CONFLICT'],
    ['unknown-code', 500, 'RPM_ERR_INTERNAL'],
  ] as const)('%s answers %i %s', async (which, status, code) => {
    const res = await app.inject({ method: 'GET', url: `/throw/${which}` });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json<{ code: string }>().code).toBe(code);
  });

  it('passes the registry message on (it names the field), never a storage error text', async () => {
    expect((await app.inject({ method: 'GET', url: '/throw/invalid' })).json<{ detail?: string }>().detail).toBe('careTeamId: unknown care team');
    expect(JSON.stringify((await app.inject({ method: 'GET', url: '/throw/influx-down' })).json())).not.toContain('ECONNREFUSED');
  });
});
