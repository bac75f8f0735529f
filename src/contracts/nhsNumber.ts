/**
 * NHS numbers: ten digits, the last a modulus-11 check digit. Shared by the demo generator,
 * the gateway's patient index and identity linking in the browser, so all agree on validity.
 */

const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** Strips the spaces and dashes people type (`943 476 5919`); returns undefined for anything else. */
export function normaliseNhsNumber(raw: string): string | undefined {
  const digits = raw.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : undefined;
}

/**
 * Check digit for the first nine digits, or undefined when none exists (remainder 10 means
 * no valid NHS number starts with these nine digits).
 */
export function nhsCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) return undefined;
  const sum = WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(firstNine[i]), 0);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return undefined;
  return check;
}

export function isValidNhsNumber(raw: string): boolean {
  const digits = normaliseNhsNumber(raw);
  if (!digits) return false;
  return nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}
