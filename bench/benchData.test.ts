import { describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../src/contracts/index';
import { BenchCtPatient, BenchPatient, BenchSites, benchStudyIds, benchStudyPlans, CtSliceCount, PriorSliceCount, testNhsNumber } from './benchData';

describe('the bench patient', () => {
  it('has a valid NHS number from the 999 test range, never issued to a person, not the CT patient’s', () => {
    for (const person of [BenchPatient, BenchCtPatient]) {
      expect(person.nhsNumber).toMatch(/^999\d{7}$/);
      expect(isValidNhsNumber(person.nhsNumber)).toBe(true);
    }
    expect(BenchCtPatient.nhsNumber).not.toBe(BenchPatient.nhsNumber);
  });

  it('skips the first nine digits that have no valid check digit', () => {
    // 999000000's weighted sum leaves 1 mod 11, so its check digit would be 10: no such number.
    expect(isValidNhsNumber('9990000000')).toBe(false);
    expect(testNhsNumber(0)).toBe(testNhsNumber(1));
    expect(isValidNhsNumber(testNhsNumber(0))).toBe(true);
  });
});

describe('benchStudyPlans', () => {
  const { ct, current, priors } = benchStudyPlans();

  it('plans the 300-slice CT, a current CT with room for 100 wheel steps, and six small priors', () => {
    expect(ct.sliceCount).toBe(CtSliceCount);
    expect(CtSliceCount).toBe(300);
    expect(current.sliceCount).toBeGreaterThan(100);
    expect(priors).toHaveLength(6);
    for (const prior of priors) expect(prior.sliceCount).toBe(PriorSliceCount);
  });

  it('spreads the priors over all three sites, two each', () => {
    const perSite = new Map<string, number>();
    for (const prior of priors) perSite.set(prior.siteKey, (perSite.get(prior.siteKey) ?? 0) + 1);
    expect([...perSite.entries()].sort()).toEqual([['a', 2], ['b', 2], ['c', 2]]);
    expect(BenchSites.map((s) => s.key)).toEqual(['a', 'b', 'c']);
  });

  it('dates every prior before the current study, newest first, no two on one day', () => {
    const dates = priors.map((p) => p.StudyDate);
    expect(new Set(dates).size).toBe(dates.length);
    expect([...dates].sort().reverse()).toEqual(dates);
    for (const date of dates) expect(date < current.StudyDate).toBe(true);
  });

  it('names the chest in every description, so the compare protocol finds the priors relevant', () => {
    for (const plan of [ct, current, ...priors]) expect(plan.StudyDescription).toMatch(/\b(Chest|Thorax)\b/);
  });

  it('gives each study its own UIDs, the same on every call', () => {
    const ids = [current, ...priors, ct].map(benchStudyIds);
    const all = ids.flatMap((i) => [i.StudyInstanceUID, i.SeriesInstanceUID, i.FrameOfReferenceUID]);
    expect(new Set(all).size).toBe(all.length);
    expect(benchStudyPlans().priors.map(benchStudyIds)).toEqual(ids.slice(1, 7));
    for (const uid of all) expect(uid).toMatch(/^2\.25\.[1-9]\d*$/);
  });
});
