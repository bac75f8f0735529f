/**
 * One stack viewport on one DOM element: shows a series, reports what it shows (slice, window,
 * load progress) through callbacks, and marks the Observable performance points. It decides no
 * layout and holds no UI state of its own beyond Cornerstone's.
 */
import { Enums, RenderingEngine, cache, eventTarget, imageLoadPoolManager, imageLoader, utilities, type Types } from '@cornerstonejs/core';
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { PerformanceMarks } from '../contracts/index';
import { naturalize, numbersOf, textOf } from '../sites/index';
import { initImaging } from './init';
import { describeLoadError } from './loadErrors';
import { dropQueuedLoads } from './queuedLoads';
import { sliceNormalOf, type Vec3 } from './scrollLink';
import type { StackImage } from './seriesImages';
import type { WindowPreset } from './presets';
import { createStackTools, type StackTools } from './tools';

export interface StackViewEvents {
  onImageChange?: (state: { index: number; total: number; position?: number }) => void;
  onWindowChange?: (window: { windowWidth: number; windowCenter: number }) => void;
  onLoadProgress?: (progress: { loaded: number; failed: number; total: number }) => void;
  onFirstImage?: () => void;
  onError?: (message: string) => void;
  /** A good image is on screen again after `onError`: the message no longer applies. */
  onErrorCleared?: () => void;
  /** Whether the image on screen is a progressive preview (not yet full quality). */
  onImageQuality?: (quality: { preview: boolean }) => void;
}

/**
 * Who changed what a view shows: the reader (keys, wheel, tools, toolbar) or the program (the first
 * image, a synchroniser following another view). Synchronisers pass on only `user` changes, so a
 * change they made never comes back to them.
 */
export type ChangeOrigin = 'user' | 'program';

/** Camera relative to the view's reset camera: zoom factor and pan in canvas pixels (Cornerstone getZoom/getPan). */
export interface ZoomPan {
  zoom: number;
  pan: readonly [number, number];
}

export interface DisplayWindow {
  windowWidth: number;
  windowCenter: number;
}

/** What `observe` reports once the stack is on screen. */
export type StackViewChange =
  | { kind: 'image'; index: number; origin: ChangeOrigin }
  | ({ kind: 'window'; origin: ChangeOrigin } & DisplayWindow)
  | { kind: 'camera'; zoomPan: ZoomPan; origin: ChangeOrigin };

export interface StackView {
  readonly viewportId: string;
  readonly imageCount: number;
  /** Tool bindings, view actions and measurements of this viewport. */
  readonly tools: StackTools;
  /** The series' FrameOfReferenceUID: positions compare directly only within one. */
  readonly frameOfReferenceUID: string | undefined;
  /** Unit normal of the slices (row × column cosines), if the series has geometry. */
  readonly sliceNormal: Vec3 | undefined;
  /** Distance of slice `index` along `sliceNormal`, mm (as `StackImage.position`). */
  positionOf(index: number): number | undefined;
  currentIndex(): number;
  /** `origin` defaults to `user`; a synchroniser passes `program`. */
  setImageIndex(index: number, origin?: ChangeOrigin): void;
  scroll(delta: number): void;
  applyWindow(preset: Pick<WindowPreset, 'windowWidth' | 'windowCenter'>, origin?: ChangeOrigin): void;
  /** The window on screen, once an image is. */
  displayWindow(): DisplayWindow | undefined;
  zoomPan(): ZoomPan;
  setZoomPan(zoomPan: ZoomPan, origin?: ChangeOrigin): void;
  /** Slice, window and camera changes after the stack is on screen; returns unsubscribe. */
  observe(listener: (change: StackViewChange) => void): () => void;
  reset(): void;
  /** Canvas CSS pixel of a patient-space point on the current slice's plane. */
  worldToCanvas(point: [number, number, number]): [number, number];
  /** Modality value (e.g. HU) of the displayed image at a patient-space point, if on the image. */
  pixelValue(point: [number, number, number]): number | undefined;
  dispose(): void;
}

let engine: RenderingEngine | undefined;

/**
 * One lifecycle per viewport id at a time: a new view on an element waits until the previous
 * view with that id is disposed (React StrictMode mounts, unmounts and remounts at once).
 */
const lifecycles = new Map<string, Promise<void>>();
function renderingEngine(): RenderingEngine {
  engine ??= new RenderingEngine('crossview');
  return engine;
}

