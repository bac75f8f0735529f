/**
 * Is this report about the study's patient? A report is compared with the identity the study is
 * filed under at the report's site (PatientID + IssuerOfPatientID), the patient's name and birth
 * date, and the person's national IDs. An attribute the report leaves empty is no evidence
 * either way; one that disagrees is a mismatch the panel shows in red, never hides.
 */
import { isValidNhsNumber, normaliseNhsNumber } from '../contracts/index';
import { itemsOf, textOf, textsOf, type DicomRecord } from '../sites/index';

export interface ExpectedPatient {
  PatientID: string;
  IssuerOfPatientID: string;
  PatientName?: string;
  PatientBirthDate?: string;
  /** The person's national IDs (normalised), when known. */
  nationalIds: readonly string[];
  nationalIdIssuer: string;
}

export interface IdentityDifference {
  attribute: 'PatientID' | 'IssuerOfPatientID' | 'PatientName' | 'PatientBirthDate' | 'NationalID';
  /** What the report says and what the study says, for the clinician to compare. */
  report: string;
  study: string;
}

export type ReportIdentity = { matches: true } | { matches: false; differences: IdentityDifference[] };

/** Family name and first given name, upper case, letters only: `O'Brien^Mary Anne` → `OBRIEN MARY`. */
function nameKey(name: string): { family: string; given: string } {
  const clean = (part: string | undefined) => (part ?? '').normalize('NFKD').toUpperCase().replace(/[^\p{L}\s]/gu, '').trim();
  const [family, given] = (name.split('=')[0] ?? '').split('^');
  return { family: clean(family), given: clean(given).split(/\s+/)[0] ?? '' };
}

function namesAgree(a: string, b: string): boolean {
  const x = nameKey(a);
  const y = nameKey(b);
  if (x.family !== y.family) return false;
  return !x.given || !y.given || x.given === y.given;
}

function nationalIdsOfReport(record: DicomRecord, issuer: string): string[] {
  const same = (value: string | undefined) => value?.toUpperCase() === issuer.toUpperCase();
  const candidates: string[] = [];
  if (same(textOf(record, 'IssuerOfPatientID'))) candidates.push(textOf(record, 'PatientID') ?? '');
  for (const item of itemsOf(record, 'OtherPatientIDsSequence')) if (same(textOf(item, 'IssuerOfPatientID'))) candidates.push(textOf(item, 'PatientID') ?? '');
  candidates.push(...textsOf(record, 'OtherPatientIDs'));
  return [...new Set(candidates.filter((id) => isValidNhsNumber(id)).map((id) => normaliseNhsNumber(id) ?? id))];
}

export function checkReportIdentity(report: DicomRecord, expected: ExpectedPatient): ReportIdentity {
  const differences: IdentityDifference[] = [];
  const compare = (attribute: IdentityDifference['attribute'], value: string | undefined, wanted: string | undefined, agree: (a: string, b: string) => boolean) => {
    if (value && wanted && !agree(value, wanted)) differences.push({ attribute, report: value, study: wanted });
  };
  const exact = (a: string, b: string) => a.trim() === b.trim();
  compare('PatientID', textOf(report, 'PatientID'), expected.PatientID, exact);
  compare('IssuerOfPatientID', textOf(report, 'IssuerOfPatientID'), expected.IssuerOfPatientID, exact);
  compare('PatientName', textOf(report, 'PatientName'), expected.PatientName, namesAgree);
  compare('PatientBirthDate', textOf(report, 'PatientBirthDate'), expected.PatientBirthDate, exact);
  const reportIds = nationalIdsOfReport(report, expected.nationalIdIssuer);
  if (reportIds.length > 0 && expected.nationalIds.length > 0 && !reportIds.some((id) => expected.nationalIds.includes(id))) {
    differences.push({ attribute: 'NationalID', report: reportIds.join(', '), study: expected.nationalIds.join(', ') });
  }
  return differences.length === 0 ? { matches: true } : { matches: false, differences };
}
