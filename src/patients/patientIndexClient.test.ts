import { describe, expect, it } from 'vitest';
import { createIndexLookup } from './patientIndexClient';

const entry = {
  siteId: 'site-b', StudyInstanceUID: '1.2.3', PatientID: 'RDH1', IssuerOfPatientID: 'RDH', nationalIds: ['9434765919'],
  ModalitiesInStudy: ['CR'], source: 'indexer', seenAt: '2026-11-23T10:00:00.000Z', metadataSeen: true, match: 'national-id',
};

describe('patient index lookup', () => {
  it('asks the gateway by national ID and returns the hits to verify', async () => {
    const asked: string[] = [];
    const lookup = createIndexLookup('http://gw', async (url) => {
      asked.push(String(url));
      return new Response(JSON.stringify({ query: { nationalId: '9434765919' }, entries: [entry], indexer: { state: 'idle', sites: {} } }));
    });
    expect(await lookup({ nationalId: '9434765919' })).toEqual([{ siteId: 'site-b', StudyInstanceUID: '1.2.3', match: 'national-id' }]);
    expect(asked).toEqual(['http://gw/api/patients?nationalId=9434765919']);
  });

  it('treats an index that is missing or answers nonsense as no hits', async () => {
    expect(await createIndexLookup('http://gw', async () => new Response('nope', { status: 404 }))({ nationalId: '9434765919' })).toEqual([]);
    expect(await createIndexLookup('http://gw', async () => new Response('{"entries": 3}'))({ PatientName: 'A^B', PatientBirthDate: '19700101' })).toEqual([]);
  });
});
