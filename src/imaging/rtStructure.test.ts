import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoManifest } from '../demo/index';
import { generateSmallDemo, removeTempDirs } from '../demo/testFixtures';
import { contoursOnPlane, readStructureSet, type StructureSet } from './rtStructure';

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
});
