import { describe, expect, it } from 'vitest';
import type { CtPhantomTruth } from './manifest';
import { locateInCt } from './locate';

function truth(iop: CtPhantomTruth['geometry']['imageOrientationPatient'], firstPosition: [number, number, number]): CtPhantomTruth {
  return {
    studyKey: 'ct-current',
    SeriesInstanceUID: '1.2.3',
    geometry: {
      rows: 100, columns: 200, pixelSpacing: [0.5, 2], sliceCount: 10, sliceThickness: 3, firstPosition, sliceStep: 3,
      imageOrientationPatient: iop, rescaleSlope: 1, rescaleIntercept: -1024, FrameOfReferenceUID: '1.2.4',
    },
    lesion: { centre: [0, 0, 0], diameterMm: 10, hu: 40 },
    landmarks: [],
    noiseAmplitudeHu: 0,
  };
}

describe('locateInCt', () => {
  it('steps columns by the column spacing along x and rows by the row spacing along y on axial slices', () => {
    const t = truth([1, 0, 0, 0, 1, 0], [-100, -50, 20]);
    expect(locateInCt(t, [-100, -50, 20])).toEqual({ sliceIndex: 0, column: 0, row: 0 });
    expect(locateInCt(t, [-100 + 2 * 7, -50 + 0.5 * 9, 20 + 3 * 4])).toEqual({ sliceIndex: 4, column: 7, row: 9 });
  });

  it('follows the orientation of coronal slices (rows along −z, slices along +y)', () => {
    // Coronal: row direction +x, column direction −z, normal = row × column = +y.
    const t = truth([1, 0, 0, 0, 0, -1], [0, 10, 100]);
    expect(locateInCt(t, [2 * 3, 10 + 3 * 2, 100 - 0.5 * 5])).toEqual({ sliceIndex: 2, column: 3, row: 5 });
  });

  it('reports points outside the volume with out-of-range indices instead of clamping', () => {
    const t = truth([1, 0, 0, 0, 1, 0], [0, 0, 0]);
    expect(locateInCt(t, [-4, 0, -30]).sliceIndex).toBe(-10);
    expect(locateInCt(t, [-4, 0, -30]).column).toBe(-2);
  });
});
