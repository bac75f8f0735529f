/**
 * Servers may ignore matching keys they do not support and return every study (Orthanc does for
 * OtherPatientIDs by keyword), so each record a site returns is checked here against the identity
 * that was asked for. A record that does not prove it belongs to this person is dropped.
 */
import { isValidNhsNumber, normaliseNhsNumber, type LinkBasis } from '../contracts/index';
import { itemsOf, textOf, textsOf, type DicomRecord } from '../sites/index';
import type { PatientQuery } from './patientQuery';
import type { PatientRecordIdentity } from './linking';

export type IdentityCheck = { matches: true; basis: LinkBasis } | { matches: false; reason: string };

/** National IDs a record carries, from PatientID (when issued nationally), OtherPatientIDs and its sequence. */
export function nationalIdsOf(record: DicomRecord, nationalIssuer: string): string[] {
  const ids: string[] = [];
  const issuerMatches = (issuer: string | undefined) => issuer?.toUpperCase() === nationalIssuer.toUpperCase();
  if (issuerMatches(textOf(record, 'IssuerOfPatientID'))) ids.push(textOf(record, 'PatientID') ?? '');
  for (const item of itemsOf(record, 'OtherPatientIDsSequence')) {
    if (issuerMatches(textOf(item, 'IssuerOfPatientID'))) ids.push(textOf(item, 'PatientID') ?? '');
  }
  // OtherPatientIDs (0010,1000) carries no issuer of its own; only a valid check digit makes it
  // usable as evidence of a national ID.
  ids.push(...textsOf(record, 'OtherPatientIDs'));
  return [...new Set(ids.map((id) => normaliseNhsNumber(id)).filter((id): id is string => !!id && isValidNhsNumber(id)))];
}

export function checkIdentity(record: DicomRecord, query: PatientQuery, siteIssuer: string): IdentityCheck {
  if (query.kind === 'demographics') return { matches: false, reason: 'a name and birth date alone never link a record' };
  if (query.kind === 'national') {
    return nationalIdsOf(record, query.issuer).includes(query.nationalId)
      ? { matches: true, basis: 'national-id' }
      : { matches: false, reason: `carries no ${query.issuer} number equal to the one asked for` };
  }
  const patientId = textOf(record, 'PatientID');
  const issuer = textOf(record, 'IssuerOfPatientID') ?? siteIssuer;
  if (patientId !== query.patientId) return { matches: false, reason: 'a different local patient ID' };
  if (issuer !== query.issuer) return { matches: false, reason: `the same local ID but issued by ${issuer}, not ${query.issuer}` };
  return { matches: true, basis: 'issuer-id' };
}

/**
 * The identity to search for when a study was opened directly (IID requestType=STUDY): its
 * national ID when it carries a valid one, else its local ID qualified by the issuer.
 */
export function identityOfRecord(record: DicomRecord, siteIssuer: string, nationalIssuer: string): PatientQuery | undefined {
  const national = nationalIdsOf(record, nationalIssuer)[0];
  if (national) return { kind: 'national', nationalId: national, issuer: nationalIssuer };
  const patientId = textOf(record, 'PatientID');
  if (!patientId) return undefined;
  return { kind: 'local', patientId, issuer: textOf(record, 'IssuerOfPatientID') ?? siteIssuer };
}

/**
 * The identity facts a study record carries, for the identity matrix: national-ID candidates as
 * written (validity is judged by `decideLink`), the issuer-qualified local ID and demographics.
 */
export function recordIdentity(record: DicomRecord, siteIssuer: string, nationalIssuer: string): PatientRecordIdentity {
  const candidates: string[] = [];
  const isNational = (issuer: string | undefined) => issuer?.toUpperCase() === nationalIssuer.toUpperCase();
  const issuer = textOf(record, 'IssuerOfPatientID') ?? siteIssuer;
  if (isNational(issuer)) candidates.push(textOf(record, 'PatientID') ?? '');
  for (const item of itemsOf(record, 'OtherPatientIDsSequence')) {
    if (isNational(textOf(item, 'IssuerOfPatientID'))) candidates.push(textOf(item, 'PatientID') ?? '');
  }
  // OtherPatientIDs has no issuer: only ten-digit values are national-ID candidates.
  candidates.push(...textsOf(record, 'OtherPatientIDs').filter((id) => /^\d{10}$/.test(id.replace(/[\s-]/g, ''))));
  const identity: PatientRecordIdentity = { nationalIds: [...new Set(candidates.filter(Boolean))] };
  const patientId = textOf(record, 'PatientID');
  if (patientId && !isNational(issuer)) {
    identity.PatientID = patientId;
    identity.IssuerOfPatientID = issuer;
  }
  const name = textOf(record, 'PatientName');
  const birthDate = textOf(record, 'PatientBirthDate');
  const sex = textOf(record, 'PatientSex');
  if (name) identity.PatientName = name;
  if (birthDate) identity.PatientBirthDate = birthDate;
  if (sex) identity.PatientSex = sex;
  return identity;
}
