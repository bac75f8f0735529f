/**
 * Writes an axial CT series of the chest phantom: 16-bit words, 12 bits stored, stored value =
 * HU + 1024 (RescaleIntercept −1024), InstanceNumber and position increasing with z.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CtGeometry, Vec3 } from './manifest';
import { encodePart10, type NaturalDataset } from './dicomFile';
import { renderAxialSlice, TissueHu, type Ellipsoid } from './ctPhantom';
import { addBoundedNoise, hash32 } from './prng';
import { commonAttributes, type SeriesContext, type StudyContext } from './studyContext';
import type { UidFactory } from './uids';
import { monochrome12 } from './pixelModule';

export const CTImageStorage = '1.2.840.10008.5.1.4.1.1.2';
const Intercept = -1024;
const MaxStored = 4095;

export interface CtScan {
  rows: number;
  columns: number;
  /** Equal row and column spacing, mm. */
  pixelSpacing: number;
  sliceCount: number;
  sliceThickness: number;
  sliceStep: number;
  /** ImagePositionPatient of the first (most inferior) slice, in this scan's LPS. */
  firstPosition: Vec3;
  /** LPS = anatomy + tableOffset. */
  tableOffset: Vec3;
  noiseAmplitudeHu: number;
}

export interface WrittenInstance {
  SOPClassUID: string;
  SOPInstanceUID: string;
  file: string;
}

export interface CtSeriesResult {
  geometry: CtGeometry;
  instances: (WrittenInstance & { z: number })[];
}

export function ctGeometry(scan: CtScan, FrameOfReferenceUID: string): CtGeometry {
  return {
    rows: scan.rows,
    columns: scan.columns,
    pixelSpacing: [scan.pixelSpacing, scan.pixelSpacing],
    sliceCount: scan.sliceCount,
    sliceThickness: scan.sliceThickness,
    firstPosition: scan.firstPosition,
    sliceStep: scan.sliceStep,
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    rescaleSlope: 1,
    rescaleIntercept: Intercept,
    FrameOfReferenceUID,
  };
}

/** Writes files one after another while the next slice renders; keeps a few writes in flight. */
export async function writeCtSeries(options: {
  study: StudyContext;
  series: SeriesContext & { FrameOfReferenceUID: string };
  scan: CtScan;
  layers: readonly Ellipsoid[];
  uid: UidFactory;
  dir: string;
  fileStem: string;
  noiseSeed: number;
}): Promise<CtSeriesResult> {
  const { study, series, scan, layers, uid, dir, fileStem } = options;
  const base: NaturalDataset = {
    ...commonAttributes(study, series),
    SOPClassUID: CTImageStorage,
    ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    ContentDate: study.StudyDate,
    ContentTime: study.StudyTime,
    AcquisitionNumber: 1,
    PatientPosition: 'HFS',
    KVP: 120,
    ConvolutionKernel: 'STANDARD',
    SliceThickness: scan.sliceThickness,
    SpacingBetweenSlices: scan.sliceStep,
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    PixelSpacing: [scan.pixelSpacing, scan.pixelSpacing],
    ...monochrome12(scan.rows, scan.columns),
    RescaleIntercept: Intercept,
    RescaleSlope: 1,
    RescaleType: 'HU',
    WindowCenter: 40,
    WindowWidth: 400,
    WindowCenterWidthExplanation: 'SOFT TISSUE',
    _vrMap: { PixelData: 'OW' },
  };
  const raster = {
    rows: scan.rows,
    columns: scan.columns,
    x0: scan.firstPosition[0] - scan.tableOffset[0],
    y0: scan.firstPosition[1] - scan.tableOffset[1],
    rowSpacing: scan.pixelSpacing,
    columnSpacing: scan.pixelSpacing,
  };
  const paint = { background: TissueHu.air - Intercept, valueOf: (layer: Ellipsoid) => layer.hu - Intercept };
  const instances: CtSeriesResult['instances'] = [];
  const pending: Promise<void>[] = [];
  for (let i = 0; i < scan.sliceCount; i++) {
    const z = scan.firstPosition[2] + i * scan.sliceStep;
    const pixels = new Uint16Array(scan.rows * scan.columns);
    renderAxialSlice(layers, raster, z - scan.tableOffset[2], pixels, paint);
    addBoundedNoise(pixels, scan.noiseAmplitudeHu, hash32(`${options.noiseSeed}|${series.SeriesInstanceUID}|${i}`), MaxStored);
    const SOPInstanceUID = uid(`${series.SeriesInstanceUID}/ct/${i}`);
    const position: Vec3 = [scan.firstPosition[0], scan.firstPosition[1], z];
    const bytes = encodePart10({
      ...base,
      SOPInstanceUID,
      InstanceNumber: i + 1,
      ImagePositionPatient: position,
      SliceLocation: z,
      PixelData: pixels.buffer,
    });
    const file = join(dir, `${fileStem}-${String(i + 1).padStart(4, '0')}.dcm`);
    pending.push(writeFile(file, bytes));
    if (pending.length >= 8) await Promise.all(pending.splice(0));
    instances.push({ SOPClassUID: CTImageStorage, SOPInstanceUID, file, z });
  }
  await Promise.all(pending);
  return { geometry: ctGeometry(scan, series.FrameOfReferenceUID), instances };
}
