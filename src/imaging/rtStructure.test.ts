import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoManifest } from '../demo/index';
import { generateSmallDemo, removeTempDirs } from '../demo/testFixtures';
import { contoursOnPlane, readStructureSet, structureSetFromDataset, type StructureSet } from './rtStructure';

let dir = '';
let manifest: DemoManifest;
let structureSet: StructureSet;

const bytesOf = async (file: string): Promise<ArrayBuffer> => {
  const data = await readFile(file);
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
};

beforeAll(async () => {
  // The whole GTV (20 mm) lies inside 24 slices of 1.5 mm round the lesion.
  ({ dir, manifest } = await generateSmallDemo(1, { current: 24, prior: 4 }));
  const result = readStructureSet(await bytesOf(join(dir, 'site-a', 'ct-current-rtstruct-0001.dcm')));
  if (result.kind !== 'ok') throw new Error(result.message);
  structureSet = result.structureSet;
}, 60_000);
afterAll(removeTempDirs);

describe('RT structure set', () => {
  it('lists each ROI with its number, name and colour from the file, on the CT frame of reference', () => {
    const rt = manifest.rt!;
    expect(structureSet.FrameOfReferenceUID).toBe(rt.FrameOfReferenceUID);
    expect(structureSet.SOPInstanceUID).toBe(rt.structureSet.SOPInstanceUID);
    expect(structureSet.structures.map((s) => ({ ROINumber: s.ROINumber, ROIName: s.ROIName, ROIDisplayColor: s.color }))).toEqual(rt.structureSet.rois);
    expect(structureSet.normal).toEqual([0, 0, 1]);
    expect(structureSet.structures.find((s) => s.ROIName === 'GTV')!.RTROIInterpretedType).toBe('GTV');
  });

  it("GTV volume within 5 % of the phantom sphere's volume", () => {
    const gtv = structureSet.structures.find((s) => s.ROIName === 'GTV')!;
    const truth = manifest.rt!.structureSet.gtv;
    expect(truth.volumeCc).toBeCloseTo((4 / 3) * Math.PI * 1, 3); // a 10 mm radius sphere: 4.19 cc
    expect(Math.abs(gtv.volumeCc! - truth.volumeCc) / truth.volumeCc).toBeLessThan(0.05);
  });

  it('puts the GTV centre at the lesion centre and finds its contour on the slice through it', () => {
    const gtv = structureSet.structures.find((s) => s.ROIName === 'GTV')!;
    const { centre, radiusMm } = manifest.rt!.structureSet.gtv;
    for (let k = 0; k < 3; k++) expect(Math.abs(gtv.centre![k]! - centre[k]!)).toBeLessThan(0.1);
    const onPlane = contoursOnPlane(gtv, centre[2], 0.75);
    expect(onPlane).toHaveLength(1);
    const points = onPlane[0]!.points;
    for (let i = 0; i < points.length; i += 3) expect(Math.hypot(points[i]! - centre[0], points[i + 1]! - centre[1])).toBeCloseTo(radiusMm, 1);
    expect(contoursOnPlane(gtv, centre[2] + radiusMm + 2, 0.75)).toHaveLength(0);
  });

  it('says what is wrong with a file that is not a structure set', async () => {
    const dose = readStructureSet(await bytesOf(join(dir, 'site-a', 'ct-current-rtdose-0001.dcm')));
    expect(dose).toEqual({ kind: 'error', message: 'Not an RT structure set (SOP class 1.2.840.10008.5.1.4.1.1.481.2).' });
    const junk = readStructureSet(new Uint8Array(64).buffer);
    expect(junk.kind).toBe('error');
  });

  it('subtracts a hole (a contour inside another on the same plane) and takes the spacing between planes', () => {
    const circle = (r: number, z: number) => Array.from({ length: 360 }, (_, k) => [r * Math.cos((k * Math.PI) / 180), r * Math.sin((k * Math.PI) / 180), z]).flat();
    const contours = [0, 3, 6].flatMap((z) => [circle(10, z), circle(5, z)]).map((ContourData) => ({ ContourGeometricType: 'CLOSED_PLANAR', ContourData }));
    const result = structureSetFromDataset({
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.481.3',
      StructureSetROISequence: [{ ROINumber: 7, ROIName: 'RING' }],
      ROIContourSequence: [{ ReferencedROINumber: 7, ContourSequence: contours }],
    });
    if (result.kind !== 'ok') throw new Error(result.message);
    const ring = result.structureSet.structures[0]!;
    // Three planes 3 mm apart of a 10 mm disc less a 5 mm hole: 3 × 3 × π(100 − 25) mm³.
    expect(ring.volumeCc!).toBeCloseTo((9 * Math.PI * 75) / 1000, 2);
    expect(ring.centre![2]).toBeCloseTo(3, 6);
    expect(ring.color).toHaveLength(3);
    const single = structureSetFromDataset({
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.481.3',
      StructureSetROISequence: [{ ROINumber: 1, ROIName: 'FLAT' }],
      ROIContourSequence: [{ ReferencedROINumber: 1, ContourSequence: [{ ContourGeometricType: 'CLOSED_PLANAR', ContourData: circle(10, 0) }] }],
    });
    expect(single.kind === 'ok' && single.structureSet.structures[0]!.volumeCc).toBeUndefined();
  });
});
