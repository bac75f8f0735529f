import { describe, expect, it } from 'vitest';
import { decideLink, editDistance, normaliseName, type PatientAnchor } from './linking';

const anchor: PatientAnchor = {
  nationalId: '9434765919',
  localIds: [{ PatientID: 'NCC1', IssuerOfPatientID: 'NCC' }],
  PatientName: 'HARGREAVES^Margaret',
  PatientBirthDate: '19580314',
  PatientSex: 'F',
};
const person = { PatientName: 'HARGREAVES^Margaret', PatientBirthDate: '19580314', PatientSex: 'F' };

describe('identity matrix', () => {
  it('links the same NHS number under different local IDs', () => {
    expect(decideLink({ ...person, PatientID: 'RDH77', IssuerOfPatientID: 'RDH', nationalIds: ['943 476 5919'] }, anchor)).toMatchObject({ kind: 'linked', basis: 'national-id', warnings: [] });
  });

  it('does not link the same local ID at two sites when the issuers differ', () => {
    const decision = decideLink({ PatientID: 'NCC1', IssuerOfPatientID: 'RDH', nationalIds: [], PatientName: 'OTHER^Person', PatientBirthDate: '19900101' }, anchor);
    expect(decision).toMatchObject({ kind: 'not-linked', reason: expect.stringContaining('another hospital') });
  });

  it('links the same local ID under the same issuer', () => {
    expect(decideLink({ PatientID: 'NCC1', IssuerOfPatientID: 'NCC', nationalIds: [] }, anchor)).toMatchObject({ kind: 'linked', basis: 'issuer-id' });
  });

  it('does not link the same name and birth date with a different NHS number', () => {
    expect(decideLink({ ...person, PatientID: 'X', IssuerOfPatientID: 'NCC', nationalIds: ['4010232137'] }, anchor)).toMatchObject({ kind: 'not-linked', reason: 'a different NHS number' });
  });

  it('offers a name typo with the same birth date and no national ID as a possible match only', () => {
    const decision = decideLink({ PatientID: 'NCC9', IssuerOfPatientID: 'NCC', nationalIds: [], PatientName: 'HARGREEVES^Margaret', PatientBirthDate: '19580314', PatientSex: 'F' }, anchor);
    expect(decision).toMatchObject({ kind: 'possible', basis: 'demographics', reasons: ['same birth date', 'name differs by one letter', 'same sex'] });
  });

  it('links nothing when IDs are missing and demographics differ', () => {
    expect(decideLink({ nationalIds: [] }, anchor)).toMatchObject({ kind: 'not-linked' });
    expect(decideLink({ nationalIds: [], PatientName: 'HARGREAVES^Margaret', PatientBirthDate: '19580315' }, anchor)).toMatchObject({ kind: 'not-linked' });
  });

  it('ignores an NHS number with an invalid check digit as evidence, and flags it', () => {
    const decision = decideLink({ ...person, PatientID: 'Q', IssuerOfPatientID: 'MII', nationalIds: ['9434765918'] }, anchor);
    expect(decision.kind).toBe('possible');
    expect(decision.warnings[0]).toContain('check digit');
  });

  it('links on the NHS number but warns when demographics conflict', () => {
    const decision = decideLink({ PatientID: 'B1', IssuerOfPatientID: 'RDH', nationalIds: ['9434765919'], PatientName: 'SMITH^John', PatientBirthDate: '19580314' }, anchor);
    expect(decision).toMatchObject({ kind: 'linked', basis: 'national-id' });
    expect(decision.warnings).toEqual(['same NHS number but a different name: check the record']);
  });
});

describe('name helpers', () => {
  it('normalises DICOM person names', () => {
    expect(normaliseName("O'Brien^Mary-Ann^^Mrs")).toEqual({ family: 'O BRIEN', given: 'MARY ANN' });
  });
  it('measures small edit distances', () => {
    expect(editDistance('HARGREAVES', 'HARGREEVES')).toBe(1);
    expect(editDistance('SMITH', 'SMYTHE')).toBe(2);
  });
});
