/**
 * MR brain: one tissue-label phantom (scalp, skull, CSF, grey and white matter, ventricles and
 * a small periventricular lesion) imaged as T1, T2 and FLAIR axial series that share a frame of
 * reference. Each sequence maps labels to its own signal, so the three look like what a reader
 * expects: CSF dark on T1 and FLAIR, bright on T2; the lesion bright on T2 and FLAIR.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Vec3 } from './manifest';
import { encodePart10, type NaturalDataset } from './dicomFile';
import { renderAxialSlice, type Ellipsoid } from './ctPhantom';
import { addBoundedNoise, hash32 } from './prng';
import { commonAttributes, type SeriesContext, type StudyContext } from './studyContext';
import type { UidFactory } from './uids';
import type { WrittenInstance } from './ctSeries';
import { monochrome12 } from './pixelModule';

export const MRImageStorage = '1.2.840.10008.5.1.4.1.1.4';

const Label = { background: 0, scalp: 1, skull: 2, csf: 3, grey: 4, white: 5, lesion: 6 } as const;

const HeadLayers: Ellipsoid[] = [
  { name: 'scalp', centre: [0, 0, 0], semiAxes: [78, 98, 90], hu: Label.scalp },
  { name: 'skull', centre: [0, 0, 0], semiAxes: [73, 93, 85], hu: Label.skull },
  { name: 'csf', centre: [0, 0, 0], semiAxes: [68, 88, 80], hu: Label.csf },
  { name: 'grey', centre: [0, 0, 0], semiAxes: [65, 85, 77], hu: Label.grey },
  { name: 'white', centre: [0, 0, 0], semiAxes: [58, 78, 68], hu: Label.white },
  { name: 'ventricle-right', centre: [-9, -5, 10], semiAxes: [6, 22, 14], hu: Label.csf },
  { name: 'ventricle-left', centre: [9, -5, 10], semiAxes: [6, 22, 14], hu: Label.csf },
  { name: 'lesion', centre: [26, 12, 20], semiAxes: [6, 6, 6], hu: Label.lesion },
];

export interface MrSequence {
  SeriesDescription: 'T1' | 'T2' | 'FLAIR';
  /** Signal per label, indexed by the Label values above. */
  signal: [number, number, number, number, number, number, number];
  ScanningSequence: string[];
  SequenceVariant: string[];
  RepetitionTime: number;
  EchoTime: number;
  InversionTime?: number;
  window: [number, number];
}

export const MrSequences: MrSequence[] = [
  { SeriesDescription: 'T1', signal: [0, 900, 40, 180, 480, 640, 380], ScanningSequence: ['SE'], SequenceVariant: ['SK'], RepetitionTime: 500, EchoTime: 12, window: [420, 840] },
  { SeriesDescription: 'T2', signal: [0, 520, 40, 1100, 620, 430, 900], ScanningSequence: ['SE'], SequenceVariant: ['SK'], RepetitionTime: 4000, EchoTime: 95, window: [560, 1120] },
  { SeriesDescription: 'FLAIR', signal: [0, 420, 40, 90, 540, 400, 980], ScanningSequence: ['IR', 'SE'], SequenceVariant: ['SK'], RepetitionTime: 9000, EchoTime: 110, InversionTime: 2500, window: [500, 1000] },
];

export interface MrScan {
  rows: number;
  columns: number;
  pixelSpacing: number;
  sliceCount: number;
  sliceStep: number;
  firstPosition: Vec3;
}

