/**
 * `window.crossview`: the documented hook outside tests and benchmarks use to relate patient
 * coordinates to screen pixels and to decoded values (DESIGN.md "Observable"). Read-only; it
 * drives nothing.
 */
import type { StackView } from './stackView';

export interface CrossviewObservable {
  /** Canvas CSS pixel of a patient-space (LPS mm) point in a viewport, or undefined if none. */
  worldToCanvas(viewportId: string, point: [number, number, number]): [number, number] | undefined;
  /**
   * Modality value (HU for CT: rescale applied) of the decoded image on screen at a patient-space
   * point, or undefined if the point is off the image, the image is colour or none is shown.
   */
  pixelValue(viewportId: string, point: [number, number, number]): number | undefined;
}

const published = new Map<string, StackView>();

declare global {
  interface Window {
    crossview?: CrossviewObservable;
  }
}

export function publishViewport(view: StackView): () => void {
  published.set(view.viewportId, view);
  window.crossview ??= {
    worldToCanvas: (id, point) => published.get(id)?.worldToCanvas(point),
    pixelValue: (id, point) => published.get(id)?.pixelValue(point),
  };
  return () => {
    if (published.get(view.viewportId) === view) published.delete(view.viewportId);
  };
}
