import { describe, expect, it } from 'vitest';
import { scaleBarFor } from './scaleBar';

describe('scale bar', () => {
  it('picks the longest round length that fits: 0.5 mm pixels and 120 px of room give 5 cm over 100 px', () => {
    expect(scaleBarFor(0.5, 120)).toEqual({ mm: 50, pixels: 100, label: '5 cm' });
  });

  it('zooming in shortens the bar in millimetres, labelled in mm below a centimetre', () => {
    expect(scaleBarFor(0.05, 120)).toEqual({ mm: 5, pixels: 100, label: '5 mm' });
    expect(scaleBarFor(0.1, 150)?.label).toBe('1 cm');
  });

  it('gives no bar without a usable pixel size', () => {
    expect(scaleBarFor(0, 100)).toBeUndefined();
    expect(scaleBarFor(Number.NaN, 100)).toBeUndefined();
    expect(scaleBarFor(1, 0)).toBeUndefined();
  });
});
