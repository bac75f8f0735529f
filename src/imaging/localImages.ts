/**
 * Images from local files (a CD opened in the browser) through the same stack and volume paths
 * as a hospital's: their image IDs use the `cvlocal:` scheme, their metadata is the parsed
 * DICOM JSON (registered by the stack view like any WADO-RS metadata), and its Pixel Data is a
 * BulkDataURI naming an object URL of the whole Part-10 file. The loader reads that file, cuts
 * the frame out as stored and hands it to the image loader's decoder, so codecs, rescale and
 * windowing are exactly those of a frame fetched from a hospital.
 */
import { imageLoader, type Types } from '@cornerstonejs/core';
import cornerstoneDICOMImageLoader, { wadors } from '@cornerstonejs/dicom-image-loader';
import type { DicomJsonDataset } from '../contracts/index';
import { UnusableImageError } from './decodedSize';
import { LocalImageScheme } from './localImageIds';
import { frameFromPart10 } from './part10Frame';

const { createImage } = cornerstoneDICOMImageLoader;


/** The few files read last, so the frames of one multi-frame file do not read it again each. */
const recentFiles = new Map<string, Promise<Uint8Array>>();
const RecentFileCount = 4;

function readFile(url: string): Promise<Uint8Array> {
  let pending = recentFiles.get(url);
  if (!pending) {
    pending = fetch(url).then(async (response) => {
      if (!response.ok) throw new UnusableImageError('the local file is no longer available (it was closed)');
      return new Uint8Array(await response.arrayBuffer());
    });
    recentFiles.set(url, pending);
    pending.catch(() => recentFiles.delete(url));
    while (recentFiles.size > RecentFileCount) recentFiles.delete(recentFiles.keys().next().value!);
  }
  return pending;
}

async function loadLocal(imageId: string, options: Record<string, unknown>): Promise<Types.IImage> {
  const metadata = wadors.metaDataManager.get(imageId) as DicomJsonDataset | undefined;
  const url = metadata?.['7FE00010']?.BulkDataURI;
  if (!url) throw new UnusableImageError('the local file has no Pixel Data');
  const frame = Number(/\/frames\/(\d+)$/.exec(imageId)?.[1] ?? '1');
  const { pixelData, transferSyntaxUID } = await frameFromPart10(await readFile(url), frame - 1);
  return (await createImage(imageId, pixelData, transferSyntaxUID, options)) as Types.IImage;
}

let installed = false;

/** Registers the `cvlocal:` loader; call after the image loader is initialised. */
export function installLocalImageLoader(): void {
  if (installed) return;
  installed = true;
  imageLoader.registerImageLoader(LocalImageScheme, ((imageId: string, options: Record<string, unknown> = {}) => ({ promise: loadLocal(imageId, options) })) as unknown as Types.ImageLoaderFn);
}
