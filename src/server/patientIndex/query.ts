/**
 * `GET /api/patients` questions: exactly one of a national ID (spaces and dashes allowed, check
 * digit required), an issuer-qualified local ID, or a name with a birth date. A bare local
 * PatientID is refused: without its issuer it names nobody.
 */
import { isValidNhsNumber, normaliseNhsNumber, PatientIndexQuerySchema, type PatientIndexQuery } from '../../contracts/index';

export type QueryParseResult = { ok: true; query: PatientIndexQuery } | { ok: false; error: string };

const Known = new Set(['nationalId', 'PatientID', 'IssuerOfPatientID', 'PatientName', 'PatientBirthDate']);
const Usage = 'ask with nationalId, or PatientID and IssuerOfPatientID, or PatientName and PatientBirthDate (YYYYMMDD)';

export function parsePatientQuery(params: URLSearchParams): QueryParseResult {
  const unknown = [...params.keys()].filter((key) => !Known.has(key));
  if (unknown.length) return { ok: false, error: `unknown parameter ${unknown.map((k) => `"${k}"`).join(', ')}: ${Usage}` };
  const given = Object.fromEntries([...params.entries()].map(([k, v]) => [k, v.trim()]));
  if (given.nationalId !== undefined) {
    const digits = normaliseNhsNumber(given.nationalId);
    if (!digits || !isValidNhsNumber(digits)) return { ok: false, error: 'nationalId: not a valid NHS number (10 digits with a correct check digit)' };
    given.nationalId = digits;
  }
  const parsed = PatientIndexQuerySchema.safeParse(given);
  if (!parsed.success) return { ok: false, error: Usage };
  return { ok: true, query: parsed.data };
}
