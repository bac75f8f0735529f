import { describe, expect, it } from 'vitest';
import { orderForStack } from './stackOrder';
import { greyLevelFor, presetForKey } from './presets';

const axial = [1, 0, 0, 0, 1, 0];
const slice = (z: number, instanceNumber: number) => ({ ImagePositionPatient: [-100, -100, z], ImageOrientationPatient: axial, InstanceNumber: instanceNumber });

describe('orderForStack', () => {
  it('orders axial slices head first by position, whatever the InstanceNumbers say', () => {
    const ordered = orderForStack([slice(-10, 1), slice(20, 3), slice(5, 2)], (r) => r);
    expect(ordered.map((o) => o.position)).toEqual([20, 5, -10]);
  });

  it('falls back to InstanceNumber when geometry is missing', () => {
    const ordered = orderForStack([{ InstanceNumber: 3 }, { InstanceNumber: 1 }, { InstanceNumber: 2 }], (r) => r);
    expect(ordered.map((o) => o.item.InstanceNumber)).toEqual([1, 2, 3]);
    expect(ordered[0]?.position).toBeUndefined();
  });

  it('uses the normal of the orientation, so sagittal slices order by x', () => {
    // Rows along +y, columns along −z: the normal is −x, so the first slice is the most right (lowest x).
    const sagittal = [0, 1, 0, 0, 0, -1];
    const at = (x: number) => ({ ImagePositionPatient: [x, 0, 0], ImageOrientationPatient: sagittal });
    expect(orderForStack([at(1), at(30), at(-5)], (r) => r).map((o) => o.item.ImagePositionPatient[0])).toEqual([-5, 1, 30]);
  });
});

describe('window presets', () => {
  it('maps HU to grey levels with the DICOM linear function', () => {
    const lung = presetForKey('2')!;
    expect(lung.id).toBe('lung');
    expect(greyLevelFor(-850, lung.windowWidth, lung.windowCenter)).toBeCloseTo(85.05, 1);
    expect(greyLevelFor(-600, lung.windowWidth, lung.windowCenter)).toBeCloseTo(127.59, 1);
    expect(greyLevelFor(700, lung.windowWidth, lung.windowCenter)).toBe(255);
    expect(greyLevelFor(-2000, lung.windowWidth, lung.windowCenter)).toBe(0);
  });
});
