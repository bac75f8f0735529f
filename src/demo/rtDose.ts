/**
 * RT Dose on the current CT: one multi-frame grid, coarser than the CT, holding a spherical plan
 * dose centred on the GTV whose shape is known in closed form, so a viewer's resampling, probe and
 * isodose lines can be checked against numbers rather than against themselves.
 *
 * Profile (distance r from the centre): `maxGy` up to the GTV radius, then a Gaussian shoulder
 * `maxGy · exp(−(r − flatRadius)² / 2σ²)`, with σ chosen so the 50 % level lies at `radius50Mm`.
 */
import type { DemoRtDoseTruth, Vec3 } from './manifest';
import { encodePart10, type NaturalDataset } from './dicomFile';
import { RTStructureSetStorage } from './rtStruct';
import { commonAttributes, type SeriesContext, type StudyContext } from './studyContext';

export const RTDoseStorage = '1.2.840.10008.5.1.4.1.1.481.2';
/** (3004,000C) GridFrameOffsetVector: the attribute frames step through. */
const GridFrameOffsetVectorTag = 0x3004000c;

export interface DoseProfile {
  centre: Vec3;
  maxGy: number;
  prescriptionGy: number;
  flatRadiusMm: number;
  radius50Mm: number;
}

/** Grid: 4 mm voxels, 32 per axis (±62 mm round the centre); 64 kB of 16-bit values. */
const Spacing = 4;
const Size = 32;
/** Gy per stored unit: 60 Gy is 60 000, well inside 16 bits. */
const DoseGridScaling = 0.001;

/** σ of the Gaussian shoulder that puts half the maximum at `radius50Mm`. */
export function shoulderSigma(profile: Pick<DoseProfile, 'flatRadiusMm' | 'radius50Mm'>): number {
  return (profile.radius50Mm - profile.flatRadiusMm) / Math.sqrt(2 * Math.LN2);
}

/** Dose in Gy at a patient point, from the closed form (what the grid samples). */
export function plannedDoseAt(profile: DoseProfile, point: Vec3): number {
  const r = Math.hypot(point[0] - profile.centre[0], point[1] - profile.centre[1], point[2] - profile.centre[2]);
  if (r <= profile.flatRadiusMm) return profile.maxGy;
  const sigma = shoulderSigma(profile);
  const d = r - profile.flatRadiusMm;
  return profile.maxGy * Math.exp(-(d * d) / (2 * sigma * sigma));
}

/** First voxel centre: whole millimetres, so the GTV centre falls between voxels (resampling is exercised). */
function gridOrigin(centre: Vec3): Vec3 {
  const half = ((Size - 1) * Spacing) / 2;
  return [Math.floor(centre[0]) - half, Math.floor(centre[1]) - half, Math.floor(centre[2]) - half];
}

export function encodeRtDose(options: {
  study: StudyContext;
  series: SeriesContext & { FrameOfReferenceUID: string };
  SOPInstanceUID: string;
  structureSetSOPInstanceUID: string;
  profile: DoseProfile;
}): { bytes: Uint8Array; truth: Omit<DemoRtDoseTruth, 'SeriesInstanceUID' | 'SOPInstanceUID'> } {
  const { profile } = options;
  const origin = gridOrigin(profile.centre);
  const values = new Uint16Array(Size * Size * Size);
  for (let k = 0; k < Size; k++) {
    for (let j = 0; j < Size; j++) {
      for (let i = 0; i < Size; i++) {
        const point: Vec3 = [origin[0] + i * Spacing, origin[1] + j * Spacing, origin[2] + k * Spacing];
        values[(k * Size + j) * Size + i] = Math.round(plannedDoseAt(profile, point) / DoseGridScaling);
      }
    }
  }
  const dataset: NaturalDataset = {
    ...commonAttributes(options.study, options.series),
    SOPClassUID: RTDoseStorage,
    SOPInstanceUID: options.SOPInstanceUID,
    InstanceNumber: 1,
    ContentDate: options.study.StudyDate,
    ContentTime: options.study.StudyTime,
    ImagePositionPatient: origin,
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    PixelSpacing: [Spacing, Spacing],
    SliceThickness: Spacing,
    NumberOfFrames: Size,
    FrameIncrementPointer: GridFrameOffsetVectorTag,
    GridFrameOffsetVector: Array.from({ length: Size }, (_, k) => k * Spacing),
    Rows: Size,
    Columns: Size,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
    DoseUnits: 'GY',
    DoseType: 'PHYSICAL',
    DoseSummationType: 'PLAN',
    DoseComment: `Demo plan: ${profile.prescriptionGy} Gy to the GTV`,
    DoseGridScaling,
    TissueHeterogeneityCorrection: 'IMAGE',
    ReferencedStructureSetSequence: [
      { ReferencedSOPClassUID: RTStructureSetStorage, ReferencedSOPInstanceUID: options.structureSetSOPInstanceUID },
    ],
    PixelData: [values.buffer],
    _vrMap: { PixelData: 'OW' },
  };
  return {
    bytes: encodePart10(dataset),
    truth: {
      centre: profile.centre,
      maxGy: profile.maxGy,
      prescriptionGy: profile.prescriptionGy,
      flatRadiusMm: profile.flatRadiusMm,
      radius50Mm: profile.radius50Mm,
      sigmaMm: shoulderSigma(profile),
      gridSpacingMm: [Spacing, Spacing, Spacing],
      gridSize: [Size, Size, Size],
      firstVoxelCentre: origin,
      DoseGridScaling,
    },
  };
}
