import { describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../contracts/index';
import { addDays, addMonths, createDates, createPeople, nhsNumberFrom } from './people';
import { createPrng } from './prng';
import { isValidUid, createUidFactory } from './uids';

describe('people and dates', () => {
  it('draws valid NHS numbers from the 999 test range only, never repeating one', () => {
    const prng = createPrng(3, 'test');
    const taken = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const nhs = nhsNumberFrom(prng, taken);
      expect(isValidNhsNumber(nhs) && nhs.startsWith('999')).toBe(true);
      expect(taken.has(nhs)).toBe(false);
      taken.add(nhs);
    }
  });

  it('gives three different NHS numbers to the patient and the two traps for many seeds', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const p = createPeople(seed);
      expect(new Set([p.patient.nhsNumber, p.sameLocalIdPerson.nhsNumber, p.sameDemographicsPerson.nhsNumber]).size).toBe(3);
      expect(p.localIds.sameLocalIdAtB).toBe(p.localIds.c);
      expect(p.localIds.b).not.toBe(p.localIds.c);
      expect(p.localIds.sameDemographicsAtA).not.toBe(p.localIds.a);
    }
  });

  it('moves dates by calendar months, clamping to the end of shorter months', () => {
    expect(addMonths('20250831', -6)).toBe('20250228');
    expect(addMonths('20240831', -6)).toBe('20240229');
    expect(addMonths('20250115', -6)).toBe('20240715');
    expect(addDays('20250301', -1)).toBe('20250228');
  });

  it('keeps every study date before the fixed reference date', () => {
    const d = createDates(1);
    for (const date of [d.ctCurrent, d.ctPrior, d.mrBrain, d.usAbdomen, d.trapSameDemographics, d.trapSameLocalId]) {
      expect(date < d.referenceDate).toBe(true);
    }
  });
});

describe('UIDs', () => {
  it('are valid DICOM UIDs, stable per seed and label, different across seeds', () => {
    const a = createUidFactory(1);
    const b = createUidFactory(2);
    for (const label of ['study/x', 'series/y', '']) {
      expect(isValidUid(a(label))).toBe(true);
      expect(a(label)).toBe(createUidFactory(1)(label));
      expect(a(label)).not.toBe(b(label));
    }
    expect(isValidUid('1.02.3')).toBe(false);
  });
});
