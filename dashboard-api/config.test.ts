import { describe, expect, it } from 'vitest';
import { apiOptionsFrom, auditOptionsFrom, oidcConfigFrom, parseApiEnv, trustProxyFrom } from './config.js';

describe('API configuration', () => {
  it('has safe defaults: no CORS origin, no TLS, no OIDC, no trusted proxy', () => {
    const parsed = parseApiEnv({});
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.config.API_CORS_ORIGINS).toEqual([]);
    expect(parsed.config.API_TLS_CERT).toBeUndefined();
    expect(oidcConfigFrom(parsed.config)).toBeUndefined();
    expect(trustProxyFrom(parsed.config.API_TRUST_PROXY)).toBe(false);
    expect(parsed.config.API_AUTH_FAILURES_PER_MINUTE).toBe(20);
  });

  it('names each wrong variable without echoing its value', () => {
    const parsed = parseApiEnv({
      API_CORS_ORIGINS: 'https://ok.example, not-a-url',
      API_OIDC_ROLE_MAP: '{"nurse":"superuser"}',
      API_AUTH_FAILURES_PER_MINUTE: '0',
      API_OIDC_ISSUER: 'https://login.example/realms/care',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toContain('API_CORS_ORIGINS');
    expect(parsed.message).toContain('API_OIDC_ROLE_MAP');
    expect(parsed.message).toContain('API_AUTH_FAILURES_PER_MINUTE');
    expect(parsed.message).not.toContain('not-a-url');
  });

  it('puts the audit journal and dead-letter file in the data directory unless they are set elsewhere', () => {
    const none = parseApiEnv({});
    const set = parseApiEnv({ API_AUDIT_DEAD_LETTER_FILE: '/var/lib/rpm/audit-dead-letter.jsonl' });
    if (!none.ok || !set.ok) throw new Error('unexpected configuration error');
    expect(auditOptionsFrom(none.config, '/var/lib/rpm/hub')).toEqual({
      flushEveryMs: 2,
      maxBatch: 500,
      deadLetterPath: '/var/lib/rpm/hub/audit-dead-letters.jsonl',
      journalDir: '/var/lib/rpm/hub/audit-journal',
      maxJournalBytes: 1024 * 1024 * 1024,
    });
    expect(auditOptionsFrom(set.config, '/var/lib/rpm/hub')).toMatchObject({ deadLetterPath: '/var/lib/rpm/audit-dead-letter.jsonl' });
  });

  it('wants the TLS certificate and key together', () => {
    const parsed = parseApiEnv({ API_TLS_CERT: '/etc/rpm/api.crt' });
    expect(parsed).toMatchObject({ ok: false, message: expect.stringContaining('API_TLS_KEY: API_TLS_CERT and API_TLS_KEY go together') as string });
  });

  it('builds the OIDC settings with a role map', () => {
    const parsed = parseApiEnv({ API_OIDC_ISSUER: 'https://login.example/realms/care', API_OIDC_AUDIENCE: 'rpm', API_OIDC_ROLE_MAP: '{"rpm-nurse":"clinician"}' });
    if (!parsed.ok) throw new Error(parsed.message);
    expect(oidcConfigFrom(parsed.config)).toEqual({
      issuer: 'https://login.example/realms/care',
      audience: 'rpm',
      userClaim: 'sub',
      roleClaim: 'rpm_role',
      teamsClaim: 'rpm_teams',
      roleMap: { 'rpm-nurse': 'clinician' },
    });
  });

  it('refuses OIDC settings without an issuer', () => {
    expect(parseApiEnv({ API_OIDC_AUDIENCE: 'rpm' })).toMatchObject({ ok: false, message: expect.stringContaining('API_OIDC_ISSUER') as string });
    expect(parseApiEnv({ API_OIDC_CLIENT_ID: 'rpm-web' })).toMatchObject({ ok: false, message: expect.stringContaining('API_OIDC_ISSUER') as string });
  });

  it('offers the browser OIDC sign-in only with a client id, scope "openid profile" by default', async () => {
    const issuer = 'https://login.example/realms/care';
    const without = parseApiEnv({ API_OIDC_ISSUER: issuer });
    if (!without.ok) throw new Error(without.message);
    expect((await apiOptionsFrom(without.config)).oidcClient).toBeUndefined();
    const withClient = parseApiEnv({ API_OIDC_ISSUER: issuer, API_OIDC_CLIENT_ID: 'rpm-web' });
    if (!withClient.ok) throw new Error(withClient.message);
    expect((await apiOptionsFrom(withClient.config)).oidcClient).toEqual({ issuer, clientId: 'rpm-web', scope: 'openid profile' });
    const scoped = parseApiEnv({ API_OIDC_ISSUER: issuer, API_OIDC_CLIENT_ID: 'rpm-web', API_OIDC_SCOPE: 'openid rpm' });
    if (!scoped.ok) throw new Error(scoped.message);
    expect((await apiOptionsFrom(scoped.config)).oidcClient?.scope).toBe('openid rpm');
  });

  it('reads trusted proxies as a list', () => {
    expect(trustProxyFrom('10.0.0.1, 10.0.1.0/24')).toEqual(['10.0.0.1', '10.0.1.0/24']);
    expect(trustProxyFrom('true')).toBe(true);
  });
});
