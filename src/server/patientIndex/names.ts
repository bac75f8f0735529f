/**
 * Demographic keys: person names reduced to what survives retyping at another hospital
 * (upper case, letters only, family and given name apart), and the one-edit tolerance that
 * turns a typo into a *possible* match. The original name is always kept beside the key.
 */
import type { PatientIndexMatch, PatientIndexRecord } from '../../contracts/index';

export interface NameKey {
  family: string;
  given: string;
}

function letters(part: string): string {
  return part
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

/** `Hartley^Alex^^Dr` → `{family: 'HARTLEY', given: 'ALEX'}`; only the Alphabetic group counts. */
export function nameKey(PatientName: string | undefined): NameKey {
  const alphabetic = (PatientName ?? '').split('=')[0] ?? '';
  const [family = '', given = ''] = alphabetic.split('^');
  return { family: letters(family), given: letters(given) };
}

/** True when a and b differ by at most one insertion, deletion or substitution. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  // Past the first difference the rest must agree: after a substitution, or after skipping one in the longer.
  return short.length === long.length ? short.slice(i + 1) === long.slice(i + 1) : short.slice(i) === long.slice(i + 1);
}

/** How a record matches a demographic question, if at all. Birth date must agree exactly. */
export function demographicMatch(record: PatientIndexRecord, family: string, PatientBirthDate: string): PatientIndexMatch | undefined {
  if (!family || record.PatientBirthDate !== PatientBirthDate) return undefined;
  const recordFamily = nameKey(record.PatientName).family;
  if (!recordFamily) return undefined;
  if (recordFamily === family) return 'demographics';
  return withinOneEdit(recordFamily, family) ? 'demographics-approximate' : undefined;
}
