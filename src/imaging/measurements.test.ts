import { metaData } from '@cornerstonejs/core';
import type { Types as ToolTypes } from '@cornerstonejs/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMeasurementReport, imageIdsByReference, fromPart10, isMeasurementReport, readMeasurementReport, toPart10, type NaturalDataset } from './measurements';

/** One axial CT slice, 0.5 mm pixels, at z = 40 mm; the identity the report must copy. */
const imageId = 'wadors:http://gw/sites/a/dicom-web/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5/frames/1';
const instance = {
  PatientName: 'PHANTOM^CHEST',
  PatientID: 'A-1001',
  PatientBirthDate: '19600101',
  PatientSex: 'F',
  StudyInstanceUID: '1.2.3',
  StudyDate: '20250101',
  StudyID: '7',
  AccessionNumber: 'ACC7',
  SeriesInstanceUID: '1.2.3.4',
  SOPInstanceUID: '1.2.3.4.5',
  SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
  Modality: 'CT',
  FrameOfReferenceUID: '1.2.3.9',
  ImagePositionPatient: [-100, -100, 40],
  ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
  PixelSpacing: [0.5, 0.5],
  Rows: 400,
  Columns: 400,
};
const modules: Record<string, unknown> = {
  instance,
  sopCommonModule: { sopInstanceUID: instance.SOPInstanceUID, sopClassUID: instance.SOPClassUID },
  imagePlaneModule: {
    imagePositionPatient: instance.ImagePositionPatient,
    rowCosines: [1, 0, 0],
    columnCosines: [0, 1, 0],
    rowPixelSpacing: 0.5,
    columnPixelSpacing: 0.5,
    frameOfReferenceUID: instance.FrameOfReferenceUID,
    rows: 400,
    columns: 400,
  },
  generalSeriesModule: { modality: 'CT', seriesInstanceUID: instance.SeriesInstanceUID, studyInstanceUID: instance.StudyInstanceUID },
};
const provider = (type: string, query: unknown) => (query === imageId ? modules[type] : undefined);

beforeAll(() => metaData.addProvider(provider, 10_000));
afterAll(() => metaData.removeProvider(provider));

function lengthAnnotation(from: [number, number, number], to: [number, number, number]): ToolTypes.Annotation {
  return {
    annotationUID: 'length-1',
    highlighted: false,
    invalidated: false,
    isLocked: false,
    metadata: { toolName: 'Length', referencedImageId: imageId, FrameOfReferenceUID: instance.FrameOfReferenceUID, viewPlaneNormal: [0, 0, -1], viewUp: [0, -1, 0] },
    data: {
      handles: { points: [from, to], activeHandleIndex: null, textBox: { hasMoved: false } },
      cachedStats: { [`imageId:${imageId}`]: { length: Math.hypot(to[0] - from[0], to[1] - from[1], to[2] - from[2]), unit: 'mm' } },
    },
  } as unknown as ToolTypes.Annotation;
}

function annotationOf(toolName: string, points: [number, number, number][], stats: Record<string, unknown> = {}): ToolTypes.Annotation {
  return {
    annotationUID: `${toolName}-1`,
    highlighted: false,
    invalidated: false,
    isLocked: false,
    metadata: { toolName, referencedImageId: imageId, FrameOfReferenceUID: instance.FrameOfReferenceUID, viewPlaneNormal: [0, 0, -1], viewUp: [0, -1, 0] },
    data: { handles: { points, activeHandleIndex: null, textBox: { hasMoved: false } }, cachedStats: { [`imageId:${imageId}`]: stats } },
  } as unknown as ToolTypes.Annotation;
}

function numValues(dataset: NaturalDataset): number[] {
  const values: number[] = [];
  const walk = (items: unknown) => {
    for (const item of (Array.isArray(items) ? items : [items]) as Record<string, unknown>[]) {
      if (!item) continue;
      if (item.ValueType === 'NUM') {
        const measured = item.MeasuredValueSequence as Record<string, unknown> | Record<string, unknown>[];
        values.push(Number((Array.isArray(measured) ? measured[0] : measured)?.NumericValue));
      }
      if (item.ContentSequence) walk(item.ContentSequence);
    }
  };
  walk(dataset.ContentSequence);
  return values;
}

