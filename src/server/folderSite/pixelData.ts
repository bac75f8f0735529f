/**
 * Where each frame's bytes live in a stored file, so frames are read from disk on demand and
 * no pixel data stays in memory. Pure: the inputs are offsets found while indexing.
 */

/** A run of bytes in the (possibly inflated) file. */
export interface ByteRange {
  offset: number;
  length: number;
}

export interface FragmentInfo {
  /** Offset of the fragment's item relative to the first fragment (what the basic offset table counts). */
  itemOffset: number;
  /** Absolute position of the fragment's data. */
  position: number;
  length: number;
}

/** Each frame of native (uncompressed) pixel data is one contiguous run. */
export function nativeFrameRanges(
  pixelData: ByteRange,
  image: { rows: number; columns: number; samplesPerPixel: number; bitsAllocated: number; numberOfFrames: number },
): ByteRange[] | undefined {
  const bits = image.rows * image.columns * image.samplesPerPixel * image.bitsAllocated;
  if (bits % 8 !== 0) return undefined; // bit-packed frames do not start on byte boundaries
  const frameLength = bits / 8;
  if (frameLength === 0 || frameLength * image.numberOfFrames > pixelData.length) return undefined;
  return Array.from({ length: image.numberOfFrames }, (_, i) => ({ offset: pixelData.offset + i * frameLength, length: frameLength }));
}

/**
 * Groups encapsulated fragments into frames (PS3.5 A.4): by the basic offset table when it has
 * one entry per frame, one fragment per frame when the counts agree, else by scanning for the
 * codec's start-of-image marker (`startsImage`).
 */
export function encapsulatedFrameRanges(
  fragments: readonly FragmentInfo[],
  basicOffsetTable: readonly number[],
  numberOfFrames: number,
  startsImage: (fragment: FragmentInfo) => boolean,
): ByteRange[][] | undefined {
  const toRange = (f: FragmentInfo): ByteRange => ({ offset: f.position, length: f.length });
  if (fragments.length === 0 || numberOfFrames < 1) return undefined;
  if (numberOfFrames === 1) return [fragments.map(toRange)];
  if (basicOffsetTable.length === numberOfFrames) {
    const frames = basicOffsetTable.map((start, i) => {
      const end = basicOffsetTable[i + 1] ?? Number.POSITIVE_INFINITY;
      return fragments.filter((f) => f.itemOffset >= start && f.itemOffset < end).map(toRange);
    });
    return frames.every((frame) => frame.length > 0) ? frames : undefined;
  }
  if (fragments.length === numberOfFrames) return fragments.map((f) => [toRange(f)]);
  const frames: ByteRange[][] = [];
  for (const fragment of fragments) {
    const current = frames[frames.length - 1];
    if (startsImage(fragment) || !current) frames.push([toRange(fragment)]);
    else current.push(toRange(fragment));
  }
  return frames.length === numberOfFrames ? frames : undefined;
}

/** Start-of-image markers: JPEG/JPEG-LS SOI, JPEG 2000 / HTJ2K codestream SOC+SIZ, JP2 signature box. */
export function startsCompressedImage(firstBytes: Uint8Array): boolean {
  const [a, b, c, d] = firstBytes;
  if (a === 0xff && b === 0xd8) return true;
  if (a === 0xff && b === 0x4f && c === 0xff && d === 0x51) return true;
  return a === 0x00 && b === 0x00 && c === 0x00 && d === 0x0c && firstBytes[4] === 0x6a && firstBytes[5] === 0x50;
}

/** Parses `frames/1,3,5`: one-based, each within the instance. */
export function parseFrameList(text: string, numberOfFrames: number): number[] | undefined {
  const numbers = text.split(',').map((part) => (/^\d+$/.test(part.trim()) ? Number(part.trim()) : Number.NaN));
  if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > numberOfFrames)) return undefined;
  return numbers;
}
