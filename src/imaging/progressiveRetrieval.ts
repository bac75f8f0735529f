/**
 * Progressive HTJ2K: where a site serves frames by byte range and a frame is stored in a
 * resolution-progressive HTJ2K syntax, the image on screen is fetched in two steps: its first
 * bytes, decoded at once at a lower resolution, then the rest, decoded in full. The reader sees
 * the slice after a fraction of its bytes. Everything else (other syntaxes, sites without
 * ranges, prefetch, volumes) fetches whole frames as before: a server that ignores `Range`
 * would otherwise be read as a truncated frame.
 *
 * Cornerstone asks a metadata provider for the retrieve configuration of the image a stack
 * viewport is about to show (`imageRetrieveConfiguration`, context 'stack'); this module is that
 * provider.
 */
import { metaData, utilities } from '@cornerstonejs/core';

/** Syntaxes whose partial codestreams Cornerstone's HTJ2K decoder can show (PS3.5 A.4.6). */
export const ProgressiveSyntaxes: ReadonlySet<string> = new Set([
  '1.2.840.10008.1.2.4.202', // HTJ2K with RPCL options (lossless)
  '1.2.840.10008.1.2.4.203', // HTJ2K (lossless or lossy)
  '3.2.840.10008.1.2.4.96', // pre-standard HTJ2K as written by some archives
]);

/** The first request's size: a 512² CT slice is ~150–300 kB in HTJ2K. */
export const FirstRangeBytes = 64 * 1024;

export const ProgressiveStages = {
  stages: [
    { id: 'htj2k-first-bytes', retrieveType: 'firstBytes' },
    { id: 'htj2k-rest', retrieveType: 'rest' },
  ],
  retrieveOptions: {
    firstBytes: { rangeIndex: 0, initialChunkSize: FirstRangeBytes, chunkSize: FirstRangeBytes },
    rest: { rangeIndex: -1 },
  },
} as const;

let rangedRoots: readonly string[] = [];

/** The DICOMweb roots (as in image ids) of the sites that serve frame byte ranges. */
export function setByteRangeSites(dicomwebRoots: readonly string[]): void {
  rangedRoots = dicomwebRoots.map((root) => root.replace(/\/+$/, '') + '/');
}

/** The configuration for one image, or undefined for a whole-frame fetch. */
export function retrieveConfigurationFor(
  imageId: string,
  context: unknown,
  transferSyntaxUID: string | undefined,
  roots: readonly string[] = rangedRoots,
): typeof ProgressiveStages | undefined {
  if (context !== 'stack' || !imageId.startsWith('wadors:') || !transferSyntaxUID || !ProgressiveSyntaxes.has(transferSyntaxUID)) return undefined;
  if (!/\/frames\/\d+$/.test(imageId)) return undefined;
  const url = imageId.slice('wadors:'.length);
  return roots.some((root) => url.startsWith(root)) ? ProgressiveStages : undefined;
}

let installed = false;

/** Registers the provider (once, before any stack is shown). */
export function installProgressiveRetrieval(): void {
  if (installed) return;
  installed = true;
  const type = utilities.imageRetrieveMetadataProvider.IMAGE_RETRIEVE_CONFIGURATION;
  const provider = (asked: string, imageId: unknown, context: unknown) => {
    if (asked !== type || typeof imageId !== 'string') return undefined;
    const syntax = (metaData.get('transferSyntax', imageId) as { transferSyntaxUID?: string } | undefined)?.transferSyntaxUID;
    return retrieveConfigurationFor(imageId, context, syntax);
  };
  // Above Cornerstone's own retrieve-configuration provider, which answers for every image.
  metaData.addProvider(provider as Parameters<typeof metaData.addProvider>[0], 10_000);
}
