/**
 * One series as a Cornerstone3D streaming volume shown in one or three orthographic viewports
 * (axial, sagittal, coronal) with crosshairs and slab MIP. Slices stream in `streamingOrder`:
 * the one on screen first, then coarse passes over the whole volume, so reformats show the full
 * extent early. Disposing cancels what is still queued and drops the volume from the cache.
 * Decides no layout: the caller gives the elements.
 */
import {
  Enums,
  RenderingEngine,
  StreamingImageVolume,
  cache,
  cornerstoneStreamingImageVolumeLoader,
  eventTarget,
  setVolumesForViewports,
  utilities,
  volumeLoader,
  type Types,
} from '@cornerstonejs/core';
import { CrosshairsTool, Enums as ToolEnums, PanTool, StackScrollTool, ToolGroupManager, WindowLevelTool, ZoomTool, addTool } from '@cornerstonejs/tools';
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { PerformanceMarks } from '../contracts/index';
import { initImaging } from './init';
import type { StackImage } from './seriesImages';
import type { WindowPreset } from './presets';
import { streamingOrder } from './streamingOrder';
import { dropQueuedLoads } from './queuedLoads';

export type MprOrientation = 'axial' | 'sagittal' | 'coronal';

export interface VolumePane {
  viewportId: string;
  element: HTMLDivElement;
  orientation: MprOrientation;
}

export interface VolumeViewEvents {
  onLoadProgress?: (progress: { loaded: number; failed: number; total: number }) => void;
  onFirstImage?: (viewportId: string) => void;
  onWindowChange?: (window: { windowWidth: number; windowCenter: number }) => void;
  onError?: (message: string) => void;
}

export interface VolumeView {
  readonly volumeId: string;
  readonly viewportIds: readonly string[];
  /** Maximum intensity projection over `mm` of tissue; 0 returns to a thin slice. */
  setSlabThickness(mm: number): void;
  applyWindow(preset: Pick<WindowPreset, 'windowWidth' | 'windowCenter'>): void;
  reset(): void;
  /** Canvas CSS pixel of a patient-space point in one of this view's viewports. */
  worldToCanvas(viewportId: string, point: [number, number, number]): [number, number];
  /** Modality value (HU for CT) of the loaded voxel nearest a patient-space point. */
  pixelValue(point: [number, number, number]): number | undefined;
  /**
   * The plane a viewport shows now: {p : p·normal = position} from its camera, and the voxel
   * spacing along the normal (what one slice step is). Undefined for an unknown viewport.
   */
  planeOf(viewportId: string): { normal: [number, number, number]; position: number; spacing: number } | undefined;
  /** Every plane goes through `point`, centred on it (as if the crosshairs were placed there). */
  jumpTo(point: [number, number, number]): void;
  dispose(): void;
}

const VolumeScheme = 'cornerstoneStreamingImageVolume';
const Orientation: Record<MprOrientation, Enums.OrientationAxis> = {
  axial: Enums.OrientationAxis.AXIAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
  coronal: Enums.OrientationAxis.CORONAL,
};

let engine: RenderingEngine | undefined;
let registered = false;
/**
 * One lifecycle per set of viewport ids: a new view waits until the previous one on the same
 * panes is disposed (React StrictMode mounts, unmounts and remounts at once).
 */
const lifecycles = new Map<string, Promise<void>>();

/** Site-qualified: the same series held by two hospitals may differ, so never share a volume. */
export function volumeIdFor(siteId: string, SeriesInstanceUID: string): string {
  return `${VolumeScheme}:${siteId}:${SeriesInstanceUID}`;
}

function toolGroupFor(id: string, viewportIds: readonly string[], renderingEngineId: string) {
  ToolGroupManager.destroyToolGroup(id);
  const group = ToolGroupManager.createToolGroup(id);
  if (!group) throw new Error(`mountVolumeView: could not create tool group ${id}`);
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) group.addTool(tool.toolName);
  for (const viewportId of viewportIds) group.addViewport(viewportId, renderingEngineId);
  // Crosshairs need every viewport of the group, so they join after the viewports.
  group.addTool(CrosshairsTool.toolName);
  // Left click places the crosshairs (every view jumps there); Ctrl+left drag windows;
  // middle pans, right zooms, wheel moves through the slices of that view.
  group.setToolActive(CrosshairsTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
  group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary, modifierKey: ToolEnums.KeyboardBindings.Ctrl }] });
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
  group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
  return group;
}

/**
 * Streams `images` (one series, stack order) into a volume and shows it in `panes`.
 * @example
 * const view = await mountVolumeView(panes, { volumeId: volumeIdFor('site-a', uid), images, seriesInstanceUID: uid }, { onLoadProgress });
 * view.setSlabThickness(10);
 */
