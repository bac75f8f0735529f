import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../patientIndex/index';
import { attributeChanges, reconcile, sourcePatientOf, type ReconcileContext } from './reconcile';

const nhs = '9990764875';
const record = (PatientID: string, name: string, birth: string, nationalId?: string): DicomJsonDataset => ({
  '00100020': { vr: 'LO', Value: [PatientID] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: name }] },
  '00100030': { vr: 'DA', Value: [birth] },
  ...(nationalId ? { '00101000': { vr: 'LO', Value: [nationalId] } } : {}),
});

function context(studies: DicomJsonDataset[], indexed: { PatientID: string; IssuerOfPatientID: string }[] = []): ReconcileContext {
  return {
    nationalIdIssuer: 'NHS',
    siteName: 'Site A',
    siteIssuer: 'NCC',
    localIdsAt: () => Promise.resolve(indexed),
    // Like a site that ignores every query key: the re-check must do the work.
    studies: () => Promise.resolve({ ok: true, value: studies }),
  };
}

const files = sourcePatientOf(
  {
    '00100020': { vr: 'LO', Value: ['SBGH1'] },
    '00100021': { vr: 'LO', Value: ['SBGH'] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Fairweather^Casey' }] },
    '00100030': { vr: 'DA', Value: ['19661119'] },
    '00101002': { vr: 'SQ', Value: [{ '00100020': { vr: 'LO', Value: [nhs] }, '00100021': { vr: 'LO', Value: ['NHS'] } }] },
  },
  'NHS',
);
const noNhs = { ...files, nationalIds: [], sequenceNationalIds: [] };

describe('reconciling imported files with a patient at the site', () => {
  it('links by NHS number when the site holds the person under one local ID, and the site record wins', async () => {
    const match = await reconcile(context([record('NC1', 'FAIRWEATHER^Casey^J', '19661119', nhs), record('NC9', 'OTHER^Person', '19700101', '9434765919')]), files);
    expect(match).toEqual({ basis: 'national-id', PatientID: 'NC1', IssuerOfPatientID: 'NCC', nationalId: nhs, PatientName: 'FAIRWEATHER^Casey^J', PatientBirthDate: '19661119' });
    const changes = attributeChanges(files, match, 'NHS');
    expect(changes.map((c) => c.attribute)).toEqual(['PatientID', 'IssuerOfPatientID', 'PatientName']);
    expect(changes[2]).toEqual({ attribute: 'PatientName', from: 'Fairweather^Casey', to: 'FAIRWEATHER^Casey^J' });
  });

  it('refuses a person the site holds under two local IDs', async () => {
    const match = await reconcile(context([], [{ PatientID: 'NC1', IssuerOfPatientID: 'NCC' }, { PatientID: 'NC2', IssuerOfPatientID: 'NCC' }]), files);
    expect(match).toMatchObject({ basis: 'none', reason: expect.stringContaining('2 different local IDs') });
  });

  it('proposes a demographics match, not a link, when only name and birth date agree, and adds no national ID the record lacks', async () => {
    const match = await reconcile(context([record('NC1', 'FAIRWEATHER^Casey', '19661119'), record('NC2', 'FAIRWEATHER^Casey', '19661120')]), noNhs);
    expect(match).toMatchObject({ basis: 'demographics', PatientID: 'NC1' });
    expect(attributeChanges(noNhs, match, 'NHS').some((c) => c.attribute === 'OtherPatientIDsSequence')).toBe(false);
  });

  it('refuses when two patients share the name and birth date, or a namesake carries another NHS number', async () => {
    expect((await reconcile(context([record('NC1', 'FAIRWEATHER^Casey', '19661119'), record('NC2', 'FAIRWEATHER^Casey', '19661119')]), noNhs)).basis).toBe('none');
    // The files' NHS number is unknown at the site; the namesake there is someone else.
    expect((await reconcile(context([record('NC2', 'FAIRWEATHER^Casey', '19661119', '9434765919')]), files)).basis).toBe('none');
  });

  it('says a site that did not answer imported nothing', async () => {
    const down: ReconcileContext = { ...context([]), studies: () => Promise.resolve({ ok: false, error: 'HTTP 502' }) };
    expect(await reconcile(down, files)).toEqual({ basis: 'none', reason: 'Site A did not answer (HTTP 502); nothing was imported.' });
  });
});