/** Loads the slices nearest the one on screen first, then outward, so scrolling meets loaded images. */
function outwardOrder(total: number, start: number): number[] {
  const order: number[] = [];
  for (let d = 1; order.length < total - 1; d++) {
    if (start + d < total) order.push(start + d);
    if (start - d >= 0) order.push(start - d);
  }
  return order;
}

export async function mountStackView(
  element: HTMLDivElement,
  options: {
    viewportId: string;
    images: readonly StackImage[];
    seriesInstanceUID: string;
    initialIndex?: number;
    /** Pool priority of loading the rest of the series (lower goes first): a prior waits behind the current study. */
    backgroundPriority?: number;
  },
  events: StackViewEvents = {},
): Promise<StackView> {
  const { viewportId, images } = options;
  const previous = lifecycles.get(viewportId) ?? Promise.resolve();
  let release = () => {};
  const ended = new Promise<void>((resolve) => (release = resolve));
  lifecycles.set(viewportId, previous.then(() => ended));
  await previous;
  try {
    await initImaging();
  } catch (error) {
    release();
    throw error;
  }
  // After init: starting the image loader clears its metadata store.
  for (const image of images) wadors.metaDataManager.add(image.imageId, image.metadata as Parameters<typeof wadors.metaDataManager.add>[1]);
  const engine = renderingEngine();
  engine.enableElement({ viewportId, type: Enums.ViewportType.STACK, element, defaultOptions: { background: [0, 0, 0] } });
  const viewport = engine.getViewport(viewportId) as Types.IStackViewport;
  const tools = createStackTools(viewport);
  element.oncontextmenu = (e) => e.preventDefault();

  let disposed = false;
  let firstImageShown = false;
  const geometry = stackGeometryOf(images);
  // Changes are observed only once setStack has put the first slice up: what happens before is
  // the program's (initial slice, the image's own window, the first camera).
  let stackSet = false;
  const observers = new Set<(change: StackViewChange) => void>();
  const emit = (change: StackViewChange) => {
    if (!stackSet || disposed) return;
    for (const observer of [...observers]) observer(change);
  };
  // The index a `program` request asked for: its new image is reported as the program's. Any user
  // request since then makes the next image the user's.
  let programIndex: number | undefined;
  // Set while this view changes its own window or camera for the program: the events Cornerstone
  // fires synchronously inside are the program's.
  let programDepth = 0;
  const asProgram = (change: () => void) => {
    programDepth += 1;
    try {
      change();
    } finally {
      programDepth -= 1;
    }
  };
  const originNow = (): ChangeOrigin => (programDepth > 0 ? 'program' : 'user');
  let lastWindow: DisplayWindow | undefined;
  let lastZoomPan: ZoomPan | undefined;
  const listeners: [string, EventListener][] = [];
  const listen = (name: string, fn: (event: CustomEvent) => void) => {
    const listener = fn as EventListener;
    element.addEventListener(name, listener);
    listeners.push([name, listener]);
  };

  const reportImage = () => {
    const index = viewport.getCurrentImageIdIndex();
    const position = images[index]?.position;
    events.onImageChange?.({ index, total: images.length, ...(position !== undefined ? { position } : {}) });
  };
  // Set while the viewport shows an error; the next image displayed at the current index clears it
  // (a late error for a slice the reader has scrolled past is ignored below).
  let errorShown = false;
  const showError = (message: string) => {
    errorShown = true;
    events.onError?.(message);
  };
  listen(Enums.Events.STACK_NEW_IMAGE, (event) => {
    reportImage();
    const shown = (event.detail as { imageIdIndex?: number }).imageIdIndex;
    if (shown !== undefined) {
      const origin: ChangeOrigin = programIndex === shown ? 'program' : 'user';
      programIndex = undefined;
      emit({ kind: 'image', index: shown, origin });
    }
    if (errorShown && shown === viewport.getCurrentImageIdIndex()) {
      errorShown = false;
      events.onErrorCleared?.();
    }
  });
  // A progressive (HTJ2K) image shows first from part of its bytes: the reader must know it is not
  // yet the diagnostic image.
  let previewShown = false;
  listen(Enums.Events.IMAGE_RENDERED, () => {
    const shown = 'getCornerstoneImage' in viewport ? (viewport.getCornerstoneImage as () => Types.IImage | undefined)() : undefined;
    const status = shown?.imageQualityStatus;
    const preview = status !== undefined && status < Enums.ImageQualityStatus.FULL_RESOLUTION;
    if (preview === previewShown) return;
    previewShown = preview;
    events.onImageQuality?.({ preview });
  });
  listen(Enums.Events.VOI_MODIFIED, (event) => {
    const range = (event.detail as { range?: { lower: number; upper: number } }).range;
    if (!range) return;
    const { windowWidth, windowCenter } = utilities.windowLevel.toWindowLevel(range.lower, range.upper);
    events.onWindowChange?.({ windowWidth: Math.round(windowWidth), windowCenter: Math.round(windowCenter) });
    // Reported only when it changed: a new slice may set the same window again.
    if (lastWindow && Math.abs(lastWindow.windowWidth - windowWidth) < 0.5 && Math.abs(lastWindow.windowCenter - windowCenter) < 0.5) return;
    lastWindow = { windowWidth, windowCenter };
    emit({ kind: 'window', windowWidth, windowCenter, origin: originNow() });
  });
  listen(Enums.Events.CAMERA_MODIFIED, () => {
    if (!stackSet) return;
    const now = zoomPanOf(viewport);
    if (lastZoomPan && sameZoomPan(lastZoomPan, now)) return;
    lastZoomPan = now;
    emit({ kind: 'camera', zoomPan: now, origin: originNow() });
  });
  // The wheel (stack scroll tool) moves the slice without going through this view's methods.
  listen(Enums.Events.STACK_VIEWPORT_SCROLL, () => {
    programIndex = undefined;
  });
  // Failures of the image on screen (the first one included) arrive on the global event target,
  // not as a setStack rejection: the viewport says why instead of staying blank.
  const ours = new Set(images.map((image) => image.imageId));
  const onLoadError = (event: Event) => {
    const detail = (event as CustomEvent<{ imageId?: string; imageIdIndex?: number; error?: unknown }>).detail;
    if (disposed || !detail.imageId || !ours.has(detail.imageId)) return;
    if (firstImageShown && detail.imageIdIndex !== viewport.getCurrentImageIdIndex()) return;
    showError(describeLoadError(detail.error));
  };
  eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
  listen(Enums.Events.IMAGE_RENDERED, () => {
    // A render with no image (its load failed) is not a first image.
    if (firstImageShown || !viewport.getImageData()) return;
    firstImageShown = true;
    performance.mark(PerformanceMarks.firstImage(viewportId));
    events.onFirstImage?.();
    const voi = viewport.getProperties().voiRange;
    if (voi) {
      const { windowWidth, windowCenter } = utilities.windowLevel.toWindowLevel(voi.lower, voi.upper);
      events.onWindowChange?.({ windowWidth: Math.round(windowWidth), windowCenter: Math.round(windowCenter) });
    }
    reportImage();
    prefetchRest();
  });

  const background = options.backgroundPriority ?? 5;
  function prefetchRest() {
    let loaded = 1;
    let failed = 0;
    const total = images.length;
    const report = () => {
      if (disposed) return;
      events.onLoadProgress?.({ loaded, failed, total });
      if (loaded === total) performance.mark(PerformanceMarks.seriesComplete(options.seriesInstanceUID));
    };
    report();
    // Queued in the image load pool, not started at once: dispose drops what has not started,
    // and what has started finishes into the cache (see dropQueuedLoads).
    for (const index of outwardOrder(total, viewport.getCurrentImageIdIndex())) {
      const imageId = images[index]!.imageId;
      const load = () =>
        imageLoader.loadAndCacheImage(imageId, { priority: background, requestType: Enums.RequestType.Prefetch }).then(
          () => {
            loaded += 1;
            report();
          },
          () => {
            failed += 1;
            report();
          },
        );
      imageLoadPoolManager.addRequest(load, Enums.RequestType.Prefetch, { imageId }, background);
    }
  }

  // A cell changes size when another is maximised or the layout changes: the image refits the new
  // size, keeping the reader's zoom, pan, rotation and flips (view presentation is size-independent).
  const resizing =
    typeof ResizeObserver === 'undefined'
      ? undefined
      : new ResizeObserver(() => {
          if (disposed) return;
          const presentation = viewport.getViewPresentation();
          asProgram(() => {
            engine.resize(true, true);
            viewport.resetCamera();
            viewport.setViewPresentation(presentation);
          });
          viewport.render();
        });
  resizing?.observe(element);

  try {
    await viewport.setStack(images.map((image) => image.imageId), options.initialIndex ?? 0);
  } catch (error) {
    showError(describeLoadError(error));
  }
  viewport.render();
  stackSet = true;
  lastZoomPan = zoomPanOf(viewport);
  const voi = viewport.getProperties().voiRange;
  if (voi) lastWindow = utilities.windowLevel.toWindowLevel(voi.lower, voi.upper);

  return {
    viewportId,
    imageCount: images.length,
    tools,
    frameOfReferenceUID: geometry.frameOfReferenceUID,
    sliceNormal: geometry.sliceNormal,
    positionOf: (index) => images[index]?.position,
    currentIndex: () => viewport.getCurrentImageIdIndex(),
    setImageIndex: (index, origin = 'user') => {
      const target = Math.max(0, Math.min(images.length - 1, index));
      // Cornerstone shows no new image for the slice already asked for: nothing to attribute.
      programIndex = origin === 'program' && target !== viewport.getCurrentImageIdIndex() ? target : undefined;
      void viewport.setImageIdIndex(target);
    },
    scroll: (delta) => {
      programIndex = undefined;
      utilities.scroll(viewport, { delta });
    },
    applyWindow: ({ windowWidth, windowCenter }, origin = 'user') => {
      const apply = () => viewport.setProperties({ voiRange: utilities.windowLevel.toLowHighRange(windowWidth, windowCenter) });
      if (origin === 'program') asProgram(apply);
      else apply();
      viewport.render();
    },
    displayWindow: () => {
      const range = viewport.getProperties().voiRange;
      return range ? utilities.windowLevel.toWindowLevel(range.lower, range.upper) : undefined;
    },
    zoomPan: () => zoomPanOf(viewport),
    setZoomPan: (zoomPan, origin = 'user') => {
      const apply = () => {
        viewport.setZoom(zoomPan.zoom);
        viewport.setPan([zoomPan.pan[0], zoomPan.pan[1]]);
      };
      if (origin === 'program') asProgram(apply);
      else apply();
      viewport.render();
    },
    observe: (listener) => {
      observers.add(listener);
      return () => observers.delete(listener);
    },
    reset: () => {
      viewport.resetCamera();
      viewport.resetProperties();
      viewport.render();
    },
    worldToCanvas: (point) => {
      const [x, y] = viewport.worldToCanvas(point);
      return [x, y];
    },
    pixelValue: (point) => modalityValueAt(viewport, point),
    dispose: () => {
      disposed = true;
      observers.clear();
      eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
      // Queued loads for a series no longer on screen would hold connections the next one needs.
      dropQueuedLoads((details) => ours.has(String(details.imageId)));
      for (const [name, listener] of listeners) element.removeEventListener(name, listener);
      resizing?.disconnect();
      tools.dispose();
      engine.disableElement(viewportId);
      release();
    },
  };
}

