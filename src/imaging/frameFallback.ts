/**
 * Whole-instance fallback for WADO-RS frames. Some servers store a syntax they cannot cut frames
 * out of (Orthanc 1.10 answers 500 "Unknown transfer syntax" for HTJ2K and deflated files) yet
 * send the whole instance as stored. When a frames request fails with a 5xx, the instance is
 * fetched once as Part 10 (`transfer-syntax=*`, so the server never transcodes), the frame is cut
 * out here and decoded by the same loader path as a frame would be. A series that fell back once
 * goes straight to instance retrieval for its other images, so a 200-slice series costs one
 * failed request, not 200.
 *
 * Installed by replacing the `wadors` scheme's loader with a wrapper around the original.
 */
import { imageLoader, type Types } from '@cornerstonejs/core';
import cornerstoneDICOMImageLoader, { wadors } from '@cornerstonejs/dicom-image-loader';
import { lacksPixelData, shortFrameReason, UnusableImageError } from './decodedSize';
import { statusOf } from './loadErrors';
import { inlinePaletteTables, paletteTablesMissing } from './paletteLuts';
import { firstPart, frameFromPart10 } from './part10Frame';

const { createImage } = cornerstoneDICOMImageLoader;
const INSTANCE_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';

/** Series (URL up to `/series/<uid>`) whose frames endpoint failed: later images skip it. */
const fallenBack = new Set<string>();

interface FrameRef {
  instanceUrl: string;
  seriesUrl: string;
  frameIndex: number;
}

/** `wadors:<root>/studies/…/series/…/instances/<sop>/frames/<n>` → its instance and frame. */
export function frameRefOf(imageId: string): FrameRef | undefined {
  const match = /^wadors:(.+\/series\/[^/]+)(\/instances\/[^/]+)\/frames\/(\d+)$/.exec(imageId);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { seriesUrl: match[1], instanceUrl: match[1] + match[2], frameIndex: Number(match[3]) - 1 };
}

function isServerFailure(error: unknown): boolean {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 500;
}

async function loadFromInstance(imageId: string, ref: FrameRef, options: Record<string, unknown>): Promise<Types.IImage> {
  const response = await fetch(ref.instanceUrl, { headers: { Accept: INSTANCE_ACCEPT } });
  if (!response.ok) throw Object.assign(new Error(`instance retrieval answered HTTP ${response.status}`), { status: response.status });
  const body = firstPart(new Uint8Array(await response.arrayBuffer()), response.headers.get('content-type') ?? '');
  const { pixelData, transferSyntaxUID } = await frameFromPart10(body, ref.frameIndex);
  const image = (await createImage(imageId, pixelData, transferSyntaxUID, options)) as Types.IImage;
  return image;
}

/** Refuses an image built from fewer bytes than it has pixels (see decodedSize.ts). */
function wholeImage(image: Types.IImage): Types.IImage {
  const pixelData = image.getPixelData?.();
  if (!pixelData) return image;
  const bitsAllocated = (image as { imageFrame?: { bitsAllocated?: number } }).imageFrame?.bitsAllocated;
  const reason = shortFrameReason({ rows: image.rows, columns: image.columns, color: image.color, values: pixelData.length, ...(bitsAllocated !== undefined ? { bitsAllocated } : {}) });
  if (reason) throw new UnusableImageError(reason);
  return image;
}

function loadWithFallback(imageId: string, options: Record<string, unknown> = {}): Types.IImageLoadObject {
  // The loader reads PALETTE COLOR tables from the metadata as it decodes: put them there first.
  if (paletteTablesMissing(imageId)) return { promise: inlinePaletteTables(imageId).then(() => loadFrame(imageId, options).promise).then(wholeImage) };
  const loaded = loadFrame(imageId, options);
  return { ...loaded, promise: loaded.promise.then(wholeImage) };
}

function loadFrame(imageId: string, options: Record<string, unknown>): Types.IImageLoadObject {
  const ref = frameRefOf(imageId);
  if (ref && fallenBack.has(ref.seriesUrl)) return { promise: loadFromInstance(imageId, ref, options) };
  const primary = wadors.loadImage(imageId, options) as unknown as Types.IImageLoadObject;
  const promise = primary.promise.catch((error: unknown) => {
    // A site rightly has no frame for an instance without pixels; say that, not "HTTP 404".
    if (statusOf(error) === 404 && lacksPixelData(wadors.metaDataManager.get(imageId) as Record<string, unknown> | undefined)) {
      throw new UnusableImageError('the instance has no Pixel Data: there is no image in it');
    }
    if (!ref || !isServerFailure(error)) throw error;
    fallenBack.add(ref.seriesUrl);
    return loadFromInstance(imageId, ref, options);
  });
  return { promise, ...(primary.cancelFn ? { cancelFn: primary.cancelFn } : {}) };
}

let installed = false;

/** Routes `wadors:` image IDs through the fallback; call after the image loader is initialised. */
export function installFrameFallback(): void {
  if (installed) return;
  installed = true;
  imageLoader.registerImageLoader('wadors', loadWithFallback as unknown as Types.ImageLoaderFn);
}
