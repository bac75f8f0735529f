import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoManifest } from '../demo/index';
import { generateSmallDemo, removeTempDirs } from '../demo/testFixtures';
import { DefaultIsodoseLevels, isodoseLines, marchingSquares, planeRasterThroughDose, sampleDoseOnPlane } from './isodose';
import { doseAt, readDoseGrid, type DoseGrid } from './rtDose';

let dir = '';
let manifest: DemoManifest;
let grid: DoseGrid;

const bytesOf = async (file: string): Promise<ArrayBuffer> => {
  const data = await readFile(file);
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
};

beforeAll(async () => {
  ({ dir, manifest } = await generateSmallDemo(1, { current: 24, prior: 4 }));
  const result = readDoseGrid(await bytesOf(join(dir, 'site-a', 'ct-current-rtdose-0001.dcm')));
  if (result.kind !== 'ok') throw new Error(result.message);
  grid = result.grid;
}, 60_000);
afterAll(removeTempDirs);

const truth = () => manifest.rt!.dose;

describe('RT dose grid', () => {
  it('reads the grid geometry, units and structure set reference from the file', () => {
    expect(grid.FrameOfReferenceUID).toBe(manifest.rt!.FrameOfReferenceUID);
    expect([grid.DoseUnits, grid.DoseType, grid.DoseSummationType]).toEqual(['GY', 'PHYSICAL', 'PLAN']);
    expect([grid.columns, grid.rows, grid.frames]).toEqual(truth().gridSize);
    expect([grid.columnSpacing, grid.rowSpacing, grid.frameOffsets[1]! - grid.frameOffsets[0]!]).toEqual(truth().gridSpacingMm);
    expect(grid.origin).toEqual(truth().firstVoxelCentre);
    expect(grid.referencedStructureSetUID).toBe(manifest.rt!.structureSet.SOPInstanceUID);
  });

  it('dose resampling gives the known maximum at the GTV centre within 1 %', () => {
    const { centre, maxGy } = truth();
    // The centre lies between voxel centres: this is interpolation, not a stored value read back.
    const index = [0, 1, 2].map((k) => (centre[k]! - grid.origin[k]!) / truth().gridSpacingMm[k]!);
    expect(index.some((i) => Math.abs(i - Math.round(i)) > 0.1)).toBe(true);
    expect(Math.abs(doseAt(grid, centre)! - maxGy) / maxGy).toBeLessThan(0.01);
  });

  it('interpolates the fall-off: half the maximum at the 50 % radius, within 1 Gy, and nothing outside the grid', () => {
    const { centre, radius50Mm, maxGy } = truth();
    for (const direction of [[1, 0, 0], [0, -1, 0], [0, 0, 1], [0.6, 0.8, 0]]) {
      const point: [number, number, number] = [centre[0] + radius50Mm * direction[0]!, centre[1] + radius50Mm * direction[1]!, centre[2] + radius50Mm * direction[2]!];
      expect(Math.abs(doseAt(grid, point)! - maxGy / 2)).toBeLessThan(1);
    }
    expect(doseAt(grid, [centre[0] + 200, centre[1], centre[2]])).toBeUndefined();
  });

  it("the 50 % isodose line on the slice through the GTV centre lies at the truth's radius ± 1 voxel", () => {
    const { centre, radius50Mm, prescriptionGy, gridSpacingMm } = truth();
    const raster = planeRasterThroughDose(grid, [0, 0, 1], centre[2])!;
    const [line] = isodoseLines(grid, raster, [{ value: 50, unit: '%', color: 'yellow' }], prescriptionGy);
    expect(line!.gy).toBe(prescriptionGy / 2);
    expect(line!.segments.length).toBeGreaterThan(40);
    const radii = line!.segments.flat().map((p) => Math.hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]));
    for (const r of radii) expect(Math.abs(r - radius50Mm)).toBeLessThanOrEqual(gridSpacingMm[0]);
    // And it closes round the centre: points on every side.
    const angles = new Set(line!.segments.flat().map((p) => Math.floor(((Math.atan2(p[1] - centre[1], p[0] - centre[0]) + Math.PI) / (2 * Math.PI)) * 8)));
    expect(angles.size).toBe(8);
  });

  it('off the centre slice the isodose circle shrinks as a sphere does, and higher levels lie inside lower ones', () => {
    const { centre, radius50Mm, prescriptionGy, gridSpacingMm } = truth();
    const dz = 15;
    const raster = planeRasterThroughDose(grid, [0, 0, 1], centre[2] + dz)!;
    const lines = isodoseLines(grid, raster, DefaultIsodoseLevels, prescriptionGy);
    const meanRadius = (i: number) => {
      const points = lines[i]!.segments.flat();
      return points.reduce((sum, p) => sum + Math.hypot(p[0] - centre[0], p[1] - centre[1]), 0) / points.length;
    };
    expect(Math.abs(meanRadius(2) - Math.sqrt(radius50Mm ** 2 - dz ** 2))).toBeLessThanOrEqual(gridSpacingMm[0]);
    expect(meanRadius(1)).toBeLessThan(meanRadius(2));
    expect(meanRadius(2)).toBeLessThan(meanRadius(3));
    expect(planeRasterThroughDose(grid, [0, 0, 1], centre[2] + 500)).toBeUndefined();
    expect(Number.isNaN(sampleDoseOnPlane(grid, raster)[0]!)).toBe(false);
  });

  it('marching squares traces a known square field and splits saddles by the cell mean', () => {
    // 3 × 3 with a single high centre: a diamond of four segments round it at the half level.
    const segments = marchingSquares([0, 0, 0, 0, 10, 0, 0, 0, 0], 3, 3, 5);
    expect(segments).toHaveLength(4);
    for (const [x1, y1, x2, y2] of segments) {
      expect(Math.abs(x1 - 1) + Math.abs(y1 - 1)).toBeCloseTo(0.5, 6);
      expect(Math.abs(x2 - 1) + Math.abs(y2 - 1)).toBeCloseTo(0.5, 6);
    }
    expect(marchingSquares([10, 0, 0, 10], 2, 2, 6)).toHaveLength(2);
    expect(marchingSquares([NaN, 10, 10, 10], 2, 2, 5)).toHaveLength(0);
  });

  it('says why a file that is not a dose grid cannot be shown', async () => {
    const result = readDoseGrid(await bytesOf(join(dir, 'site-a', 'ct-current-rtstruct-0001.dcm')));
    expect(result).toEqual({ kind: 'error', message: 'Not an RT dose (SOP class 1.2.840.10008.5.1.4.1.1.481.3).' });
  });
});
