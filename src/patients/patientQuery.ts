/**
 * Who the user asked for. An identifier only means something together with its issuer: a
 * national ID (NHS number) is valid at every site, a local PatientID only at the site whose
 * IssuerOfPatientID it carries.
 */
import { normaliseNhsNumber } from '../contracts/index';

export type PatientQuery =
  | { kind: 'national'; nationalId: string; issuer: string }
  | { kind: 'local'; patientId: string; issuer: string };

export type PatientQueryResult = { ok: true; query: PatientQuery } | { ok: false; message: string };

/**
 * Reads the HL7 CX form IHE Invoke Image Display uses for `patientID`:
 * `ID^^^ISSUER` (the issuer is the 4th component; its first sub-component names it).
 */
export function parseCxPatientId(cx: string, nationalIdIssuer: string): PatientQueryResult {
  const [rawId = '', , , authority = ''] = cx.split('^');
  const id = rawId.trim();
  const issuer = (authority.split('&')[0] ?? '').trim();
  if (!id) return { ok: false, message: 'The launch link names no patient ID' };
  if (!issuer) return { ok: false, message: `Patient ID "${id}" comes without an issuer (expected ID^^^ISSUER), so it cannot be matched safely across hospitals` };
  if (issuer.toUpperCase() === nationalIdIssuer.toUpperCase()) {
    const nationalId = normaliseNhsNumber(id);
    if (!nationalId) return { ok: false, message: `"${id}" is not a ${nationalIdIssuer} number (10 digits)` };
    return { ok: true, query: { kind: 'national', nationalId, issuer: nationalIdIssuer } };
  }
  return { ok: true, query: { kind: 'local', patientId: id, issuer } };
}

/** A stable, URL-safe handle for the person asked for (`/patient/:linkId`). */
export function linkIdFor(query: PatientQuery): string {
  return query.kind === 'national'
    ? `${query.issuer.toLowerCase()}-${query.nationalId}`
    : `${encodeURIComponent(query.issuer)}~${encodeURIComponent(query.patientId)}`;
}

/** Reverses `linkIdFor`, so `/patient/:linkId` survives a reload. */
export function queryFromLinkId(linkId: string, nationalIdIssuer: string): PatientQuery | undefined {
  const national = new RegExp(`^${nationalIdIssuer.toLowerCase()}-(\\d{10})$`).exec(linkId);
  if (national?.[1]) return { kind: 'national', nationalId: national[1], issuer: nationalIdIssuer };
  const [issuer, patientId] = linkId.split('~');
  if (!issuer || !patientId) return undefined;
  return { kind: 'local', issuer: decodeURIComponent(issuer), patientId: decodeURIComponent(patientId) };
}
