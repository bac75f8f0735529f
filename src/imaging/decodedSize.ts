/**
 * A decoded frame must hold a value for every pixel. The image loader builds an image from
 * whatever bytes a native (uncompressed) frame answer held, so a site that sends too few (garbage,
 * a wrong-length part) would otherwise reach the screen as a frame WebGL cannot draw: blank, with
 * no word to the reader. Pure: it only compares counts.
 */

export interface DecodedFrame {
  rows: number;
  columns: number;
  /** Colour images decode to RGB or RGBA: at least three values per pixel. */
  color: boolean;
  /** How many values the decoded pixel data holds. */
  values: number;
  bitsAllocated?: number;
}

/** Why a decoded frame is short of values, or undefined when it has enough. */
export function shortFrameReason(frame: DecodedFrame): string | undefined {
  const needed = frame.rows * frame.columns * (frame.color ? 3 : 1);
  if (needed === 0 || frame.values >= needed) return undefined;
  // The loader leaves 1-bit frames (segmentations, overlays) packed eight pixels a byte.
  if (frame.bitsAllocated === 1 && frame.values === Math.ceil(needed / 8)) return 'its 1-bit (bit-packed) pixel data is not supported';
  return `the site's answer holds ${frame.values.toLocaleString('en-GB')} pixel values for a ${frame.columns}×${frame.rows} image`;
}

/**
 * An image refused with a reason for the reader (a short frame, an instance with no Pixel Data).
 * Cornerstone reports it through IMAGE_LOAD_ERROR and also leaves it as an unhandled rejection,
 * which `init.ts` quietens by this class.
 */
export class UnusableImageError extends Error {
  override name = 'UnusableImageError';
}

/** The instance's metadata (DICOM JSON) says it has no Pixel Data: a 404 for its frame is why. */
export function lacksPixelData(metadata: Record<string, unknown> | undefined): boolean {
  return metadata !== undefined && !('7FE00010' in metadata) && !('7FE00008' in metadata) && !('7FE00009' in metadata);
}
