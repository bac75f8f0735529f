import { describe, expect, it } from 'vitest';
import { identityFromClaims, safeReturnPath } from './oidc';

const claimNames = { rolesClaim: 'crossview_roles', sitesClaim: 'crossview_sites' };

describe('identityFromClaims', () => {
  it('keeps only Crossview roles and the listed sites', () => {
    expect(identityFromClaims({ sub: 's1', preferred_username: 'jsmith', name: 'Dr J Smith', crossview_roles: ['admin', 'root'], crossview_sites: ['site-a', 'site-a', 'site-b'] }, claimNames)).toEqual({
      username: 'jsmith',
      displayName: 'Dr J Smith',
      roles: ['admin'],
      sites: ['site-a', 'site-b'],
    });
  });

  it('makes a person the provider says nothing about a clinician with no site', () => {
    expect(identityFromClaims({ sub: 's2' }, claimNames)).toEqual({ username: 's2', displayName: 's2', roles: ['clinician'], sites: [] });
  });

  it('reads "*" as every site, space-separated strings and nested claims', () => {
    expect(identityFromClaims({ sub: 's3', crossview_sites: '*' }, claimNames)?.sites).toBe('*');
    expect(identityFromClaims({ sub: 's3', crossview_sites: 'site-a site-c' }, claimNames)?.sites).toEqual(['site-a', 'site-c']);
    expect(identityFromClaims({ sub: 's3', realm_access: { roles: ['admin'] } }, { ...claimNames, rolesClaim: 'realm_access.roles' })?.roles).toEqual(['admin']);
  });

  it('refuses claims with no usable subject', () => {
    expect(identityFromClaims({ name: 'x' }, claimNames)).toBeUndefined();
    expect(identityFromClaims({ sub: 'a\nb' }, claimNames)).toBeUndefined();
  });
});

describe('safeReturnPath', () => {
  it('keeps same-origin app paths with their query and hash', () => {
    expect(safeReturnPath('/IHEInvokeImageDisplay?requestType=PATIENT&patientID=1#x')).toBe('/IHEInvokeImageDisplay?requestType=PATIENT&patientID=1#x');
  });

  it('sends anything else to /', () => {
    for (const evil of [null, '', 'https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)', '/api/session', '/sites/site-a/dicom-web/studies', '/a\r\nSet-Cookie: x=1']) {
      expect(safeReturnPath(evil), String(evil)).toBe('/');
    }
  });
});
