import { describe, expect, it } from 'vitest';
import { encapsulatedFrameRanges, nativeFrameRanges, parseFrameList, startsCompressedImage, type FragmentInfo } from './pixelData';

// Three frames in five fragments: item offsets count from the first fragment's item tag (8-byte headers).
const fragments: FragmentInfo[] = [
  { itemOffset: 0, position: 1008, length: 100 },
  { itemOffset: 108, position: 1116, length: 50 },
  { itemOffset: 166, position: 1174, length: 80 },
  { itemOffset: 254, position: 1262, length: 60 },
  { itemOffset: 322, position: 1330, length: 40 },
];

describe('encapsulatedFrameRanges', () => {
  it('groups fragments into frames by the basic offset table', () => {
    const frames = encapsulatedFrameRanges(fragments, [0, 166, 322], 3, () => false);
    expect(frames).toEqual([
      [{ offset: 1008, length: 100 }, { offset: 1116, length: 50 }],
      [{ offset: 1174, length: 80 }, { offset: 1262, length: 60 }],
      [{ offset: 1330, length: 40 }],
    ]);
  });

  it('takes one fragment per frame when the counts agree and there is no offset table', () => {
    expect(encapsulatedFrameRanges(fragments, [], 5, () => false)?.map((f) => f[0]?.offset)).toEqual([1008, 1116, 1174, 1262, 1330]);
  });

  it('finds frame starts by scanning for start-of-image markers when the table is empty', () => {
    const starts = new Set([1008, 1174, 1330]);
    const frames = encapsulatedFrameRanges(fragments, [], 3, (f) => starts.has(f.position));
    expect(frames?.map((frame) => frame.length)).toEqual([2, 2, 1]);
  });

  it('puts every fragment into a single frame', () => {
    expect(encapsulatedFrameRanges(fragments, [], 1, () => false)?.[0]?.length).toBe(5);
  });

  it('gives up rather than guess when the scan finds the wrong number of frames', () => {
    expect(encapsulatedFrameRanges(fragments, [], 4, (f) => f.position === 1008)).toBeUndefined();
  });
});

describe('nativeFrameRanges', () => {
  it('slices native pixel data into equal frames', () => {
    const frames = nativeFrameRanges({ offset: 500, length: 3 * 512 * 512 * 2 }, { rows: 512, columns: 512, samplesPerPixel: 1, bitsAllocated: 16, numberOfFrames: 3 });
    expect(frames).toEqual([
      { offset: 500, length: 524288 },
      { offset: 524788, length: 524288 },
      { offset: 1049076, length: 524288 },
    ]);
  });

  it('refuses when the element is too short for the frames the header promises', () => {
    expect(nativeFrameRanges({ offset: 0, length: 100 }, { rows: 8, columns: 8, samplesPerPixel: 1, bitsAllocated: 16, numberOfFrames: 1 })).toBeUndefined();
  });
});

describe('startsCompressedImage', () => {
  it('recognises JPEG, JPEG 2000 codestream and JP2 starts', () => {
    expect(startsCompressedImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(startsCompressedImage(new Uint8Array([0xff, 0x4f, 0xff, 0x51]))).toBe(true);
    expect(startsCompressedImage(new Uint8Array([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20]))).toBe(true);
    expect(startsCompressedImage(new Uint8Array([0x12, 0x34, 0x56, 0x78]))).toBe(false);
  });
});

describe('parseFrameList', () => {
  it('accepts one-based frame numbers within the instance', () => {
    expect(parseFrameList('1,3', 3)).toEqual([1, 3]);
    expect(parseFrameList('0', 3)).toBeUndefined();
    expect(parseFrameList('4', 3)).toBeUndefined();
    expect(parseFrameList('1,x', 3)).toBeUndefined();
  });
});
