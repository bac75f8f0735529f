/**
 * Small synthetic images whose every pixel is known, one per photometric interpretation, pixel
 * representation and frame layout a viewer must decode: each frame is four flat quadrants of
 * known values (or colours), so a test can read any quadrant's centre and say exactly what it must
 * show. Geometry is trivial on purpose: 64 × 64 pixels of 1 mm, first pixel at the patient origin,
 * axial, so pixel (column, row) lies at patient point (column, row, 0).
 *
 * Greyscale images carry a window that maps their values linearly onto the screen, so the expected
 * screen grey follows from the DICOM VOI function; MONOCHROME1 shows it inverted. Everything is
 * written native (explicit VR little endian) with dcmjs; a case marked `transcodeTo` is meant to be
 * compressed by the harness (e.g. 8-bit greyscale JPEG baseline) before it is served.
 */
import { encodePart10, type NaturalDataset } from './dicomFile';
import type { TransferSyntaxName } from './transferSyntaxes';
import { uidFromText } from './uids';

export const PixelFormatSize = 64;
const Half = PixelFormatSize / 2;

export type PixelFormatKey =
  | 'mono2-u8'
  | 'mono2-u8-jpeg-baseline'
  | 'mono2-s8'
  | 'mono2-s16'
  | 'mono1-u16'
  | 'rgb-by-pixel'
  | 'rgb-by-plane'
  | 'palette-color'
  | 'ybr-full'
  | 'rgb-rle'
  | 'multi-frame-u16';

export type Rgb = readonly [number, number, number];

/** One flat quadrant of one frame and what it must decode to and look like. */
export interface QuadrantTruth {
  /** Patient-space point (LPS mm) at the quadrant's centre, on the image plane. */
  point: [number, number, number];
  /** Greyscale only: the stored value and the modality value (rescale applied). */
  stored?: number;
  modality?: number;
  /** The RGB the screen must show there (window applied, inverted for MONOCHROME1, LUT for palette). */
  screen: Rgb;
}

export interface PixelFormatCase {
  key: PixelFormatKey;
  description: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  SOPInstanceUID: string;
  /** Part 10, explicit VR little endian. */
  bytes: Uint8Array;
  /** `frames[k]` is frame k + 1: its four quadrants (top-left, top-right, bottom-left, bottom-right). */
  frames: QuadrantTruth[][];
  /** The syntax the harness must compress it to before serving, if any. */
  transcodeTo?: TransferSyntaxName;
}

/** Pixel (column, row) at each quadrant's centre, well clear of the edges (and of 8 × 8 JPEG blocks). */
const QuadrantCentres: readonly (readonly [number, number])[] = [
  [Half / 2, Half / 2],
  [Half + Half / 2, Half / 2],
  [Half / 2, Half + Half / 2],
  [Half + Half / 2, Half + Half / 2],
];

function quadrantOf(column: number, row: number): number {
  return (row < Half ? 0 : 2) + (column < Half ? 0 : 1);
}

/** The DICOM linear VOI function (PS3.3 C.11.2.1.2.1) onto 0–255. */
function windowed(value: number, width: number, centre: number): number {
  const x = ((value - (centre - 0.5)) / (width - 1) + 0.5) * 255;
  return Math.round(Math.max(0, Math.min(255, x)));
}

function caseUids(key: PixelFormatKey) {
  return {
    StudyInstanceUID: uidFromText(`crossview-pixel-formats|${key}|study`),
    SeriesInstanceUID: uidFromText(`crossview-pixel-formats|${key}|series`),
    SOPInstanceUID: uidFromText(`crossview-pixel-formats|${key}|instance`),
  };
}

const SecondaryCaptureImageStorage = '1.2.840.10008.5.1.4.1.1.7';
const MultiFrameGrayscaleWordSecondaryCaptureImageStorage = '1.2.840.10008.5.1.4.1.1.7.3';

