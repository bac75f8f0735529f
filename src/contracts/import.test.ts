import { describe, expect, it } from 'vitest';
import { ImportCommitRequestSchema, ImportMatchSchema, ImportRequestSchema } from './import';

const patient = { '00100020': { vr: 'LO', Value: ['SBGH136057'] }, '00100010': { vr: 'PN', Value: [{ Alphabetic: 'FAIRWEATHER^Casey' }] } };

describe('import contract', () => {
  it('accepts an import of a study with its patient module', () => {
    expect(ImportRequestSchema.safeParse({ toSiteId: 'site-a', StudyInstanceUID: '1.2.826.0.1.3680043.8.498.1', patient, instanceCount: 7 }).success).toBe(true);
  });

  it('refuses a non-UID study, tags outside the patient module, no instances and extra fields', () => {
    const base = { toSiteId: 'site-a', StudyInstanceUID: '1.2.3', patient, instanceCount: 7 };
    expect(ImportRequestSchema.safeParse({ ...base, StudyInstanceUID: '../x' }).success).toBe(false);
    expect(ImportRequestSchema.safeParse({ ...base, patient: { '7FE00010': { vr: 'OW' } } }).success).toBe(false);
    expect(ImportRequestSchema.safeParse({ ...base, instanceCount: 0 }).success).toBe(false);
    expect(ImportRequestSchema.safeParse({ ...base, PatientID: 'x' }).success).toBe(false);
  });

  it('reads each match basis and a commit names the basis confirmed', () => {
    expect(ImportMatchSchema.parse({ basis: 'demographics', PatientID: '5526506', IssuerOfPatientID: 'MII' }).basis).toBe('demographics');
    expect(ImportMatchSchema.safeParse({ basis: 'guess', PatientID: '1', IssuerOfPatientID: 'X' }).success).toBe(false);
    expect(ImportCommitRequestSchema.safeParse({ confirmedBasis: 'national-id' }).success).toBe(true);
    expect(ImportCommitRequestSchema.safeParse({}).success).toBe(false);
  });
});
