import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoManifest } from './manifest';
import { plannedDoseAt } from './rtDose';
import { generateSmallDemo, nums, readDataset, removeTempDirs, seq, str } from './testFixtures';

let dir = '';
let manifest: DemoManifest;

beforeAll(async () => {
  ({ dir, manifest } = await generateSmallDemo(1, { current: 24, prior: 4 }));
}, 60_000);
afterAll(removeTempDirs);

describe('RTDOSE on the current CT', () => {
  it('is a plan dose grid in Gy on the CT frame of reference, citing the structure set', async () => {
    const { dataset } = await readDataset(join(dir, 'site-a', 'ct-current-rtdose-0001.dcm'));
    const rt = manifest.rt!;
    expect(str(dataset, 'SOPClassUID')).toBe('1.2.840.10008.5.1.4.1.1.481.2');
    expect(str(dataset, 'SOPInstanceUID')).toBe(rt.dose.SOPInstanceUID);
    expect(str(dataset, 'FrameOfReferenceUID')).toBe(rt.FrameOfReferenceUID);
    expect(str(dataset, 'FrameOfReferenceUID')).toBe(manifest.ct.find((c) => c.studyKey === 'ct-current')!.geometry.FrameOfReferenceUID);
    expect([str(dataset, 'DoseUnits'), str(dataset, 'DoseType'), str(dataset, 'DoseSummationType')]).toEqual(['GY', 'PHYSICAL', 'PLAN']);
    expect(str(seq(dataset, 'ReferencedStructureSetSequence')[0]!, 'ReferencedSOPInstanceUID')).toBe(rt.structureSet.SOPInstanceUID);
    const offsets = nums(dataset, 'GridFrameOffsetVector');
    expect(offsets).toHaveLength(Number(str(dataset, 'NumberOfFrames')));
    expect(offsets[1]! - offsets[0]!).toBe(rt.dose.gridSpacingMm[2]);
    const study = manifest.studies.find((s) => s.key === 'ct-current')!;
    expect(study.series.find((s) => s.Modality === 'RTDOSE')?.SeriesInstanceUID).toBe(rt.dose.SeriesInstanceUID);
  });

  it('stores the closed-form profile: every voxel within one scaling step of the planned dose', async () => {
    const { dataset } = await readDataset(join(dir, 'site-a', 'ct-current-rtdose-0001.dcm'));
    const dose = manifest.rt!.dose;
    const [nx, ny, nz] = dose.gridSize;
    const values = new Uint16Array((dataset.PixelData as ArrayBuffer[])[0]!);
    expect(values).toHaveLength(nx * ny * nz);
    const scaling = Number(str(dataset, 'DoseGridScaling'));
    const origin = nums(dataset, 'ImagePositionPatient');
    const [rowSpacing, columnSpacing] = nums(dataset, 'PixelSpacing');
    let max = 0;
    for (let k = 0; k < nz; k += 3) {
      for (let j = 0; j < ny; j += 3) {
        for (let i = 0; i < nx; i += 3) {
          const point: [number, number, number] = [origin[0]! + i * columnSpacing!, origin[1]! + j * rowSpacing!, origin[2]! + k * dose.gridSpacingMm[2]];
          const stored = values[(k * ny + j) * nx + i]! * scaling;
          expect(Math.abs(stored - plannedDoseAt(dose, point))).toBeLessThanOrEqual(scaling);
          max = Math.max(max, stored);
        }
      }
    }
    expect(max).toBeCloseTo(dose.maxGy, 2);
    // Half the maximum at radius50Mm, by the profile the manifest states.
    const edge: [number, number, number] = [dose.centre[0] + dose.radius50Mm, dose.centre[1], dose.centre[2]];
    expect(plannedDoseAt(dose, edge)).toBeCloseTo(dose.maxGy / 2, 6);
  });
});
