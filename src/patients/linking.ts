/**
 * The identity matrix: whether a record found at some site is the person on screen, and on what
 * basis. Pure and explainable: every answer says why, so the UI can show its basis and a
 * clinician can judge it. National IDs decide when both sides carry a valid one; otherwise only
 * the same local ID under the same issuer links; matching demographics are never more than a
 * possible match until someone confirms it.
 */
import { isValidNhsNumber, normaliseNhsNumber } from '../contracts/index';

/** The identity facts of one record (one study at one site). */
export interface PatientRecordIdentity {
  PatientID?: string;
  IssuerOfPatientID?: string;
  /** National IDs as written (any spacing); validity is judged here. */
  nationalIds: string[];
  PatientName?: string;
  PatientBirthDate?: string;
  PatientSex?: string;
}

/** Who is on screen: the national ID and local IDs already proven, and their demographics. */
export interface PatientAnchor {
  nationalId?: string;
  localIds: { PatientID: string; IssuerOfPatientID: string }[];
  PatientName?: string;
  PatientBirthDate?: string;
  PatientSex?: string;
}

export type LinkDecision =
  | { kind: 'linked'; basis: 'national-id' | 'issuer-id'; warnings: string[] }
  | { kind: 'possible'; basis: 'demographics'; reasons: string[]; warnings: string[] }
  | { kind: 'not-linked'; reason: string; warnings: string[] };

/** `Hargreaves^Margaret Ann^^Mrs` → `{family: 'HARGREAVES', given: 'MARGARET ANN'}`. */
export function normaliseName(name: string | undefined): { family: string; given: string } {
  const [family = '', given = '', middle = ''] = (name ?? '').split('=')[0]!.split('^');
  const clean = (part: string) => part.toUpperCase().replace(/[^A-Z ]/g, ' ').replace(/\s+/g, ' ').trim();
  return { family: clean(family), given: clean(`${given} ${middle}`) };
}

/** Levenshtein distance, capped: we only ever ask whether it is 0 or 1. */
export function editDistance(a: string, b: string, cap = 2): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function validNationalIds(ids: readonly string[]): { valid: string[]; invalid: string[] } {
  const valid = new Set<string>();
  const invalid: string[] = [];
  for (const id of ids) {
    const digits = normaliseNhsNumber(id);
    if (digits && isValidNhsNumber(digits)) valid.add(digits);
    else invalid.push(id);
  }
  return { valid: [...valid], invalid };
}

function demographicsAgree(record: PatientRecordIdentity, anchor: PatientAnchor): { agree: boolean; exact: boolean; reasons: string[] } {
  const a = normaliseName(record.PatientName);
  const b = normaliseName(anchor.PatientName);
  if (!a.family || !b.family || !record.PatientBirthDate || record.PatientBirthDate !== anchor.PatientBirthDate) {
    return { agree: false, exact: false, reasons: [] };
  }
  if (record.PatientSex && anchor.PatientSex && record.PatientSex !== anchor.PatientSex) return { agree: false, exact: false, reasons: [] };
  const familyDistance = editDistance(a.family, b.family);
  const givenFirst = (name: string) => name.split(' ')[0] ?? '';
  const givenDistance = editDistance(givenFirst(a.given), givenFirst(b.given));
  if (familyDistance + givenDistance > 1) return { agree: false, exact: false, reasons: [] };
  const reasons = ['same birth date'];
  reasons.push(familyDistance + givenDistance === 0 ? 'same name' : 'name differs by one letter');
  if (record.PatientSex && record.PatientSex === anchor.PatientSex) reasons.push('same sex');
  return { agree: true, exact: familyDistance + givenDistance === 0, reasons };
}

export function decideLink(record: PatientRecordIdentity, anchor: PatientAnchor): LinkDecision {
  const warnings: string[] = [];
  const ids = validNationalIds(record.nationalIds);
  if (ids.invalid.length) warnings.push(`ignored an NHS number that fails its check digit (${ids.invalid.length})`);
  const demographics = demographicsAgree(record, anchor);

  if (anchor.nationalId && ids.valid.length > 0) {
    if (!ids.valid.includes(anchor.nationalId)) return { kind: 'not-linked', reason: 'a different NHS number', warnings };
    if (anchor.PatientBirthDate && record.PatientBirthDate && record.PatientBirthDate !== anchor.PatientBirthDate) {
      warnings.push('same NHS number but a different birth date: check the record');
    } else if (anchor.PatientName && record.PatientName && !demographics.agree) {
      warnings.push('same NHS number but a different name: check the record');
    }
    return { kind: 'linked', basis: 'national-id', warnings };
  }

  const sameLocal = record.PatientID && anchor.localIds.some((l) => l.PatientID === record.PatientID && l.IssuerOfPatientID === record.IssuerOfPatientID);
  if (sameLocal && record.IssuerOfPatientID) return { kind: 'linked', basis: 'issuer-id', warnings };

  if (demographics.agree) return { kind: 'possible', basis: 'demographics', reasons: demographics.reasons, warnings };
  if (record.PatientID && anchor.localIds.some((l) => l.PatientID === record.PatientID)) {
    return { kind: 'not-linked', reason: 'the same local ID issued by another hospital is a different patient', warnings };
  }
  return { kind: 'not-linked', reason: 'no identifier or demographics in common', warnings };
}
