import { join } from 'node:path';
import { decode as decodeJpeg } from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoManifest } from './manifest';
import { generateSmallDemo, removeTempDirs, nums, readDataset, seq, str } from './testFixtures';

let dir = '';
let manifest: DemoManifest;

beforeAll(async () => {
  ({ dir, manifest } = await generateSmallDemo(1, { current: 24, prior: 4 }));
}, 60_000);
afterAll(removeTempDirs);

const current = (): DemoManifest['ct'][number] => manifest.ct.find((c) => c.studyKey === 'ct-current')!;

describe('SR report on the current CT', () => {
  it('is a complete, verified Basic Text SR whose findings and impression give the lesion size', async () => {
    const { dataset } = await readDataset(join(dir, 'site-a', 'ct-current-sr-0001.dcm'));
    const study = manifest.studies.find((s) => s.key === 'ct-current')!;
    expect(str(dataset, 'StudyInstanceUID')).toBe(study.StudyInstanceUID);
    expect(str(dataset, 'SOPClassUID')).toBe('1.2.840.10008.5.1.4.1.1.88.11');
    expect([str(dataset, 'CompletionFlag'), str(dataset, 'VerificationFlag')]).toEqual(['COMPLETE', 'VERIFIED']);
    expect(str(seq(dataset, 'VerifyingObserverSequence')[0]!, 'VerifyingObserverName')).toBe('WHITFIELD^Hannah^^Dr');
    const containers = seq(dataset, 'ContentSequence').filter((item) => str(item, 'ValueType') === 'CONTAINER');
    const byName = Object.fromEntries(
      containers.map((c) => [str(seq(c, 'ConceptNameCodeSequence')[0]!, 'CodeMeaning'), str(seq(c, 'ContentSequence')[0]!, 'TextValue')]),
    );
    expect(Object.keys(byName)).toEqual(['Findings', 'Impressions']);
    expect(byName.Findings).toContain('20 mm');
    expect(byName.Findings).toContain('Right lower lobe');
    expect(byName.Impressions).toContain('20 mm right lower lobe nodule');
    const evidence = seq(seq(seq(dataset, 'CurrentRequestedProcedureEvidenceSequence')[0]!, 'ReferencedSeriesSequence')[0]!, 'ReferencedSOPSequence');
    expect(evidence).toHaveLength(current().geometry.sliceCount);
  });
});

describe('RTSTRUCT on the current CT', () => {
  it('has BODY, GTV and LUNG_R referencing the CT frame of reference and series', async () => {
    const { dataset } = await readDataset(join(dir, 'site-a', 'ct-current-rtstruct-0001.dcm'));
    const frame = current().geometry.FrameOfReferenceUID;
    const rois = seq(dataset, 'StructureSetROISequence');
    expect(rois.map((r) => str(r, 'ROIName'))).toEqual(['BODY', 'GTV', 'LUNG_R']);
    expect(rois.every((r) => str(r, 'ReferencedFrameOfReferenceUID') === frame)).toBe(true);
    const reference = seq(dataset, 'ReferencedFrameOfReferenceSequence')[0]!;
    expect(str(reference, 'FrameOfReferenceUID')).toBe(frame);
    const series = seq(seq(reference, 'RTReferencedStudySequence')[0]!, 'RTReferencedSeriesSequence')[0]!;
    expect(str(series, 'SeriesInstanceUID')).toBe(current().SeriesInstanceUID);
    expect(seq(series, 'ContourImageSequence')).toHaveLength(current().geometry.sliceCount);
  });

  it('draws the GTV as closed circles of the lesion diameter around its centre, on the slices it crosses', async () => {
    const { dataset } = await readDataset(join(dir, 'site-a', 'ct-current-rtstruct-0001.dcm'));
    const gtv = seq(dataset, 'ROIContourSequence')[1]!;
    const contours = seq(gtv, 'ContourSequence');
    const { centre, diameterMm } = current().lesion;
    // 1.5 mm slices across a 20 mm sphere: 13 slices lie strictly inside it.
    expect(contours.length).toBe(13);
    let widest = 0;
    for (const contour of contours) {
      expect(str(contour, 'ContourGeometricType')).toBe('CLOSED_PLANAR');
      const data = nums(contour, 'ContourData');
      expect(data.length).toBe(3 * Number(str(contour, 'NumberOfContourPoints')));
      const z = data[2]!;
      expect(Math.abs(z - centre[2])).toBeLessThan(diameterMm / 2);
      const radius = Math.hypot(data[0]! - centre[0], data[1]! - centre[1]);
      expect(radius).toBeCloseTo(Math.sqrt((diameterMm / 2) ** 2 - (z - centre[2]) ** 2), 1);
      widest = Math.max(widest, radius);
    }
    expect(widest).toBeCloseTo(diameterMm / 2, 1);
  });
});

describe('site C ultrasound', () => {
  it('is JPEG baseline in one fragment that jpeg-js decodes to 640 × 480, with no report at site C', async () => {
    const { dataset, transferSyntaxUID } = await readDataset(join(dir, 'site-c', 'us-abdomen-us-0001.dcm'));
    expect(transferSyntaxUID).toBe('1.2.840.10008.1.2.4.50');
    expect([str(dataset, 'Modality'), str(dataset, 'PhotometricInterpretation')]).toEqual(['US', 'YBR_FULL_422']);
    const frames = dataset.PixelData as ArrayBuffer[];
    expect(frames).toHaveLength(1);
    const image = decodeJpeg(new Uint8Array(frames[0]!), { useTArray: true });
    expect([image.width, image.height]).toEqual([640, 480]);
    // The gallbladder (centre 390, 250) is anechoic: dark in the decoded frame.
    expect(image.data[(250 * 640 + 390) * 4]!).toBeLessThan(40);
    const siteC = manifest.studies.filter((s) => s.siteKey === 'c');
    expect(siteC.map((s) => [s.key, s.report])).toEqual([['us-abdomen', 'none'], ['xr-spaced-nhs', 'none'], ['hostile-name', 'none'], ['mg-prior', 'none']]);
    expect(siteC[0]?.series[0]?.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.50');
  });
});
