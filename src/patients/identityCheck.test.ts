import { describe, expect, it } from 'vitest';
import { checkIdentity, nationalIdsOf } from './identityCheck';
import { parseCxPatientId, type PatientQuery } from './patientQuery';

const nhs: PatientQuery = { kind: 'national', nationalId: '9434765919', issuer: 'NHS' };

describe('checkIdentity', () => {
  it('links a record whose OtherPatientIDs carries the NHS number', () => {
    expect(checkIdentity({ PatientID: 'L1', OtherPatientIDs: ['X', '9434765919'] }, nhs, 'RDH')).toEqual({ matches: true, basis: 'national-id' });
  });

  it('links a record whose national ID sits only in OtherPatientIDsSequence, written with spaces', () => {
    const record = { PatientID: 'L1', OtherPatientIDsSequence: [{ PatientID: '943 476 5919', IssuerOfPatientID: 'NHS' }] };
    expect(checkIdentity(record, nhs, 'RDH')).toMatchObject({ matches: true });
  });

  it('drops a record of another person that a server returned anyway', () => {
    expect(checkIdentity({ PatientID: 'L9', OtherPatientIDs: '4010232137' }, nhs, 'RDH')).toMatchObject({ matches: false });
  });

  it('ignores an NHS number with a wrong check digit as evidence', () => {
    expect(nationalIdsOf({ OtherPatientIDs: ['9434765918'] }, 'NHS')).toEqual([]);
  });

  it('never links on a bare local ID issued by another hospital', () => {
    const local: PatientQuery = { kind: 'local', patientId: 'M0042117', issuer: 'MII' };
    expect(checkIdentity({ PatientID: 'M0042117', IssuerOfPatientID: 'RDH' }, local, 'RDH')).toMatchObject({ matches: false });
    expect(checkIdentity({ PatientID: 'M0042117' }, local, 'RDH')).toMatchObject({ matches: false });
    expect(checkIdentity({ PatientID: 'M0042117' }, local, 'MII')).toEqual({ matches: true, basis: 'issuer-id' });
  });
});

describe('parseCxPatientId', () => {
  it('reads an NHS number with its issuer as a national query', () => {
    expect(parseCxPatientId('943 476 5919^^^NHS', 'NHS')).toEqual({ ok: true, query: nhs });
  });
  it('reads a local ID with its assigning authority', () => {
    expect(parseCxPatientId('RDH-1^^^RDH&1.2.3&ISO', 'NHS')).toEqual({ ok: true, query: { kind: 'local', patientId: 'RDH-1', issuer: 'RDH' } });
  });
  it('refuses an ID without issuer and a malformed NHS number', () => {
    expect(parseCxPatientId('12345', 'NHS')).toMatchObject({ ok: false, message: expect.stringContaining('without an issuer') });
    expect(parseCxPatientId('12345^^^NHS', 'NHS')).toMatchObject({ ok: false });
  });
});

describe('identityOfRecord', () => {
  it('prefers a valid national ID, else the issuer-qualified local ID', async () => {
    const { identityOfRecord } = await import('./identityCheck');
    expect(identityOfRecord({ PatientID: 'L1', OtherPatientIDs: '9434765919' }, 'RDH', 'NHS')).toEqual(nhs);
    expect(identityOfRecord({ PatientID: 'L1', OtherPatientIDs: '9434765918' }, 'RDH', 'NHS')).toEqual({ kind: 'local', patientId: 'L1', issuer: 'RDH' });
  });
});

describe('link ids', () => {
  it('round-trip national and local identities through the URL form', async () => {
    const { linkIdFor, queryFromLinkId } = await import('./patientQuery');
    expect(queryFromLinkId(linkIdFor(nhs), 'NHS')).toEqual(nhs);
    const local: PatientQuery = { kind: 'local', patientId: 'A/1 2', issuer: 'RDH' };
    expect(queryFromLinkId(linkIdFor(local), 'NHS')).toEqual(local);
  });
});

describe('demographic search', () => {
  it('reads a typed name and UK birth date, and refuses what it cannot read', async () => {
    const { parseDemographicSearch } = await import('./patientQuery');
    expect(parseDemographicSearch('Fairweather Casey', '19/11/1966')).toEqual({ ok: true, query: { kind: 'demographics', PatientName: 'Fairweather^Casey', PatientBirthDate: '19661119' } });
    expect(parseDemographicSearch('Fairweather', '1966-11-19')).toMatchObject({ ok: true, query: { PatientBirthDate: '19661119' } });
    expect(parseDemographicSearch('F', '19/11/1966')).toMatchObject({ ok: false });
    expect(parseDemographicSearch('Fairweather', 'last year')).toMatchObject({ ok: false, message: expect.stringContaining('DD/MM/YYYY') });
  });

  it('never links a record on a name and birth date alone', () => {
    expect(checkIdentity({ PatientName: 'A^B', PatientBirthDate: '19700101' }, { kind: 'demographics', PatientName: 'A^B', PatientBirthDate: '19700101' }, 'X')).toMatchObject({ matches: false });
  });
});
