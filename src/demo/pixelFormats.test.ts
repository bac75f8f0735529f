import dcmjs from 'dcmjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodePart10 } from './dicomFile';
import { MultiFrameCount, PixelFormatSize, pixelFormatCases, ybrFullOf, type PixelFormatCase } from './pixelFormats';

beforeAll(() => dcmjs.log.setLevel('error'));

function caseOf(key: PixelFormatCase['key']): PixelFormatCase {
  const found = pixelFormatCases().find((c) => c.key === key);
  if (!found) throw new Error(`no case ${key}`);
  return found;
}

/** Reads sample `channel` of pixel (column, row) of frame `frame` straight from the written bytes. */
function storedSample(c: PixelFormatCase, frame: number, column: number, row: number, channel = 0): number {
  const { dataset } = decodePart10(c.bytes);
  const bits = dataset.BitsAllocated as number;
  const samples = dataset.SamplesPerPixel as number;
  const signed = dataset.PixelRepresentation === 1;
  const byPlane = dataset.PlanarConfiguration === 1;
  const count = PixelFormatSize * PixelFormatSize;
  const pixels = new DataView((dataset.PixelData as ArrayBuffer[])[0]!);
  const p = row * PixelFormatSize + column;
  const index = frame * count * samples + (byPlane ? channel * count + p : p * samples + channel);
  if (bits === 8) return signed ? pixels.getInt8(index) : pixels.getUint8(index);
  return signed ? pixels.getInt16(index * 2, true) : pixels.getUint16(index * 2, true);
}

describe('pixel format test images', () => {
  it('writes the same bytes on every call, with distinct studies per case', () => {
    const first = pixelFormatCases();
    const second = pixelFormatCases();
    expect(first.map((c) => Buffer.from(c.bytes).toString('base64'))).toEqual(second.map((c) => Buffer.from(c.bytes).toString('base64')));
    expect(new Set(first.map((c) => c.StudyInstanceUID)).size).toBe(first.length);
  });

  it.each(['mono2-u8', 'mono2-s8', 'mono2-s16', 'mono1-u16', 'multi-frame-u16'] as const)('%s: every quadrant centre holds its stated stored value in every frame', (key) => {
    const c = caseOf(key);
    const { dataset } = decodePart10(c.bytes);
    expect(dataset.NumberOfFrames ?? 1).toBe(c.frames.length);
    c.frames.forEach((quadrants, frame) => {
      for (const q of quadrants) expect(storedSample(c, frame, q.point[0], q.point[1])).toBe(q.stored);
    });
  });

  it('signed images hold negative values and say so', () => {
    for (const key of ['mono2-s8', 'mono2-s16'] as const) {
      const c = caseOf(key);
      expect(decodePart10(c.bytes).dataset.PixelRepresentation).toBe(1);
      expect(c.frames[0]!.some((q) => (q.stored ?? 0) < 0)).toBe(true);
    }
    const s16 = caseOf('mono2-s16');
    expect(s16.frames[0]!.map((q) => q.modality)).toEqual([-3024, -1524, -524, 976]);
  });

  it('MONOCHROME1 shows high values dark: the screen grey falls as the value rises', () => {
    const greys = caseOf('mono1-u16').frames[0]!.map((q) => q.screen[0]);
    expect(greys[0]).toBe(255);
    expect(greys[3]).toBe(0);
    expect([...greys].sort((a, b) => b - a)).toEqual(greys);
  });

  it('RGB by pixel and by plane hold the same colours, in their own layouts', () => {
    const byPixel = caseOf('rgb-by-pixel');
    const byPlane = caseOf('rgb-by-plane');
    expect(decodePart10(byPixel.bytes).dataset.PlanarConfiguration).toBe(0);
    expect(decodePart10(byPlane.bytes).dataset.PlanarConfiguration).toBe(1);
    for (const c of [byPixel, byPlane]) {
      for (const q of c.frames[0]!) expect([0, 1, 2].map((ch) => storedSample(c, 0, q.point[0], q.point[1], ch))).toEqual([...q.screen]);
    }
    // The layouts really differ: byte 1 is green of pixel 0 by pixel, red of pixel 1 by plane.
    expect(Buffer.from(byPixel.bytes).equals(Buffer.from(byPlane.bytes))).toBe(false);
  });

  it('PALETTE COLOR: each quadrant index looks up its stated colour in the written LUTs', () => {
    const c = caseOf('palette-color');
    const { dataset } = decodePart10(c.bytes);
    expect(dataset.RedPaletteColorLookupTableDescriptor).toEqual([256, 0, 16]);
    const luts = ['Red', 'Green', 'Blue'].map((name) => new Uint16Array((dataset[`${name}PaletteColorLookupTableData`] as ArrayBuffer[])[0]!));
    for (const q of c.frames[0]!) {
      const index = storedSample(c, 0, q.point[0], q.point[1]);
      expect(index).toBe(q.stored);
      expect(luts.map((lut) => lut[index]! >> 8)).toEqual([...q.screen]);
    }
  });

  it(`the multi-frame image has ${MultiFrameCount} frames, each with its own values`, () => {
    const c = caseOf('multi-frame-u16');
    const firstQuadrant = c.frames.map((frame) => frame[0]!.stored);
    expect(new Set(firstQuadrant).size).toBe(MultiFrameCount);
    expect(decodePart10(c.bytes).dataset.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.7.3');
  });

  it('YBR_FULL stores the PS3.3 YCbCr of each colour: grey stays on the neutral axis, red leans to Cr', () => {
    const c = caseOf('ybr-full');
    expect(decodePart10(c.bytes).dataset.PhotometricInterpretation).toBe('YBR_FULL');
    expect(ybrFullOf([128, 128, 128])).toEqual([128, 128, 128]);
    const red = c.frames[0]![0]!;
    const stored = [0, 1, 2].map((ch) => storedSample(c, 0, red.point[0], red.point[1], ch));
    expect(stored).toEqual([...ybrFullOf(red.screen)]);
    expect(stored[2]).toBeGreaterThan(200);
  });

  it('marks the 8-bit greyscale copy for JPEG baseline and the RGB copy for RLE', () => {
    expect(pixelFormatCases().filter((c) => c.transcodeTo).map((c) => [c.key, c.transcodeTo])).toEqual([
      ['mono2-u8-jpeg-baseline', 'jpeg-baseline'],
      ['rgb-rle', 'rle'],
    ]);
    expect(decodePart10(caseOf('mono2-u8-jpeg-baseline').bytes).dataset.BitsAllocated).toBe(8);
  });
});
