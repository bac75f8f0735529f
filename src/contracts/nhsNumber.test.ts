import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, nhsCheckDigit, normaliseNhsNumber } from './nhsNumber';

describe('NHS number', () => {
  it('accepts a number whose mod-11 check digit is right', () => {
    // 943 476 591: weighted sum 299, 299 mod 11 = 2, 11 - 2 = 9.
    expect(nhsCheckDigit('943476591')).toBe(9);
    expect(isValidNhsNumber('9434765919')).toBe(true);
  });

  it('accepts the spaced form people type', () => {
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(normaliseNhsNumber(' 943-476-5919 ')).toBe('9434765919');
  });

  it('rejects a wrong check digit, wrong length and letters', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659191')).toBe(false);
    expect(isValidNhsNumber('94347659A9')).toBe(false);
  });

  it('has no check digit when the remainder gives 10', () => {
    expect(nhsCheckDigit('000000005')).toBe(1); // weighted sum 10 → 11 - 10 = 1
    expect(nhsCheckDigit('000000006')).toBe(undefined); // weighted sum 12, 12 mod 11 = 1 → 10
  });

  it('maps a remainder of 0 to check digit 0', () => {
    expect(nhsCheckDigit('000000000')).toBe(0);
  });
});