function baseDataset(key: PixelFormatKey, description: string, SOPClassUID: string, index: number): NaturalDataset {
  const uids = caseUids(key);
  return {
    SpecificCharacterSet: 'ISO_IR 100',
    SOPClassUID,
    SOPInstanceUID: uids.SOPInstanceUID,
    PatientName: 'PIXEL^FORMATS',
    PatientID: 'CV-PIXEL-FORMATS',
    IssuerOfPatientID: 'NCC',
    PatientBirthDate: '19700101',
    PatientSex: 'O',
    StudyInstanceUID: uids.StudyInstanceUID,
    StudyDate: '20260101',
    StudyTime: `1000${String(index).padStart(2, '0')}`,
    StudyID: `PF${index}`,
    AccessionNumber: `PF${String(index).padStart(4, '0')}`,
    ReferringPhysicianName: '',
    StudyDescription: `Pixel format test: ${description}`,
    SeriesInstanceUID: uids.SeriesInstanceUID,
    SeriesNumber: 1,
    SeriesDescription: description,
    Modality: 'OT',
    ConversionType: 'SYN',
    InstanceNumber: 1,
    ImageType: ['DERIVED', 'SECONDARY'],
    BurnedInAnnotation: 'NO',
    PatientOrientation: ['L', 'P'],
    FrameOfReferenceUID: uidFromText(`crossview-pixel-formats|${key}|frame-of-reference`),
    ImagePositionPatient: [0, 0, 0],
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    PixelSpacing: [1, 1],
    Rows: PixelFormatSize,
    Columns: PixelFormatSize,
  };
}

function pointOf(quadrant: number): [number, number, number] {
  const [column, row] = QuadrantCentres[quadrant]!;
  return [column, row, 0];
}

interface GreyscaleSpec {
  key: PixelFormatKey;
  description: string;
  bits: 8 | 16;
  bitsStored: number;
  signed: boolean;
  photometric: 'MONOCHROME1' | 'MONOCHROME2';
  /** Per frame, the four quadrant values. */
  values: readonly (readonly [number, number, number, number])[];
  window: { centre: number; width: number };
  rescale?: { slope: number; intercept: number };
  transcodeTo?: TransferSyntaxName;
}

function greyscaleCase(spec: GreyscaleSpec, index: number): PixelFormatCase {
  const count = PixelFormatSize * PixelFormatSize;
  const frameBytes = (count * spec.bits) / 8;
  const pixels = new ArrayBuffer(frameBytes * spec.values.length);
  const view = new DataView(pixels);
  spec.values.forEach((quadrants, frame) => {
    for (let row = 0; row < PixelFormatSize; row++) {
      for (let column = 0; column < PixelFormatSize; column++) {
        const value = quadrants[quadrantOf(column, row)]!;
        const at = frame * frameBytes + ((row * PixelFormatSize + column) * spec.bits) / 8;
        if (spec.bits === 8) {
          if (spec.signed) view.setInt8(at, value);
          else view.setUint8(at, value);
        } else if (spec.signed) view.setInt16(at, value, true);
        else view.setUint16(at, value, true);
      }
    }
  });
  const multiFrame = spec.values.length > 1;
  const dataset: NaturalDataset = {
    ...baseDataset(spec.key, spec.description, multiFrame ? MultiFrameGrayscaleWordSecondaryCaptureImageStorage : SecondaryCaptureImageStorage, index),
    SamplesPerPixel: 1,
    PhotometricInterpretation: spec.photometric,
    BitsAllocated: spec.bits,
    BitsStored: spec.bitsStored,
    HighBit: spec.bitsStored - 1,
    PixelRepresentation: spec.signed ? 1 : 0,
    WindowCenter: spec.window.centre,
    WindowWidth: spec.window.width,
    ...(spec.rescale || multiFrame ? { RescaleIntercept: spec.rescale?.intercept ?? 0, RescaleSlope: spec.rescale?.slope ?? 1, RescaleType: 'US' } : {}),
    ...(multiFrame ? { NumberOfFrames: spec.values.length, FrameIncrementPointer: 0x00181063, FrameTime: 100, PresentationLUTShape: 'IDENTITY' } : {}),
    PixelData: [pixels],
    _vrMap: { PixelData: spec.bits === 8 ? 'OB' : 'OW' },
  };
  const { slope, intercept } = spec.rescale ?? { slope: 1, intercept: 0 };
  const frames = spec.values.map((quadrants) =>
    quadrants.map((stored, quadrant) => {
      const modality = stored * slope + intercept;
      const grey = windowed(modality, spec.window.width, spec.window.centre);
      const shown = spec.photometric === 'MONOCHROME1' ? 255 - grey : grey;
      return { point: pointOf(quadrant), stored, modality, screen: [shown, shown, shown] as const };
    }),
  );
  return {
    key: spec.key,
    description: spec.description,
    ...caseUids(spec.key),
    bytes: encodePart10(dataset),
    frames,
    ...(spec.transcodeTo ? { transcodeTo: spec.transcodeTo } : {}),
  };
}

