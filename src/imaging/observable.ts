/**
 * `window.crossview`: the documented hook outside tests and benchmarks use to relate patient
 * coordinates to screen pixels and to decoded values (DESIGN.md "Observable"). Read-only; it
 * drives nothing.
 */
import { cache } from '@cornerstonejs/core';
import type { StackView } from './stackView';
import type { StackTools } from './tools';

/** What a viewport offers the hook: a stack view, or one pane of a volume view (MPR). */
export type PublishedViewport = Pick<StackView, 'viewportId' | 'worldToCanvas' | 'pixelValue'> & { tools?: Pick<StackTools, 'measurements'> };

/** One measurement as the hook reports it: plain data, safe to copy out of the page. */
export interface ObservedAnnotation {
  toolName: string;
  referencedImageId?: string;
  /** The tool's computed statistics for its image (e.g. `length`, `mean`, `stdDev`, `area`). */
  stats: Record<string, unknown>;
}

export interface CrossviewObservable {
  /** Canvas CSS pixel of a patient-space (LPS mm) point in a viewport, or undefined if none. */
  worldToCanvas(viewportId: string, point: [number, number, number]): [number, number] | undefined;
  /**
   * Modality value (HU for CT: rescale applied) of the decoded image on screen at a patient-space
   * point, or undefined if the point is off the image, the image is colour or none is shown.
   */
  pixelValue(viewportId: string, point: [number, number, number]): number | undefined;
  /** Bytes of decoded images the page holds now (Cornerstone `cache.getCacheSize()`). */
  cacheBytes(): number;
  /** The image memory budget in force (Cornerstone `cache.getMaxCacheSize()`). */
  cacheBudgetBytes(): number;
  /** Measurements (length, angle, ROIs, probe) drawn on or loaded onto a viewport's images. */
  annotations(viewportId: string): ObservedAnnotation[];
}

const published = new Map<string, PublishedViewport>();

declare global {
  interface Window {
    crossview?: CrossviewObservable;
  }
}

export function publishViewport(view: PublishedViewport): () => void {
  published.set(view.viewportId, view);
  window.crossview ??= {
    worldToCanvas: (id, point) => published.get(id)?.worldToCanvas(point),
    pixelValue: (id, point) => published.get(id)?.pixelValue(point),
    cacheBytes: () => cache.getCacheSize(),
    cacheBudgetBytes: () => cache.getMaxCacheSize(),
    annotations: (id) => observedAnnotations(published.get(id)),
  };
  return () => {
    if (published.get(view.viewportId) === view) published.delete(view.viewportId);
  };
}

function observedAnnotations(view: PublishedViewport | undefined): ObservedAnnotation[] {
  return (view?.tools?.measurements() ?? []).map((item) => {
    const cached = (item.data?.cachedStats ?? {}) as Record<string, Record<string, unknown>>;
    const first = Object.values(cached)[0] ?? {};
    const stats = Object.fromEntries(Object.entries(first).filter(([, value]) => ['number', 'string', 'boolean'].includes(typeof value)));
    return { toolName: item.metadata?.toolName ?? 'unknown', ...(item.metadata?.referencedImageId ? { referencedImageId: item.metadata.referencedImageId } : {}), stats };
  });
}
