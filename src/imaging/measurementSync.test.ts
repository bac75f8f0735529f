import { metaData } from '@cornerstonejs/core';
import type { Types as ToolTypes } from '@cornerstonejs/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMeasurementReport, fromPart10, toPart10, type NaturalDataset } from './measurements';
import { applyMeasurementReports, firstMultipartPart, stowBody } from './measurementSync';
import type { StackImage } from './seriesImages';

describe('STOW and WADO-RS multipart bodies', () => {
  it('the DICOM bytes put into a STOW body come out of it unchanged, including CR LF inside the data', async () => {
    const part10 = new Uint8Array([0x44, 0x49, 0x43, 0x4d, 13, 10, 45, 45, 0, 255, 128]);
    const body = new Uint8Array(await stowBody(part10.buffer, 'b123').arrayBuffer());
    const text = new TextDecoder('latin1').decode(body);
    expect(text.startsWith('--b123\r\nContent-Type: application/dicom\r\n\r\n')).toBe(true);
    expect(text.endsWith('\r\n--b123--\r\n')).toBe(true);
    expect([...firstMultipartPart(body, 'multipart/related; type="application/dicom"; boundary=b123')!]).toEqual([...part10]);
  });

  it('a quoted boundary is understood and an answer with no boundary gives nothing', () => {
    const body = new TextEncoder().encode('--xyz\r\nContent-Type: application/dicom\r\n\r\nABC\r\n--xyz--');
    expect(new TextDecoder().decode(firstMultipartPart(body, 'multipart/related; boundary="xyz"'))).toBe('ABC');
    expect(firstMultipartPart(body, 'application/dicom')).toBeUndefined();
  });
});

/** One axial CT slice the measurement was made on, as the metadata provider describes it. */
const imageId = 'wadors:http://gw/sites/a/dicom-web/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/frames/1';
const modules: Record<string, unknown> = {
  instance: {
    PatientName: 'PHANTOM^CHEST', PatientID: 'A-1001', StudyInstanceUID: '1.2.3', SeriesInstanceUID: '1.2.3.4', SOPInstanceUID: '1.2.3.4.5',
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.2', Modality: 'CT', FrameOfReferenceUID: '1.2.3.9', ImagePositionPatient: [-100, -100, 40],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0], PixelSpacing: [0.5, 0.5], Rows: 400, Columns: 400,
  },
  sopCommonModule: { sopInstanceUID: '1.2.3.4.5', sopClassUID: '1.2.840.10008.5.1.4.1.1.2' },
  imagePlaneModule: { imagePositionPatient: [-100, -100, 40], rowCosines: [1, 0, 0], columnCosines: [0, 1, 0], rowPixelSpacing: 0.5, columnPixelSpacing: 0.5, frameOfReferenceUID: '1.2.3.9', rows: 400, columns: 400 },
  generalSeriesModule: { modality: 'CT', seriesInstanceUID: '1.2.3.4', studyInstanceUID: '1.2.3' },
};
const provider = (type: string, query: unknown) => (query === imageId ? modules[type] : undefined);
beforeAll(() => metaData.addProvider(provider, 10_000));
afterAll(() => metaData.removeProvider(provider));

function lengthReport(): NaturalDataset {
  const length = {
    annotationUID: 'length-1',
    highlighted: false,
    invalidated: false,
    isLocked: false,
    metadata: { toolName: 'Length', referencedImageId: imageId, FrameOfReferenceUID: '1.2.3.9', viewPlaneNormal: [0, 0, -1], viewUp: [0, -1, 0] },
    data: { handles: { points: [[-10, 0, 40], [10, 0, 40]], activeHandleIndex: null, textBox: { hasMoved: false } }, cachedStats: { [`imageId:${imageId}`]: { length: 20, unit: 'mm' } } },
  } as unknown as ToolTypes.Annotation;
  const built = buildMeasurementReport([length], metaData);
  if (built.kind !== 'ok') throw new Error(`build failed: ${built.kind}`);
  return built.dataset;
}

describe('saved measurements onto a viewport', () => {
  it('puts each SR of this study on the images once; copies, measurements already shown, other studies and unreadable bytes add nothing', () => {
    const report = lengthReport();
    const file = toPart10(report);
    const otherStudy = toPart10({ ...fromPart10(file)!, StudyInstanceUID: '9.9.9' });
    const added: ToolTypes.Annotation[] = [];
    const tools = { addMeasurements: (items: readonly ToolTypes.Annotation[]) => added.push(...items), measurements: () => added };
    const images = [{ imageId, SOPInstanceUID: '1.2.3.4.5' }] as unknown as StackImage[];
    const count = applyMeasurementReports(tools, images, '1.2.3', [file, file.slice(0), otherStudy, new Uint8Array([1, 2, 3]).buffer]);
    expect(count).toBe(1);
    expect(added.map((a) => a.metadata?.toolName)).toEqual(['Length']);
    expect(added[0]!.metadata?.referencedImageId).toBe(imageId);
    // The study opened again (annotations outlive the viewport): nothing is added twice.
    expect(applyMeasurementReports(tools, images, '1.2.3', [file])).toBe(0);
    expect(added).toHaveLength(1);
  });
});