/** Four colours that differ in every channel, so a swapped or dropped channel shows. */
const QuadrantColours: readonly Rgb[] = [
  [220, 40, 40],
  [40, 200, 60],
  [50, 70, 230],
  [240, 200, 30],
];

/** RGB → YCbCr as PS3.3 C.7.6.3.1.2 defines YBR_FULL (8-bit, rounded). */
export function ybrFullOf([r, g, b]: Rgb): Rgb {
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  return [clamp(0.299 * r + 0.587 * g + 0.114 * b), clamp(-0.1687 * r - 0.3313 * g + 0.5 * b + 128), clamp(0.5 * r - 0.4187 * g - 0.0813 * b + 128)];
}

const ColourDescriptions: Record<'rgb-by-pixel' | 'rgb-by-plane' | 'ybr-full' | 'rgb-rle', string> = {
  'rgb-by-pixel': 'RGB, colour-by-pixel (PlanarConfiguration 0)',
  'rgb-by-plane': 'RGB, colour-by-plane (PlanarConfiguration 1)',
  'ybr-full': 'YBR_FULL, uncompressed',
  'rgb-rle': 'RGB, RLE lossless',
};

function colourCase(key: keyof typeof ColourDescriptions, index: number): PixelFormatCase {
  const byPlane = key === 'rgb-by-plane';
  const ybr = key === 'ybr-full';
  const count = PixelFormatSize * PixelFormatSize;
  const pixels = new Uint8Array(count * 3);
  for (let row = 0; row < PixelFormatSize; row++) {
    for (let column = 0; column < PixelFormatSize; column++) {
      const p = row * PixelFormatSize + column;
      const rgb = QuadrantColours[quadrantOf(column, row)]!;
      const colour = ybr ? ybrFullOf(rgb) : rgb;
      for (let channel = 0; channel < 3; channel++) pixels[byPlane ? channel * count + p : p * 3 + channel] = colour[channel]!;
    }
  }
  const description = ColourDescriptions[key];
  const dataset: NaturalDataset = {
    ...baseDataset(key, description, SecondaryCaptureImageStorage, index),
    SamplesPerPixel: 3,
    PhotometricInterpretation: ybr ? 'YBR_FULL' : 'RGB',
    PlanarConfiguration: byPlane ? 1 : 0,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OB' },
  };
  return {
    key,
    description,
    ...caseUids(key),
    bytes: encodePart10(dataset),
    frames: [QuadrantColours.map((screen, quadrant) => ({ point: pointOf(quadrant), screen }))],
    ...(key === 'rgb-rle' ? { transcodeTo: 'rle' as const } : {}),
  };
}

/** Palette entry k (16-bit LUT words): red rises, green falls, blue cycles three times as fast. */
function paletteEntry(k: number): [number, number, number] {
  return [k * 257, (255 - k) * 257, ((k * 3) % 256) * 257];
}
const PaletteIndices = [10, 60, 130, 250] as const;

