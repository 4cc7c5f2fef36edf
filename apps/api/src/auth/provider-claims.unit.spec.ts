import { identityFromClaims, readClaim, type ClaimMapping } from './provider-claims.js';

const byName: ClaimMapping = { rolesClaim: 'roles', departmentsClaim: 'departments', roleMap: undefined };
const byGroup: ClaimMapping = {
  rolesClaim: 'realm_access.roles',
  departmentsClaim: 'departments',
  roleMap: new Map([
    ['ssc-leads', ['lead']],
    ['ssc-programme-office', ['programme']],
    ['ssc-admins', ['admin', 'auditor']],
  ]),
};

describe('what a provider token makes of a person', () => {
  it('takes the product role names as they are when no map is configured, ignoring other values', () => {
    expect(identityFromClaims({ sub: 'jo', roles: ['lead', 'Everyone', 'superuser'], departments: ['dft', 'HMT'] }, byName)).toEqual({
      principal: { sub: 'jo', roles: ['lead'], departments: ['DFT', 'HMT'] },
    });
  });

  it('maps provider groups to roles, reading a dotted path, and grants only what the map names', () => {
    const claims = { sub: 'jo', realm_access: { roles: ['ssc-admins', 'admin', 'offline_access'] } };
    expect(identityFromClaims(claims, byGroup)).toEqual({ principal: { sub: 'jo', roles: ['admin', 'auditor'], departments: [] } });
  });

  it('reads space- or comma-separated strings as lists', () => {
    expect(identityFromClaims({ sub: 'jo', roles: 'lead centre', departments: 'DFT,DWP' }, byName)).toEqual({
      principal: { sub: 'jo', roles: ['lead', 'centre'], departments: ['DFT', 'DWP'] },
    });
  });

  it('signs in as nobody when no group maps to a role, even one named like a role', () => {
    expect(identityFromClaims({ sub: 'jo', realm_access: { roles: ['admin', 'finance'] } }, byGroup)).toEqual({ noRole: { sub: 'jo' } });
    expect(identityFromClaims({ sub: 'jo' }, byName)).toEqual({ noRole: { sub: 'jo' } });
  });

  it('leaves out department values that are not codes, which only narrows the scope', () => {
    expect(identityFromClaims({ sub: 'jo', roles: ['lead'], departments: ['DFT', 'not a code', 7, 'x'] }, byName)).toEqual({
      principal: { sub: 'jo', roles: ['lead'], departments: ['DFT'] },
    });
  });

  it('has no identity without a usable subject', () => {
    expect(identityFromClaims({ roles: ['lead'] }, byName)).toBeNull();
    expect(identityFromClaims({ sub: ' ', roles: ['lead'] }, byName)).toBeNull();
  });

  it('prefers a claim whose whole name has dots (namespaced claims) over a path', () => {
    expect(readClaim({ 'https://ssc.example.gov.uk/roles': ['lead'] }, 'https://ssc.example.gov.uk/roles')).toEqual(['lead']);
    expect(readClaim({ a: { b: 1 } }, 'a.b')).toBe(1);
    expect(readClaim({ a: ['x'] }, 'a.0')).toBeUndefined();
  });
});
