import { describe, expect, it } from 'vitest';
import { DefaultIsodoseLevels, formatIsodoseLevel, parseIsodoseLevels } from './isodose';

describe('isodose levels typed by the reader', () => {
  it('reads percentages and Gy, a unit applying to the numbers before it, % when none is written', () => {
    const typed = (text: string) => {
      const result = parseIsodoseLevels(text);
      return result.ok ? result.levels.map(formatIsodoseLevel) : result.message;
    };
    expect(typed('95 80 50 20 %')).toEqual(['95 %', '80 %', '50 %', '20 %']);
    expect(typed('57 Gy, 30 gy')).toEqual(['57 Gy', '30 Gy']);
    expect(typed('95 % 30 Gy 10')).toEqual(['95 %', '30 Gy', '10 %']);
    expect(typed('107.5%')).toEqual(['107.5 %']);
  });

  it('colours the levels in order with the default set\'s colours first', () => {
    const result = parseIsodoseLevels('95 80 50 20');
    expect(result.ok && result.levels.map((l) => l.color)).toEqual(DefaultIsodoseLevels.map((l) => l.color));
  });

  it('says what is wrong with text that is not levels', () => {
    const message = (text: string) => {
      const result = parseIsodoseLevels(text);
      return result.ok ? 'accepted' : result.message;
    };
    expect(message('')).toMatch(/^Type one or more levels/);
    expect(message('% 50')).toBe('"%" follows no number');
    expect(message('50 cGy')).toBe('"cGy" is not a number, "%" or "Gy"');
    expect(message('0 %')).toMatch(/^0 % is not a dose level/);
    expect(message('1 2 3 4 5 6 7')).toBe('At most 6 levels');
  });
});
