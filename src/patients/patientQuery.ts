/**
 * Who the user asked for. An identifier only means something together with its issuer: a
 * national ID (NHS number) is valid at every site, a local PatientID only at the site whose
 * IssuerOfPatientID it carries.
 */
import { normaliseNhsNumber } from '../contracts/index';

export type PatientQuery =
  | { kind: 'national'; nationalId: string; issuer: string }
  | { kind: 'local'; patientId: string; issuer: string }
  /** A name and birth date: finds only possible matches, each linked by a clinician's click. */
  | { kind: 'demographics'; PatientName: string; PatientBirthDate: string };

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
  if (query.kind === 'national') return `${query.issuer.toLowerCase()}-${query.nationalId}`;
  if (query.kind === 'demographics') return `person~${encodeURIComponent(query.PatientName)}~${query.PatientBirthDate}`;
  return `${encodeURIComponent(query.issuer)}~${encodeURIComponent(query.patientId)}`;
}

/** Reads a name and a birth date typed by a person (`Fairweather Casey`, `19/11/1966` or `19661119`). */
export function parseDemographicSearch(name: string, birthDate: string): PatientQueryResult {
  const words = name.trim().split(/[\s,^]+/).filter(Boolean);
  if (words.length === 0 || (words[0] ?? '').length < 2) return { ok: false, message: 'Type at least the family name' };
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(birthDate.trim());
  const date = uk ? `${uk[3]}${uk[2]!.padStart(2, '0')}${uk[1]!.padStart(2, '0')}` : birthDate.trim().replace(/-/g, '');
  if (!/^\d{8}$/.test(date)) return { ok: false, message: 'Type the birth date as DD/MM/YYYY' };
  return { ok: true, query: { kind: 'demographics', PatientName: [words[0], words.slice(1).join(' ')].filter(Boolean).join('^'), PatientBirthDate: date } };
}

/** Reverses `linkIdFor`, so `/patient/:linkId` survives a reload. */
export function queryFromLinkId(linkId: string, nationalIdIssuer: string): PatientQuery | undefined {
  const national = new RegExp(`^${nationalIdIssuer.toLowerCase()}-(\\d{10})$`).exec(linkId);
  if (national?.[1]) return { kind: 'national', nationalId: national[1], issuer: nationalIdIssuer };
  const person = /^person~([^~]+)~(\d{8})$/.exec(linkId);
  if (person?.[1] && person[2]) return { kind: 'demographics', PatientName: decodeURIComponent(person[1]), PatientBirthDate: person[2] };
  const [issuer, patientId] = linkId.split('~');
  if (!issuer || !patientId) return undefined;
  return { kind: 'local', issuer: decodeURIComponent(issuer), patientId: decodeURIComponent(patientId) };
}
