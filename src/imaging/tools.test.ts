import { describe, expect, it } from 'vitest';
import { PrimaryTools, ViewActions, toolForKey, viewActionForKey } from './tools';

describe('tool shortcuts', () => {
  it('every tool and view action has its own key, none taken by the window presets (1-5) or the MPR toggle (M)', () => {
    const keys = [...PrimaryTools, ...ViewActions].map((entry) => entry.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const taken of ['1', '2', '3', '4', '5', 'M']) expect(keys).not.toContain(taken);
  });

  it('keys pick tools and actions case-insensitively: L length, E ellipse, D probe, I invert, C cine', () => {
    expect(toolForKey('l')).toBe('length');
    expect(toolForKey('E')).toBe('ellipse');
    expect(toolForKey('d')).toBe('probe');
    expect(viewActionForKey('i')).toBe('invert');
    expect(viewActionForKey('C')).toBe('cine');
    expect(toolForKey('q')).toBeUndefined();
  });

  it('window/level leads the toolbar (it holds the left button by default and Escape returns to it) and R stays reset', () => {
    expect(PrimaryTools[0]).toMatchObject({ id: 'windowLevel', key: 'W' });
    expect(viewActionForKey('r')).toBe('reset');
  });
});