function paletteCase(index: number): PixelFormatCase {
  const key = 'palette-color';
  const pixels = new Uint8Array(PixelFormatSize * PixelFormatSize);
  for (let row = 0; row < PixelFormatSize; row++) {
    for (let column = 0; column < PixelFormatSize; column++) pixels[row * PixelFormatSize + column] = PaletteIndices[quadrantOf(column, row)]!;
  }
  const lut = (channel: number) => {
    const words = new Uint16Array(256);
    for (let k = 0; k < 256; k++) words[k] = paletteEntry(k)[channel]!;
    return [words.buffer];
  };
  const description = 'PALETTE COLOR, 8-bit indices into 16-bit 256-entry LUTs';
  const dataset: NaturalDataset = {
    ...baseDataset(key, description, SecondaryCaptureImageStorage, index),
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'PALETTE COLOR',
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    RedPaletteColorLookupTableDescriptor: [256, 0, 16],
    GreenPaletteColorLookupTableDescriptor: [256, 0, 16],
    BluePaletteColorLookupTableDescriptor: [256, 0, 16],
    RedPaletteColorLookupTableData: lut(0),
    GreenPaletteColorLookupTableData: lut(1),
    BluePaletteColorLookupTableData: lut(2),
    PixelData: [pixels.buffer],
    _vrMap: {
      PixelData: 'OB',
      RedPaletteColorLookupTableDescriptor: 'US',
      GreenPaletteColorLookupTableDescriptor: 'US',
      BluePaletteColorLookupTableDescriptor: 'US',
      RedPaletteColorLookupTableData: 'OW',
      GreenPaletteColorLookupTableData: 'OW',
      BluePaletteColorLookupTableData: 'OW',
    },
  };
  return {
    key,
    description,
    ...caseUids(key),
    bytes: encodePart10(dataset),
    frames: [
      PaletteIndices.map((stored, quadrant) => ({
        point: pointOf(quadrant),
        stored,
        screen: paletteEntry(stored).map((word) => word >> 8) as unknown as Rgb,
      })),
    ],
  };
}

/** Frame k (1-based) of the multi-frame case holds 500·k + 100·quadrant: every frame distinct. */
export const MultiFrameCount = 4;

/**
 * Every pixel-format case, deterministic (same bytes on every call).
 *
 * @example
 * for (const c of pixelFormatCases()) await writeFile(join(dir, `${c.key}.dcm`), c.bytes);
 */
export function pixelFormatCases(): PixelFormatCase[] {
  const u8 = [[16, 96, 176, 240]] as const;
  return [
    greyscaleCase({ key: 'mono2-u8', description: 'MONOCHROME2, unsigned 8-bit', bits: 8, bitsStored: 8, signed: false, photometric: 'MONOCHROME2', values: u8, window: { centre: 128, width: 256 } }, 1),
    greyscaleCase(
      {
        key: 'mono2-u8-jpeg-baseline',
        description: 'MONOCHROME2, unsigned 8-bit, JPEG baseline',
        bits: 8,
        bitsStored: 8,
        signed: false,
        photometric: 'MONOCHROME2',
        values: u8,
        window: { centre: 128, width: 256 },
        transcodeTo: 'jpeg-baseline',
      },
      2,
    ),
    greyscaleCase({ key: 'mono2-s8', description: 'MONOCHROME2, signed 8-bit', bits: 8, bitsStored: 8, signed: true, photometric: 'MONOCHROME2', values: [[-120, -40, 40, 120]], window: { centre: 0, width: 256 } }, 3),
    greyscaleCase(
      {
        key: 'mono2-s16',
        description: 'MONOCHROME2, signed 16-bit with rescale',
        bits: 16,
        bitsStored: 16,
        signed: true,
        photometric: 'MONOCHROME2',
        values: [[-2000, -500, 500, 2000]],
        rescale: { slope: 1, intercept: -1024 },
        window: { centre: -1024, width: 4096 },
      },
      4,
    ),
    greyscaleCase({ key: 'mono1-u16', description: 'MONOCHROME1, unsigned 12 of 16 bits', bits: 16, bitsStored: 12, signed: false, photometric: 'MONOCHROME1', values: [[0, 1000, 3000, 4095]], window: { centre: 2048, width: 4096 } }, 5),
    colourCase('rgb-by-pixel', 6),
    colourCase('rgb-by-plane', 7),
    paletteCase(8),
    colourCase('ybr-full', 10),
    colourCase('rgb-rle', 11),
    greyscaleCase(
      {
        key: 'multi-frame-u16',
        description: `MONOCHROME2, ${MultiFrameCount}-frame, unsigned 12 of 16 bits`,
        bits: 16,
        bitsStored: 12,
        signed: false,
        photometric: 'MONOCHROME2',
        values: Array.from({ length: MultiFrameCount }, (_, k) => [0, 1, 2, 3].map((q) => 500 * (k + 1) + 100 * q) as [number, number, number, number]),
        window: { centre: 2048, width: 4096 },
      },
      9,
    ),
  ];
}