export async function mountVolumeView(
  panes: readonly VolumePane[],
  options: { volumeId: string; images: readonly StackImage[]; seriesInstanceUID: string; initialWindow?: { windowWidth: number; windowCenter: number } },
  events: VolumeViewEvents = {},
): Promise<VolumeView> {
  const key = panes.map((pane) => pane.viewportId).join('+');
  const previous = lifecycles.get(key) ?? Promise.resolve();
  let release = () => {};
  const ended = new Promise<void>((resolve) => (release = resolve));
  lifecycles.set(key, previous.then(() => ended));
  await previous;
  try {
    return await mountAfterPrevious(panes, options, events, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function mountAfterPrevious(
  panes: readonly VolumePane[],
  options: { volumeId: string; images: readonly StackImage[]; seriesInstanceUID: string; initialWindow?: { windowWidth: number; windowCenter: number } },
  events: VolumeViewEvents,
  release: () => void,
): Promise<VolumeView> {
  await initImaging();
  if (!registered) {
    volumeLoader.registerVolumeLoader(VolumeScheme, cornerstoneStreamingImageVolumeLoader as unknown as Types.VolumeLoaderFn);
    addTool(CrosshairsTool);
    registered = true;
  }
  const { volumeId, images } = options;
  for (const image of images) wadors.metaDataManager.add(image.imageId, image.metadata as Parameters<typeof wadors.metaDataManager.add>[1]);
  const imageIds = images.map((image) => image.imageId);
  const ours = new Set(imageIds);
  engine ??= new RenderingEngine('crossview-volume');
  const renderingEngine = engine;
  const viewportIds = panes.map((pane) => pane.viewportId);
  renderingEngine.setViewports(
    panes.map((pane) => ({
      viewportId: pane.viewportId,
      type: Enums.ViewportType.ORTHOGRAPHIC,
      element: pane.element,
      defaultOptions: { orientation: Orientation[pane.orientation], background: [0, 0, 0] as Types.Point3 },
    })),
  );
  for (const pane of panes) pane.element.oncontextmenu = (e) => e.preventDefault();
  const viewports = viewportIds.map((id) => renderingEngine.getViewport(id) as Types.IVolumeViewport);

  if (cache.getVolume(volumeId)) cache.removeVolumeLoadObject(volumeId);
  const created = await volumeLoader.createAndCacheVolume(volumeId, { imageIds });
  if (!(created instanceof StreamingImageVolume)) throw new Error(`mountVolumeView: ${volumeId} is not a streaming volume`);
  const volume = created;
  const total = volume.imageIds.length;
  // The axial view opens on the middle of the volume: that slice comes first, then the rest.
  const order = streamingOrder(total, Math.floor(total / 2));
  const requestsInStackOrder = volume.getImageLoadRequests.bind(volume);
  volume.getImageLoadRequests = (priority = 5) => {
    const requests = requestsInStackOrder(priority);
    const byIndex = new Map(requests.map((request) => [request.imageIdIndex, request]));
    // The loader queues these reversed, so hand them over last-first.
    return order.map((index) => byIndex.get(index)).filter((r): r is NonNullable<typeof r> => r !== undefined).reverse();
  };

  let disposed = false;
  let loaded = 0;
  let failed = 0;
  let dataArrived = false;
  const shown = new Set<string>();
  const report = () => {
    if (disposed) return;
    events.onLoadProgress?.({ loaded, failed, total });
    if (loaded === total) performance.mark(PerformanceMarks.seriesComplete(options.seriesInstanceUID));
  };
  const onModified = (event: Event) => {
    if ((event as CustomEvent<{ volumeId?: string }>).detail?.volumeId !== volumeId) return;
    loaded += 1;
    if (!dataArrived) {
      dataArrived = true;
      renderingEngine.renderViewports(viewportIds);
    }
    report();
  };
  const onLoadError = (event: Event) => {
    if (!ours.has(String((event as CustomEvent<{ imageId?: string }>).detail?.imageId))) return;
    failed += 1;
    report();
  };
  eventTarget.addEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, onModified);
  eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
  const elementListeners: [HTMLDivElement, string, EventListener][] = [];
  for (const pane of panes) {
    const onRendered: EventListener = () => {
      if (!dataArrived || shown.has(pane.viewportId)) return;
      shown.add(pane.viewportId);
      performance.mark(PerformanceMarks.firstImage(pane.viewportId));
      events.onFirstImage?.(pane.viewportId);
    };
    const onVoi: EventListener = (event) => {
      const range = (event as CustomEvent<{ range?: { lower: number; upper: number } }>).detail?.range;
      if (!range) return;
      const { windowWidth, windowCenter } = utilities.windowLevel.toWindowLevel(range.lower, range.upper);
      events.onWindowChange?.({ windowWidth: Math.round(windowWidth), windowCenter: Math.round(windowCenter) });
    };
    pane.element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
    pane.element.addEventListener(Enums.Events.VOI_MODIFIED, onVoi);
    elementListeners.push([pane.element, Enums.Events.IMAGE_RENDERED, onRendered], [pane.element, Enums.Events.VOI_MODIFIED, onVoi]);
  }

  const toolGroupId = `volume-tools-${viewportIds.join('+')}`;
  toolGroupFor(toolGroupId, viewportIds, renderingEngine.id);
  report();
  volume.load(() => undefined);
  try {
    await setVolumesForViewports(renderingEngine, [{ volumeId }], viewportIds);
  } catch (error) {
    events.onError?.(`The volume could not be shown: ${error instanceof Error ? error.message : String(error)}`);
  }
  const applyWindow = ({ windowWidth, windowCenter }: { windowWidth: number; windowCenter: number }) => {
    const voiRange = utilities.windowLevel.toLowHighRange(windowWidth, windowCenter);
    for (const viewport of viewports) viewport.setProperties({ voiRange }, volumeId);
    renderingEngine.renderViewports(viewportIds);
  };
  if (options.initialWindow) applyWindow(options.initialWindow);
  renderingEngine.renderViewports(viewportIds);

  return {
    volumeId,
    viewportIds,
    setSlabThickness: (mm) => {
      for (const viewport of viewports) {
        if (mm > 0) {
          viewport.setBlendMode(Enums.BlendModes.MAXIMUM_INTENSITY_BLEND);
          viewport.setSlabThickness(mm);
        } else {
          viewport.setBlendMode(Enums.BlendModes.COMPOSITE);
          viewport.resetSlabThickness();
        }
      }
      renderingEngine.renderViewports(viewportIds);
    },
    applyWindow,
    reset: () => {
      for (const viewport of viewports) viewport.resetCamera();
      if (options.initialWindow) applyWindow(options.initialWindow);
      renderingEngine.renderViewports(viewportIds);
    },
    worldToCanvas: (viewportId, point) => {
      const viewport = viewports[viewportIds.indexOf(viewportId)];
      if (!viewport) throw new Error(`worldToCanvas: ${viewportId} is not a pane of ${volumeId}`);
      const [x, y] = viewport.worldToCanvas(point);
      return [x, y];
    },
    pixelValue: (point) => {
      const index = utilities.transformWorldToIndex(volume.imageData, point).map(Math.round) as [number, number, number];
      if (!index.every((v, axis) => v >= 0 && v < (volume.dimensions[axis] ?? 0))) return undefined;
      const value = volume.voxelManager?.getAtIJK(index[0], index[1], index[2]);
      return typeof value === 'number' ? value : undefined;
    },
    planeOf: (viewportId) => {
      const viewport = viewports[viewportIds.indexOf(viewportId)];
      if (!viewport) return undefined;
      const { viewPlaneNormal, focalPoint } = viewport.getCamera();
      if (!viewPlaneNormal || !focalPoint) return undefined;
      const normal: [number, number, number] = [viewPlaneNormal[0], viewPlaneNormal[1], viewPlaneNormal[2]];
      // The volume axis nearest the normal: its spacing is the distance between planes.
      const axes = [0, 1, 2].map((k) => Math.abs(volume.direction[3 * k]! * normal[0] + volume.direction[3 * k + 1]! * normal[1] + volume.direction[3 * k + 2]! * normal[2]));
      const axis = axes.indexOf(Math.max(...axes));
      return { normal, position: normal[0] * focalPoint[0] + normal[1] * focalPoint[1] + normal[2] * focalPoint[2], spacing: volume.spacing[axis] ?? 1 };
    },
    jumpTo: (point) => {
      for (const viewport of viewports) {
        const { focalPoint, position } = viewport.getCamera();
        if (!focalPoint || !position) continue;
        const shift = [0, 1, 2].map((k) => point[k]! - focalPoint[k]!);
        viewport.setCamera({ focalPoint: [...point] as Types.Point3, position: [position[0] + shift[0]!, position[1] + shift[1]!, position[2] + shift[2]!] as Types.Point3 });
      }
      renderingEngine.renderViewports(viewportIds);
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      volume.cancelLoading();
      dropQueuedLoads((details) => details.volumeId === volumeId || ours.has(String(details.imageId)));
      eventTarget.removeEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, onModified);
      eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
      for (const [element, name, listener] of elementListeners) element.removeEventListener(name, listener);
      ToolGroupManager.destroyToolGroup(toolGroupId);
      for (const viewportId of viewportIds) renderingEngine.disableElement(viewportId);
      // What is not on screen goes: the volume's slices leave the budget for the next series.
      if (cache.getVolume(volumeId)) cache.removeVolumeLoadObject(volumeId);
      release();
    },
  };
}
