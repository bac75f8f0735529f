/**
 * Cornerstone3D starts once per page. React StrictMode mounts twice in development, and a second
 * init would register the decode worker again ("Worker type … already registered"), so the first
 * call's promise is shared.
 */
import { Enums, imageRetrievalPoolManager, init as initCore } from '@cornerstonejs/core';
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader';
import { installFrameFallback } from './frameFallback';
import {
  init as initTools,
  addTool,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';

let started: Promise<void> | undefined;

export function initImaging(): Promise<void> {
  started ??= (async () => {
    initCore();
    // Half the cores decode; the rest keep the page responsive while a series streams in.
    initDicomImageLoader({ maxWebWorkers: Math.max(1, Math.min(4, Math.floor((navigator.hardwareConcurrency || 2) / 2))) });
    // Every wadors: image, stack or volume, falls back to whole-instance retrieval when a site's
    // frames endpoint fails (Orthanc 1.10 and HTJ2K).
    installFrameFallback();
    // Browsers open ~6 HTTP/1.1 connections per host and every site sits behind the one gateway:
    // capping background fetches keeps connections free for the slice on screen and for queries.
    imageRetrievalPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Prefetch, 4);
    initTools();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) addTool(tool);
  })();
  return started;
}