describe('measurements as DICOM SR (TID 1500)', () => {
  it('a 20 mm length becomes a TID 1500 SR in the same study with the patient identity of the measured image', () => {
    const built = buildMeasurementReport([lengthAnnotation([-10, 0, 40], [10, 0, 40])], metaData);
    expect(built.kind).toBe('ok');
    if (built.kind !== 'ok') return;
    const sr = built.dataset;
    expect(isMeasurementReport(sr)).toBe(true);
    expect(sr.Modality).toBe('SR');
    expect(sr.PatientID).toBe('A-1001');
    expect(sr.PatientName).toEqual(expect.anything());
    expect(JSON.stringify(sr.PatientName)).toContain('PHANTOM^CHEST');
    expect(sr.StudyInstanceUID).toBe('1.2.3');
    expect(sr.SeriesInstanceUID).not.toBe('1.2.3.4');
    expect(numValues(sr)).toContain(20);
  });

  it('the SR survives a Part 10 round trip and reads back as the same length on the same image', () => {
    const built = buildMeasurementReport([lengthAnnotation([-10, 0, 40], [10, 0, 40])], metaData);
    if (built.kind !== 'ok') throw new Error(`build failed: ${built.kind}`);
    const file = toPart10(built.dataset);
    expect(new TextDecoder().decode(new Uint8Array(file, 128, 4))).toBe('DICM');
    const parsed = fromPart10(file)!;
    const annotations = readMeasurementReport(parsed, imageIdsByReference([{ imageId, SOPInstanceUID: instance.SOPInstanceUID }]), metaData);
    expect(annotations).toHaveLength(1);
    const [length] = annotations;
    expect(length!.metadata?.toolName).toBe('Length');
    expect(length!.metadata?.referencedImageId).toBe(imageId);
    const points = (length!.data.handles as { points: number[][] }).points;
    expect(points[0]![0]).toBeCloseTo(-10, 3);
    expect(points[1]![0]).toBeCloseTo(10, 3);
    expect(points[1]![2]).toBeCloseTo(40, 3);
  });

  it('an ellipse ROI (mean, SD, min, max, area), a probe and an angle survive the round trip with their tools and points', () => {
    const ellipse = annotationOf('EllipticalROI', [[0, -5, 40], [0, 5, 40], [-5, 0, 40], [5, 0, 40]], {
      area: 78.5, mean: 40.2, stdDev: 3.1, min: 31, max: 49, modalityUnit: 'HU', areaUnit: 'mm²',
    });
    const probe = annotationOf('Probe', [[2, 3, 40]], { value: 41, modalityUnit: 'HU' });
    const angle = annotationOf('Angle', [[-10, 0, 40], [0, 0, 40], [0, -10, 40]], { angle: 90 });
    const built = buildMeasurementReport([ellipse, probe, angle], metaData);
    if (built.kind !== 'ok') throw new Error(`build failed: ${built.kind}`);
    expect(built.count).toBe(3);
    expect(numValues(built.dataset)).toEqual(expect.arrayContaining([40.2, 3.1, 31, 49, 78.5, 90]));
    const back = readMeasurementReport(fromPart10(toPart10(built.dataset))!, imageIdsByReference([{ imageId, SOPInstanceUID: instance.SOPInstanceUID }]), metaData);
    expect(back.map((a) => a.metadata?.toolName).sort()).toEqual(['Angle', 'EllipticalROI', 'Probe']);
    const probeBack = back.find((a) => a.metadata?.toolName === 'Probe')!;
    const [point] = (probeBack.data.handles as { points: number[][] }).points;
    expect(point![0]).toBeCloseTo(2, 3);
    expect(point![1]).toBeCloseTo(3, 3);
  });

  it('measurements on images this viewport does not show are not hydrated', () => {
    const built = buildMeasurementReport([lengthAnnotation([-10, 0, 40], [10, 0, 40])], metaData);
    if (built.kind !== 'ok') throw new Error('build failed');
    expect(readMeasurementReport(fromPart10(toPart10(built.dataset))!, imageIdsByReference([{ imageId: 'wadors:other/frames/1', SOPInstanceUID: '9.9.9' }]), metaData)).toEqual([]);
  });

  it('with no measurements there is nothing to save, and a non-TID-1500 dataset reads back as none', () => {
    expect(buildMeasurementReport([], metaData).kind).toBe('nothing-to-save');
    expect(readMeasurementReport({ Modality: 'SR', ContentTemplateSequence: [{ TemplateIdentifier: '2000' }] }, {}, metaData)).toEqual([]);
    expect(fromPart10(new Uint8Array([1, 2, 3]).buffer)).toBeUndefined();
  });
});
