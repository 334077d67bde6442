import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_MAP, looksLikeJwt, principalFromClaims } from './oidc.js';

const config = { userClaim: 'sub', roleClaim: 'realm_access.roles', teamsClaim: 'groups', roleMap: { ...DEFAULT_ROLE_MAP, 'rpm-nurse': 'clinician' as const } };

describe('OIDC claims', () => {
  it('maps a nested role claim and a team list to a principal', () => {
    expect(principalFromClaims({ sub: 'u-7', realm_access: { roles: ['offline_access', 'rpm-nurse'] }, groups: ['team-north', 'team-south'] }, config)).toEqual({
      userId: 'u-7',
      role: 'clinician',
      careTeamIds: ['team-north', 'team-south'],
    });
  });

  it('takes the most capable of several roles, and teams as a space-separated string', () => {
    expect(principalFromClaims({ sub: 'u-8', realm_access: { roles: ['carer', 'admin', 'rpm-nurse'] }, groups: 'team-a team-b' }, config)).toMatchObject({
      role: 'admin',
      careTeamIds: ['team-a', 'team-b'],
    });
  });

  it('drops team ids that are not ids and refuses tokens without a user or a known role', () => {
    expect(principalFromClaims({ sub: 'u-9', realm_access: { roles: ['carer'] }, groups: ['ok-team', '../etc', '', 7] }, config)?.careTeamIds).toEqual(['ok-team']);
    expect(principalFromClaims({ realm_access: { roles: ['carer'] } }, config)).toBeUndefined();
    expect(principalFromClaims({ sub: 'u-9', realm_access: { roles: ['superuser'] } }, config)).toBeUndefined();
    expect(principalFromClaims({ sub: 'u-9', realm_access: 'carer' }, { ...config, roleClaim: 'realm_access.roles' })).toBeUndefined();
  });

  it('tells JWTs from opaque tokens', () => {
    expect(looksLikeJwt('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
    expect(looksLikeJwt('tok_aGVsbG8td29ybGQtaGVsbG8td29ybGQ')).toBe(false);
    expect(looksLikeJwt('eyJh.only-two')).toBe(false);
  });
});
