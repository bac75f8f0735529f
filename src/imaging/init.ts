/**
 * Cornerstone3D starts once per page. React StrictMode mounts twice in development, and a second
 * init would register the decode worker again ("Worker type … already registered"), so the first
 * call's promise is shared.
 */
import { Enums, imageLoadPoolManager, init as initCore } from '@cornerstonejs/core';
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader';
import { UnusableImageError } from './decodedSize';
import { installFrameFallback } from './frameFallback';
import { installLocalImageLoader } from './localImages';
import { classifyLoadError, isCodecException } from './loadErrors';
import { installProgressiveRetrieval } from './progressiveRetrieval';
import {
  init as initTools,
  addTool,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';

/** Background image loads in flight at once, fetch through decode. */
export const BackgroundLoads = 4;

let started: Promise<void> | undefined;

/**
 * Failures that Cornerstone's WADO-RS loader reports through IMAGE_LOAD_ERROR (so the viewport
 * says what went wrong) and also leaves as an unhandled rejection: a truncated or malformed
 * multipart answer, a failed XHR, a WASM codec's exception (a bare number: only the image
 * loader's codecs run Emscripten code on the page), a syntax no decoder handles, or an image
 * refused with a reason. Only these are quietened; anything else still surfaces.
 */
export function isReportedLoaderFailure(reason: unknown): boolean {
  if (typeof XMLHttpRequest !== 'undefined' && reason instanceof XMLHttpRequest) return true;
  if (isCodecException(reason) || reason instanceof UnusableImageError) return true;
  if (reason instanceof Error && classifyLoadError(reason).kind === 'unsupported-encoding') return true;
  return reason instanceof Error && /^invalid response - /.test(reason.message);
}


export function initImaging(): Promise<void> {
  started ??= (async () => {
    initCore();
    window.addEventListener('unhandledrejection', (event) => {
      if (isReportedLoaderFailure(event.reason)) event.preventDefault();
    });
    // Half the cores decode; the rest keep the page responsive while a series streams in.
    initDicomImageLoader({ maxWebWorkers: Math.max(1, Math.min(4, Math.floor((navigator.hardwareConcurrency || 2) / 2))) });
    // Every wadors: image, stack or volume, falls back to whole-instance retrieval when a site's
    // frames endpoint fails (Orthanc 1.10 and HTJ2K).
    installFrameFallback();
    // Local files (a CD opened in the browser) load from their own bytes.
    installLocalImageLoader();
    // HTJ2K frames on screen from sites that serve byte ranges arrive in two steps.
    installProgressiveRetrieval();
    // Background loads (stack prefetch and volume streaming) go through the image load pool, whose
    // slots are held until the image is decoded, so this is a real cap: browsers open ~6 HTTP/1.1
    // connections per host, every site sits behind the one gateway, and the slice on screen and
    // the queries need some. (The retrieval pool's slot ends before the fetch does.)
    imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Prefetch, BackgroundLoads);
    initTools();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) addTool(tool);
  })();
  return started;
}
