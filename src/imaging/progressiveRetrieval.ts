/**
 * Progressive HTJ2K: where a site serves frames by byte range and a frame is stored in a
 * resolution-progressive HTJ2K syntax, the image on screen is fetched in two steps: its first
 * bytes, decoded at once at a lower resolution, then the rest, decoded in full. The reader sees
 * the slice after a fraction of its bytes. Everything else (other syntaxes, sites without
 * ranges, prefetch, volumes) fetches whole frames as before: a server that ignores `Range`
 * would otherwise be read as a truncated frame.
 *
 * Cornerstone asks the metadata providers for the retrieve configuration of an image
 * (`imageRetrieveConfiguration`, by image id, then by 'stack' or 'volume'); this module answers
 * by image id. A stack runs the stages; a volume uses `default` (whole frames), which keeps
 * streaming volumes as they were.
 */
import { Enums, eventTarget, metaData, utilities } from '@cornerstonejs/core';

/** Syntaxes whose partial codestreams Cornerstone's HTJ2K decoder can show (PS3.5 A.4.6). */
export const ProgressiveSyntaxes: ReadonlySet<string> = new Set([
  '1.2.840.10008.1.2.4.202', // HTJ2K with RPCL options (lossless)
  '1.2.840.10008.1.2.4.203', // HTJ2K (lossless or lossy)
  '3.2.840.10008.1.2.4.96', // pre-standard HTJ2K as written by some archives
]);

/** The first request: a 512² CT slice is ~40 kB (lossy) to ~250 kB (lossless) in HTJ2K, so 16 kB shows a coarse slice early. */
export const FirstRangeBytes = 16 * 1024;

export const ProgressiveStages = {
  stages: [
    { id: 'htj2k-first-bytes', retrieveType: 'firstBytes' },
    { id: 'htj2k-rest', retrieveType: 'rest' },
  ],
  retrieveOptions: {
    default: {},
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
export function retrieveConfigurationFor(imageId: string, transferSyntaxUID: string | undefined, roots: readonly string[] = rangedRoots): typeof ProgressiveStages | undefined {
  if (!imageId.startsWith('wadors:') || !transferSyntaxUID || !ProgressiveSyntaxes.has(transferSyntaxUID)) return undefined;
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
  const provider = (asked: string, imageId: unknown) => {
    if (asked !== type || typeof imageId !== 'string' || !imageId.startsWith('wadors:')) return undefined;
    const syntax = (metaData.get('transferSyntax', imageId) as { transferSyntaxUID?: string } | undefined)?.transferSyntaxUID;
    return retrieveConfigurationFor(imageId, syntax);
  };
  // Above Cornerstone's own retrieve-configuration provider, which answers for every image.
  metaData.addProvider(provider as Parameters<typeof metaData.addProvider>[0], 10_000);
  // Each finished stage leaves a performance mark (benchmarks and tests read when the coarse
  // image showed, and whether it decoded).
  eventTarget.addEventListener(Enums.Events.IMAGE_RETRIEVAL_STAGE, (event: Event) => {
    const detail = (event as CustomEvent<{ stageId?: string; numberOfImages?: number; numberOfFailures?: number }>).detail;
    if (!detail?.stageId?.startsWith('htj2k-')) return;
    performance.mark(`cv:retrieval-stage:${detail.stageId}`, { detail: { images: detail.numberOfImages ?? 0, failures: detail.numberOfFailures ?? 0 } });
  });
}