/** Reads the decoded image's stored value and applies the modality rescale unless already applied. */
function modalityValueAt(viewport: Types.IStackViewport, point: [number, number, number]): number | undefined {
  const imageData = viewport.getImageData();
  const image = cache.getImage(viewport.getCurrentImageId());
  if (!imageData || !image || image.color) return undefined;
  const [i, j] = utilities.transformWorldToIndex(imageData.imageData, point);
  if (i === undefined || j === undefined || i < 0 || j < 0 || i >= image.columns || j >= image.rows) return undefined;
  const stored = image.getPixelData()[j * image.columns + i];
  if (stored === undefined) return undefined;
  return image.preScale?.scaled ? stored : stored * (image.slope ?? 1) + (image.intercept ?? 0);
}

/** Frame of reference and slice normal of a stack, from its first image's metadata. */
function stackGeometryOf(images: readonly StackImage[]): { frameOfReferenceUID: string | undefined; sliceNormal: Vec3 | undefined } {
  const first = images[0];
  if (!first) return { frameOfReferenceUID: undefined, sliceNormal: undefined };
  const record = naturalize(first.metadata);
  return { frameOfReferenceUID: textOf(record, 'FrameOfReferenceUID') || undefined, sliceNormal: sliceNormalOf(numbersOf(record, 'ImageOrientationPatient')) };
}

/** Zoom factor and pan (canvas pixels) relative to the reset camera, as Cornerstone measures them. */
function zoomPanOf(viewport: Types.IStackViewport): ZoomPan {
  const [x, y] = viewport.getPan();
  return { zoom: viewport.getZoom(), pan: [x, y] };
}

function sameZoomPan(a: ZoomPan, b: ZoomPan): boolean {
  return Math.abs(a.zoom - b.zoom) < 1e-3 && Math.abs(a.pan[0] - b.pan[0]) < 0.5 && Math.abs(a.pan[1] - b.pan[1]) < 0.5;
}
