import { describe, expect, it } from 'vitest';
import type { DicomRecord } from '../sites/index';
import { MiB, bytesPerVoxel, planVolume, tooLargeMessage } from './cacheBudget';

function ctSlices(count: number, patch: (i: number) => Partial<Record<string, unknown>> = () => ({})): DicomRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    Modality: 'CT',
    Rows: 512,
    Columns: 512,
    BitsAllocated: 16,
    RescaleSlope: 1,
    RescaleIntercept: -1024,
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    PixelSpacing: [0.7, 0.7],
    ImagePositionPatient: [0, 0, i * 1.25],
    ...patch(i),
  }));
}

describe('bytesPerVoxel', () => {
  it('keeps integer-rescaled 16-bit CT at two bytes and fractional rescale at four', () => {
    expect(bytesPerVoxel({ BitsAllocated: 16, RescaleSlope: 1, RescaleIntercept: -1024 })).toBe(2);
    expect(bytesPerVoxel({ BitsAllocated: 16, RescaleSlope: 0.5, RescaleIntercept: 0 })).toBe(4);
    expect(bytesPerVoxel({ BitsAllocated: 8 })).toBe(1);
    expect(bytesPerVoxel({ BitsAllocated: 8, SamplesPerPixel: 3 })).toBe(3);
  });
});

describe('planVolume', () => {
  it('streams a 220-slice 512² CT as a volume of 110 MiB under a 1 GiB budget', () => {
    const plan = planVolume(ctSlices(220), 1024 * MiB);
    expect(plan).toEqual({ kind: 'volume', bytes: 220 * 512 * 512 * 2, budgetBytes: 1024 * MiB, sliceCount: 220 });
  });

  it('refuses a volume larger than the budget, saying both sizes', () => {
    const plan = planVolume(ctSlices(220), 100 * MiB);
    expect(plan.kind).toBe('too-large');
    if (plan.kind !== 'too-large') return;
    expect(tooLargeMessage(plan)).toBe('This series needs 110 MiB as a volume, more than the 100 MiB image memory budget: showing it as a stack instead.');
  });

  it('treats a budget exactly the volume size as fitting', () => {
    expect(planVolume(ctSlices(20), 20 * 512 * 512 * 2).kind).toBe('volume');
  });

  it('is not a volume with too few slices, mixed sizes, orientations, spacing or multi-frame images', () => {
    expect(planVolume(ctSlices(5), 1024 * MiB).kind).toBe('not-a-volume');
    expect(planVolume(ctSlices(30, (i) => (i === 7 ? { Rows: 256 } : {})), 1024 * MiB)).toEqual({ kind: 'not-a-volume', reason: 'images of different sizes' });
    expect(planVolume(ctSlices(30, (i) => (i === 3 ? { ImageOrientationPatient: [0, 1, 0, 0, 0, -1] } : {})), 1024 * MiB).kind).toBe('not-a-volume');
    expect(planVolume(ctSlices(30, (i) => (i === 3 ? { PixelSpacing: [0.8, 0.8] } : {})), 1024 * MiB).kind).toBe('not-a-volume');
    expect(planVolume(ctSlices(30, () => ({ NumberOfFrames: 4 })), 1024 * MiB).kind).toBe('not-a-volume');
    expect(planVolume(ctSlices(30, (i) => (i === 0 ? { ImagePositionPatient: undefined } : {})), 1024 * MiB).kind).toBe('not-a-volume');
  });
});
