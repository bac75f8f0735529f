import { describe, expect, it } from 'vitest';
import { chestPhantom, huAt, renderAxialSlice, TissueHu } from './ctPhantom';
import { ctLayers, ctScanFor, ctTruth, CurrentCt, PriorCt } from './ctScans';
import { ctGeometry } from './ctSeries';
import type { Vec3 } from './manifest';

const Intercept = -1024;

function truthFor(definition: typeof CurrentCt, sliceCount?: number) {
  const scan = ctScanFor(definition, sliceCount);
  return { scan, truth: ctTruth(definition, '1.2.3', ctGeometry(scan, '1.2.3.4')) };
}

describe('calibration sphere', () => {
  for (const definition of [CurrentCt, PriorCt]) {
    it(`${definition.studyKey}: a 40 mm soft-tissue sphere whose centre is on a slice and a pixel centre`, () => {
      const { truth } = truthFor(definition);
      const sphere = truth.calibrationSphere!;
      expect(sphere).toBeDefined();
      expect(sphere.diameterMm).toBe(40);
      expect(sphere.hu).toBe(TissueHu.softTissue);
      const g = truth.geometry;
      const d = [0, 1, 2].map((i) => sphere.centre[i]! - g.firstPosition[i]!);
      const steps = [d[0]! / g.pixelSpacing[1], d[1]! / g.pixelSpacing[0], d[2]! / g.sliceStep];
      for (const step of steps) expect(step).toBe(Math.round(step));
      expect(steps[2]).toBeLessThan(g.sliceCount);
    });
  }

  it('measures 40 mm across on its centre slice: sphere pixels span 40 mm within one pixel along the row and the column, lung beyond', () => {
    const { scan, truth } = truthFor(CurrentCt);
    const sphere = truth.calibrationSphere!;
    const raster = { rows: scan.rows, columns: scan.columns, x0: scan.firstPosition[0], y0: scan.firstPosition[1], rowSpacing: scan.pixelSpacing, columnSpacing: scan.pixelSpacing };
    const pixels = new Uint16Array(scan.rows * scan.columns);
    renderAxialSlice(ctLayers(CurrentCt), raster, sphere.centre[2], pixels, { background: TissueHu.air - Intercept, valueOf: (layer) => layer.hu - Intercept });
    const column = Math.round((sphere.centre[0] - raster.x0) / scan.pixelSpacing);
    const row = Math.round((sphere.centre[1] - raster.y0) / scan.pixelSpacing);
    const huAtPixel = (c: number, r: number) => pixels[r * scan.columns + c]! + Intercept;
    // Walk outward from the centre while the pixels are soft tissue; the run's pixel extent is the diameter.
    const run = (dc: number, dr: number) => {
      let n = 0;
      while (huAtPixel(column + (n + 1) * dc, row + (n + 1) * dr) === sphere.hu) n++;
      return n;
    };
    const across = (run(1, 0) + run(-1, 0) + 1) * scan.pixelSpacing;
    const down = (run(0, 1) + run(0, -1) + 1) * scan.pixelSpacing;
    expect(Math.abs(across - 40)).toBeLessThanOrEqual(scan.pixelSpacing);
    expect(Math.abs(down - 40)).toBeLessThanOrEqual(scan.pixelSpacing);
    expect(huAtPixel(column + run(1, 0) + 1, row)).toBe(TissueHu.lung);
    expect(huAtPixel(column, row - run(0, -1) - 1)).toBe(TissueHu.lung);
  });

  it('leaves the landmarks and the lesion as they were, and sits at least 10 mm inside the lung on every side', () => {
    for (const definition of [CurrentCt, PriorCt]) {
      const without = chestPhantom(definition.lesionDiameterMm);
      const { truth } = truthFor(definition);
      const anatomy = (p: Vec3): Vec3 => [p[0] - truth.tableOffset![0], p[1] - truth.tableOffset![1], p[2] - truth.tableOffset![2]];
      for (const landmark of truth.landmarks) expect(huAt(without, anatomy(landmark.point)), landmark.name).toBe(landmark.hu);
      const sphere = truth.calibrationSphere!;
      const c = anatomy(sphere.centre);
      const reach = sphere.diameterMm / 2 + 10;
      for (let axis = 0; axis < 3; axis++) {
        for (const sign of [-1, 1]) {
          const p = c.map((value, i) => (i === axis ? value + sign * reach : value)) as Vec3;
          expect(huAt(ctLayers(definition), p), `axis ${axis} ${sign}`).toBe(TissueHu.lung);
        }
      }
      // Far above the lesion: a lesion-sized neighbourhood of it never reaches the sphere.
      expect(c[2] - truth.lesion.centre[2] + truth.tableOffset![2]).toBeGreaterThan(sphere.diameterMm / 2 + definition.lesionDiameterMm * 2);
    }
  });

  it('is left out of the truth of a reduced scan that does not reach it', () => {
    expect(truthFor(CurrentCt, 24).truth.calibrationSphere).toBeUndefined();
  });
});
