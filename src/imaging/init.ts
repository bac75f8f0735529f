/**
 * Cornerstone3D starts once per page. React StrictMode mounts twice in development, and a second
 * init would register the decode worker again ("Worker type … already registered"), so the first
 * call's promise is shared.
 */
import { init as initCore } from '@cornerstonejs/core';
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader';
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
    initTools();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) addTool(tool);
  })();
  return started;
}