export async function writeMrBrainSeries(options: {
  study: StudyContext;
  series: (SeriesContext & { FrameOfReferenceUID: string })[];
  scan: MrScan;
  uid: UidFactory;
  dir: string;
  fileStem: string;
  noiseSeed: number;
}): Promise<WrittenInstance[][]> {
  const { study, scan, uid } = options;
  const raster = { rows: scan.rows, columns: scan.columns, x0: scan.firstPosition[0], y0: scan.firstPosition[1], rowSpacing: scan.pixelSpacing, columnSpacing: scan.pixelSpacing };
  const labels = new Uint16Array(scan.rows * scan.columns);
  const written: WrittenInstance[][] = options.series.map(() => []);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < scan.sliceCount; i++) {
    const z = scan.firstPosition[2] + i * scan.sliceStep;
    renderAxialSlice(HeadLayers, raster, z, labels, { background: Label.background, valueOf: (layer) => layer.hu });
    for (let s = 0; s < options.series.length; s++) {
      const series = options.series[s];
      const sequence = MrSequences[s];
      if (!series || !sequence) throw new Error('writeMrBrainSeries: one series per sequence');
      const pixels = new Uint16Array(labels.length);
      for (let p = 0; p < labels.length; p++) pixels[p] = sequence.signal[labels[p] ?? 0] ?? 0;
      addBoundedNoise(pixels, 12, hash32(`${options.noiseSeed}|${series.SeriesInstanceUID}|${i}`), 4095);
      const SOPInstanceUID = uid(`${series.SeriesInstanceUID}/mr/${i}`);
      const dataset = mrImageDataset(study, series, {
        SOPInstanceUID,
        InstanceNumber: i + 1,
        sequence,
        sliceStep: scan.sliceStep,
        position: [scan.firstPosition[0], scan.firstPosition[1], z],
        pixelSpacing: scan.pixelSpacing,
        rows: scan.rows,
        columns: scan.columns,
        pixels,
      });
      const file = join(options.dir, `${options.fileStem}-s${series.SeriesNumber}-${String(i + 1).padStart(4, '0')}.dcm`);
      pending.push(writeFile(file, encodePart10(dataset)));
      written[s]?.push({ SOPClassUID: MRImageStorage, SOPInstanceUID, file });
    }
    if (pending.length >= 8) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return written;
}

/** What an MR slice acquisition needs beyond its place: the sequence parameters and display window. */
export type MrAcquisition = Pick<MrSequence, 'ScanningSequence' | 'SequenceVariant' | 'RepetitionTime' | 'EchoTime' | 'InversionTime' | 'window'>;

/** One axial MR image (MR Image Storage, 12-bit) of a demo series; shared by the MR head and thorax. */
export function mrImageDataset(
  study: StudyContext,
  series: SeriesContext,
  image: { SOPInstanceUID: string; InstanceNumber: number; sequence: MrAcquisition; sliceStep: number; position: Vec3; pixelSpacing: number; rows: number; columns: number; pixels: Uint16Array },
): NaturalDataset {
  const { sequence } = image;
  const z = image.position[2];
  return {
    ...commonAttributes(study, series),
    SOPClassUID: MRImageStorage,
    SOPInstanceUID: image.SOPInstanceUID,
    InstanceNumber: image.InstanceNumber,
    ImageType: ['ORIGINAL', 'PRIMARY', 'M', 'NONE'],
    ContentDate: study.StudyDate,
    ContentTime: study.StudyTime,
    AcquisitionNumber: 1,
    PatientPosition: 'HFS',
    ScanningSequence: sequence.ScanningSequence,
    SequenceVariant: sequence.SequenceVariant,
    ScanOptions: '',
    MRAcquisitionType: '2D',
    RepetitionTime: sequence.RepetitionTime,
    EchoTime: sequence.EchoTime,
    ...(sequence.InversionTime !== undefined ? { InversionTime: sequence.InversionTime } : {}),
    EchoTrainLength: 1,
    MagneticFieldStrength: 1.5,
    ImagedNucleus: '1H',
    ImagingFrequency: 63.87,
    SliceThickness: image.sliceStep,
    SpacingBetweenSlices: image.sliceStep,
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    ImagePositionPatient: image.position,
    SliceLocation: z,
    PixelSpacing: [image.pixelSpacing, image.pixelSpacing],
    ...monochrome12(image.rows, image.columns),
    WindowCenter: sequence.window[0],
    WindowWidth: sequence.window[1],
    PixelData: image.pixels.buffer,
    _vrMap: { PixelData: 'OW' },
  };
}
