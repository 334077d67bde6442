import { describe, expect, it } from 'vitest';
import { parseHubEnv, parseSqlEnv } from '../config.js';

const BASE = { INFLUX_URL: 'http://127.0.0.1:8086' };

describe('SQL configuration (DATABASE_URL, RPM_SQL)', () => {
  it('is PGlite in RPM_DATA_DIR by default, PostgreSQL when DATABASE_URL is set', () => {
    expect(parseHubEnv(BASE)).toMatchObject({ ok: true, config: { RPM_SQL: 'pglite', RPM_DATA_DIR: './data/hub' } });
    const pg = parseHubEnv({ ...BASE, DATABASE_URL: 'postgres://rpm:s3cret@db.example:5432/rpm' });
    expect(pg).toMatchObject({ ok: true, config: { RPM_SQL: 'postgres', DATABASE_URL: 'postgres://rpm:s3cret@db.example:5432/rpm' } });
    expect(parseSqlEnv({ DATABASE_URL: 'postgresql://db/rpm' })).toMatchObject({ ok: true, config: { RPM_SQL: 'postgres' } });
    expect(parseSqlEnv({})).toMatchObject({ ok: true, config: { RPM_SQL: 'pglite' } });
  });

  it('refuses a DATABASE_URL that is not postgres, without echoing it (it holds a password)', () => {
    const result = parseHubEnv({ ...BASE, DATABASE_URL: 'mysql://root:hunter2@db/rpm' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('DATABASE_URL: DATABASE_URL must be a postgres:// or postgresql:// URL');
    expect(result.message).not.toContain('hunter2');
  });

  it('refuses an RPM_SQL that contradicts DATABASE_URL, and unknown values', () => {
    expect(parseSqlEnv({ RPM_SQL: 'postgres' })).toMatchObject({ ok: false, message: expect.stringContaining('RPM_SQL: RPM_SQL=postgres needs DATABASE_URL') as unknown });
    expect(parseSqlEnv({ RPM_SQL: 'pglite', DATABASE_URL: 'postgres://db/rpm' })).toMatchObject({ ok: false });
    expect(parseSqlEnv({ RPM_SQL: 'sqlite' })).toMatchObject({ ok: false, message: expect.stringContaining('RPM_SQL: RPM_SQL must be pglite or postgres') as unknown });
  });
});
