/**
 * Site C's ultrasound: one B-mode frame (a sector of liver-like speckle with an anechoic
 * gallbladder and a vessel), stored JPEG baseline as one fragment after a one-entry basic
 * offset table. jpeg-js writes 3-component YCbCr (4:4:4). It is labelled YBR_FULL_422, the
 * label the US IOD allows for lossy JPEG and the one decoders expect: they take the sampling
 * from the JPEG header and output RGB (Cornerstone would wrongly convert again under YBR_FULL).
 */
import { encode as encodeJpeg } from 'jpeg-js';
import { encodePart10, JPEGBaselineProcess1, type NaturalDataset } from './dicomFile';
import { createPrng } from './prng';
import { commonAttributes, type SeriesContext, type StudyContext } from './studyContext';

export const UltrasoundImageStorage = '1.2.840.10008.5.1.4.1.1.6.1';
export const UltrasoundSize = { rows: 480, columns: 640 } as const;
const JpegQuality = 90;

/** Grey B-mode picture, one byte per pixel. */
export function renderUltrasound(seed: number): Uint8Array {
  const { rows, columns } = UltrasoundSize;
  const prng = createPrng(seed, 'ultrasound');
  const grey = new Uint8Array(rows * columns);
  const apexX = columns / 2;
  const apexY = 30;
  const halfAngle = (35 * Math.PI) / 180;
  const inside = (x: number, y: number, cx: number, cy: number, rx: number, ry: number): boolean =>
    ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const r = Math.hypot(x - apexX, y - apexY);
      const theta = Math.atan2(x - apexX, y - apexY);
      if (Math.abs(theta) > halfAngle || r < 40 || r > 440) continue;
      // Speckle: the product of two uniforms is skewed like real speckle, cheap to draw.
      let level = 40 + 150 * prng.next() * (0.5 + prng.next()) - r * 0.06;
      if (inside(x, y, 390, 250, 62, 34)) level = 6 + 8 * prng.next();
      else if (inside(x, y, 250, 330, 16, 16)) level = 10 + 8 * prng.next();
      else if (r < 70) level *= 0.8; // near-field darkening
      grey[y * columns + x] = Math.max(0, Math.min(255, Math.round(level)));
    }
  }
  return grey;
}

export function encodeJpegFrame(grey: Uint8Array, columns: number, rows: number): Uint8Array {
  const rgba = Buffer.alloc(columns * rows * 4);
  for (let i = 0; i < grey.length; i++) {
    const v = grey[i] ?? 0;
    rgba[4 * i] = v;
    rgba[4 * i + 1] = v;
    rgba[4 * i + 2] = v;
    rgba[4 * i + 3] = 255;
  }
  const encoded = encodeJpeg({ data: rgba, width: columns, height: rows }, JpegQuality);
  return new Uint8Array(encoded.data);
}

export function encodeUltrasound(study: StudyContext, series: SeriesContext, SOPInstanceUID: string, seed: number): Uint8Array {
  const { rows, columns } = UltrasoundSize;
  const jpeg = encodeJpegFrame(renderUltrasound(seed), columns, rows);
  const frame = jpeg.buffer.slice(jpeg.byteOffset, jpeg.byteOffset + jpeg.byteLength);
  const dataset: NaturalDataset = {
    ...commonAttributes(study, series),
    SOPClassUID: UltrasoundImageStorage,
    SOPInstanceUID,
    InstanceNumber: 1,
    ImageType: ['ORIGINAL', 'PRIMARY', 'ABDOMINAL'],
    ContentDate: study.StudyDate,
    ContentTime: study.StudyTime,
    PatientOrientation: '',
    Rows: rows,
    Columns: columns,
    SamplesPerPixel: 3,
    PhotometricInterpretation: 'YBR_FULL_422',
    PlanarConfiguration: 0,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    LossyImageCompression: '01',
    LossyImageCompressionRatio: Math.round(((rows * columns * 3) / jpeg.byteLength) * 100) / 100,
    LossyImageCompressionMethod: 'ISO_10918_1',
    PixelData: [frame],
    _vrMap: { PixelData: 'OB' },
  };
  return encodePart10(dataset, JPEGBaselineProcess1);
}
