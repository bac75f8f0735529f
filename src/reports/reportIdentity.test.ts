import { describe, expect, it } from 'vitest';
import { checkReportIdentity, type ExpectedPatient } from './reportIdentity';
import { basicTextSr, throughDicomJson } from './testFixtures';

const expected: ExpectedPatient = {
  PatientID: 'NC242127',
  IssuerOfPatientID: 'NCC',
  PatientName: 'FAIRWEATHER^Casey',
  PatientBirthDate: '19661119',
  nationalIds: ['9990764875'],
  nationalIdIssuer: 'NHS',
};

describe('checkReportIdentity', () => {
  it('accepts a report filed under the study identity, whatever the name case or middle names', () => {
    expect(checkReportIdentity(throughDicomJson(basicTextSr()), expected)).toEqual({ matches: true });
    expect(checkReportIdentity(throughDicomJson(basicTextSr({ PatientName: 'Fairweather^Casey Jo' })), expected)).toEqual({ matches: true });
  });

  it('flags a report of another person under the same local ID, naming each differing attribute', () => {
    const other = throughDicomJson(basicTextSr({ PatientName: 'HOLLOWAY^Brian', PatientBirthDate: '19500101' }));
    const result = checkReportIdentity(other, expected);
    expect(result).toEqual({
      matches: false,
      differences: [
        { attribute: 'PatientName', report: 'HOLLOWAY^Brian', study: 'FAIRWEATHER^Casey' },
        { attribute: 'PatientBirthDate', report: '19500101', study: '19661119' },
      ],
    });
  });

  it('flags a different local ID or issuer, and a different valid NHS number', () => {
    const wrongId = checkReportIdentity(throughDicomJson(basicTextSr({ PatientID: 'NC999999' })), expected);
    expect(wrongId.matches === false && wrongId.differences.map((d) => d.attribute)).toEqual(['PatientID']);
    const otherNhs = basicTextSr({ OtherPatientIDsSequence: [{ PatientID: '943 476 5919', IssuerOfPatientID: 'NHS' }] });
    const wrongNhs = checkReportIdentity(throughDicomJson(otherNhs), expected);
    expect(wrongNhs).toEqual({ matches: false, differences: [{ attribute: 'NationalID', report: '9434765919', study: '9990764875' }] });
  });

  it('takes an empty attribute or an invalid NHS number as no evidence of a mismatch', () => {
    const sparse = basicTextSr({ PatientName: '', PatientBirthDate: '', OtherPatientIDsSequence: [{ PatientID: '1234567890', IssuerOfPatientID: 'NHS' }] });
    expect(checkReportIdentity(throughDicomJson(sparse), expected)).toEqual({ matches: true });
  });
});
