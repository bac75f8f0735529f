/**
 * The behaviour every PatientIndexStore must have, as one vitest suite that each store's test
 * file runs against its own instance (embedded in the unit suite, PostgreSQL in integration).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { PatientIndexRecord } from '../../contracts/index';
import type { PatientIndexStore } from './store';

export function record(fields: Partial<PatientIndexRecord> & Pick<PatientIndexRecord, 'siteId' | 'StudyInstanceUID'>): PatientIndexRecord {
  return { nationalIds: [], ModalitiesInStudy: [], source: 'indexer', seenAt: '2025-06-01T10:00:00.000Z', metadataSeen: false, ...fields };
}

const patient = { PatientName: 'FAIRWEATHER^Casey', PatientBirthDate: '19661119', PatientSex: 'M' };

export function storeContract(open: () => Promise<PatientIndexStore>): void {
  let store: PatientIndexStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('finds every study carrying a national ID, at any site, and nothing else', async () => {
    await store.upsert([
      record({ siteId: 'site-a', StudyInstanceUID: '1.1', nationalIds: ['9990764875'], ...patient, StudyDate: '20250101' }),
      record({ siteId: 'site-b', StudyInstanceUID: '1.2', nationalIds: ['9990764875'], ...patient, StudyDate: '20240101' }),
      record({ siteId: 'site-b', StudyInstanceUID: '1.3', nationalIds: ['9996716082'] }),
    ]);
    const found = await store.findByNationalId('9990764875');
    expect(found.map((e) => [e.siteId, e.StudyInstanceUID, e.match])).toEqual([['site-a', '1.1', 'national-id'], ['site-b', '1.2', 'national-id']]);
    expect(found[0]?.PatientName).toBe('FAIRWEATHER^Casey');
    expect(await store.findByNationalId('9434765919')).toEqual([]);
  });

  it('finds a local ID only together with its issuer', async () => {
    await store.upsert([
      record({ siteId: 'site-b', StudyInstanceUID: '2.1', PatientID: '5526506', IssuerOfPatientID: 'RDH' }),
      record({ siteId: 'site-c', StudyInstanceUID: '2.2', PatientID: '5526506', IssuerOfPatientID: 'MII' }),
    ]);
    expect((await store.findByIssuerId('5526506', 'MII')).map((e) => [e.StudyInstanceUID, e.match])).toEqual([['2.2', 'issuer-id']]);
    expect(await store.findByIssuerId('5526506', 'NCC')).toEqual([]);
  });

  it('finds demographics by family name and birth date, a one-letter typo as approximate', async () => {
    await store.upsert([
      record({ siteId: 'site-a', StudyInstanceUID: '3.1', ...patient }),
      record({ siteId: 'site-a', StudyInstanceUID: '3.2', ...patient, PatientName: 'FEIRWEATHER^Casey' }),
      record({ siteId: 'site-a', StudyInstanceUID: '3.3', ...patient, PatientName: 'FAIRWEATHERS^Casey' }),
      record({ siteId: 'site-a', StudyInstanceUID: '3.4', ...patient, PatientName: 'FEIRWEATHERS^Casey' }),
      record({ siteId: 'site-a', StudyInstanceUID: '3.5', ...patient, PatientBirthDate: '19661120' }),
    ]);
    const found = await store.findByDemographics('Fairweather^Casey', '19661119');
    expect(found.map((e) => [e.StudyInstanceUID, e.match])).toEqual([
      ['3.1', 'demographics'], ['3.2', 'demographics-approximate'], ['3.3', 'demographics-approximate'],
    ]);
  });

  it('merges a later QIDO sighting into what metadata showed, and lets metadata replace identity', async () => {
    const uid = '4.1';
    await store.upsert([record({ siteId: 'site-b', StudyInstanceUID: uid, nationalIds: ['9990764875'], metadataSeen: true, ModalitiesInStudy: ['CR'], ...patient })]);
    await store.upsert([record({ siteId: 'site-b', StudyInstanceUID: uid, nationalIds: [], source: 'proxy', ModalitiesInStudy: ['SR'], seenAt: '2025-06-02T10:00:00.000Z' })]);
    const merged = await store.get('site-b', uid);
    expect(merged).toMatchObject({ nationalIds: ['9990764875'], metadataSeen: true, source: 'proxy', ModalitiesInStudy: ['CR', 'SR'], PatientName: patient.PatientName, seenAt: '2025-06-02T10:00:00.000Z' });
    expect((await store.findByNationalId('9990764875')).map((e) => e.StudyInstanceUID)).toEqual([uid]);

    await store.upsert([record({ siteId: 'site-b', StudyInstanceUID: uid, nationalIds: ['9996716082'], metadataSeen: true })]);
    expect(await store.findByNationalId('9990764875')).toEqual([]);
    expect((await store.findByNationalId('9996716082')).map((e) => e.StudyInstanceUID)).toEqual([uid]);
  });

  it('counts studies per site', async () => {
    await store.upsert([
      record({ siteId: 'site-a', StudyInstanceUID: '5.1' }),
      record({ siteId: 'site-a', StudyInstanceUID: '5.2' }),
      record({ siteId: 'site-a', StudyInstanceUID: '5.1' }),
      record({ siteId: 'site-c', StudyInstanceUID: '5.3' }),
    ]);
    expect(await store.countBySite()).toEqual({ 'site-a': 2, 'site-c': 1 });
  });
}
