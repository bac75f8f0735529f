import { describe, expect, it } from 'vitest';
import { percentile, ratio, summarise } from './stats';

describe('summarise', () => {
  it('gives the middle value of an odd count with min and max, whatever the order', () => {
    expect(summarise([9, 1, 5, 7, 3])).toEqual({ median: 5, min: 1, max: 9, n: 5 });
  });

  it('gives the mean of the middle two for an even count', () => {
    expect(summarise([4, 1, 10, 2])).toEqual({ median: 3, min: 1, max: 10, n: 4 });
  });

  it('drops samples that are not finite numbers and counts only the rest', () => {
    expect(summarise([NaN, 2, Infinity, 6])).toEqual({ median: 4, min: 2, max: 6, n: 2 });
  });

  it('says NaN with n = 0 when nothing was measured', () => {
    const s = summarise([]);
    expect(s.n).toBe(0);
    expect(s.median).toBeNaN();
    expect(s.min).toBeNaN();
    expect(s.max).toBeNaN();
  });

  it('leaves the caller’s array in its order', () => {
    const values = [3, 1, 2];
    summarise(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose

  it('is the nearest-rank value', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 75)).toBe(30);
  });

  it('clamps to the smallest and largest sample at the ends', () => {
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile(hundred, 100)).toBe(100);
  });

  it('is NaN for no samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('ratio', () => {
  it('divides', () => {
    expect(ratio(3, 4)).toBe(0.75);
  });

  it('is NaN when the divisor is zero, negative or missing, or the dividend is not finite', () => {
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(1, -2)).toBeNaN();
    expect(ratio(1, NaN)).toBeNaN();
    expect(ratio(NaN, 2)).toBeNaN();
  });
});
