/**
 * The tools of one stack viewport, PACS-conventional: the left button does the chosen tool
 * (window/level unless the reader picks another), middle pans, right zooms, the wheel scrolls;
 * on touch one finger scrolls and a pinch zooms while window/level is the chosen tool. View actions
 * (invert, rotate, flip, cine) and what the toolbar shows (active tool, cine, orientation markers,
 * the scale bar's pixel size)
 * live here so the UI only calls and listens.
 *
 * Invariant: exactly one tool holds the primary button; measurement tools that do not hold it stay
 * passive, so what was drawn stays visible and editable.
 */
import { Enums as CoreEnums, cache, utilities as coreUtilities, type Types } from '@cornerstonejs/core';
import {
  AngleTool,
  EllipticalROITool,
  Enums as ToolEnums,
  LengthTool,
  PanTool,
  ProbeTool,
  RectangleROITool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  addTool,
  annotation,
  utilities as toolUtilities,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import { orientationMarkers, type OrientationMarkers, type Vec3 } from './orientation';

export type PrimaryToolId = 'windowLevel' | 'pan' | 'zoom' | 'scroll' | 'length' | 'angle' | 'ellipse' | 'rectangle' | 'probe';

export interface ToolDescriptor<Id extends string = PrimaryToolId> {
  id: Id;
  label: string;
  /** Keyboard shortcut (single key, case-insensitive). */
  key: string;
  title: string;
}

/** The tools the left button can hold, in toolbar order. */
export const PrimaryTools: readonly ToolDescriptor[] = [
  { id: 'windowLevel', label: 'W/L', key: 'W', title: 'Window / level (drag)' },
  { id: 'pan', label: 'Pan', key: 'P', title: 'Pan' },
  { id: 'zoom', label: 'Zoom', key: 'Z', title: 'Zoom' },
  { id: 'scroll', label: 'Scroll', key: 'S', title: 'Scroll through slices (drag)' },
  { id: 'length', label: 'Length', key: 'L', title: 'Length (mm)' },
  { id: 'angle', label: 'Angle', key: 'A', title: 'Angle (degrees)' },
  { id: 'ellipse', label: 'Ellipse', key: 'E', title: 'Elliptical ROI: mean, SD, min, max, area' },
  { id: 'rectangle', label: 'Rect', key: 'B', title: 'Rectangle (box) ROI: mean, SD, min, max, area' },
  { id: 'probe', label: 'Probe', key: 'D', title: 'Probe: value (HU) at a point' },
];

export type ViewActionId = 'invert' | 'rotate' | 'flipH' | 'flipV' | 'cine' | 'reset';

export const ViewActions: readonly ToolDescriptor<ViewActionId>[] = [
  { id: 'invert', label: 'Invert', key: 'I', title: 'Invert grey scale' },
  { id: 'rotate', label: 'Rot 90°', key: 'T', title: 'Rotate 90° clockwise' },
  { id: 'flipH', label: 'Flip H', key: 'H', title: 'Flip horizontally' },
  { id: 'flipV', label: 'Flip V', key: 'V', title: 'Flip vertically' },
  { id: 'cine', label: 'Cine', key: 'C', title: 'Play / pause cine' },
  { id: 'reset', label: 'Reset', key: 'R', title: 'Reset the view' },
];

const toolNames: Record<PrimaryToolId, string> = {
  windowLevel: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
  scroll: StackScrollTool.toolName,
  length: LengthTool.toolName,
  angle: AngleTool.toolName,
  ellipse: EllipticalROITool.toolName,
  rectangle: RectangleROITool.toolName,
  probe: ProbeTool.toolName,
};

/** Tools whose annotations are measurements (saved as SR, read back). */
export const MeasurementToolNames: readonly string[] = [LengthTool, AngleTool, EllipticalROITool, RectangleROITool, ProbeTool].map((tool) => tool.toolName);

export function toolForKey(key: string): PrimaryToolId | undefined {
  return PrimaryTools.find((tool) => tool.key === key.toUpperCase())?.id;
}
export function viewActionForKey(key: string): ViewActionId | undefined {
  return ViewActions.find((action) => action.key === key.toUpperCase())?.id;
}

/**
 * Cornerstone 5.14's probe reads a stack image's voxels with the stack index as depth, so on a
 * stack it finds no value or, on some slices, another slice's value; this one always takes the
 * value from the image on screen (same tool name, so saved probes stay `Probe` in the SR).
 */
class StackProbeTool extends ProbeTool {
  static override toolName = ProbeTool.toolName;
  override _calculateCachedStats(annotation: ToolTypes.Annotation, renderingEngine: unknown, enabledElement: { viewport: Types.IViewport }, changeType?: ToolEnums.ChangeTypes) {
    const result: unknown = super._calculateCachedStats(annotation, renderingEngine, enabledElement, changeType);
    const point = (annotation.data.handles?.points as Types.Point3[] | undefined)?.[0];
    const stats = annotation.data.cachedStats as Record<string, Record<string, unknown>> | undefined;
    if (!point || !stats || !('getCurrentImageId' in enabledElement.viewport)) return result;
    const value = modalityValueAt(enabledElement.viewport as Types.IStackViewport, point);
    if (value === undefined) return result;
    for (const [targetId, entry] of Object.entries(stats)) stats[targetId] = { ...entry, value };
    return result;
  }
}

function modalityValueAt(viewport: Types.IStackViewport, point: Types.Point3): number | undefined {
  const imageData = viewport.getImageData();
  const image = cache.getImage(viewport.getCurrentImageId());
  if (!imageData || !image || image.color) return undefined;
  const [i, j] = coreUtilities.transformWorldToIndex(imageData.imageData, point).map(Math.round) as [number, number, number];
  if (i < 0 || j < 0 || i >= image.columns || j >= image.rows) return undefined;
  const stored = image.getPixelData()[j * image.columns + i];
  if (stored === undefined) return undefined;
  return image.preScale?.scaled ? stored : stored * (image.slope ?? 1) + (image.intercept ?? 0);
}

let registered = false;
function registerTools() {
  if (registered) return;
  registered = true;
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, LengthTool, AngleTool, EllipticalROITool, RectangleROITool, StackProbeTool]) addTool(tool);
}

export interface CineState {
  playing: boolean;
  framesPerSecond: number;
}

export interface StackTools {
  readonly toolGroupId: string;
  activeTool(): PrimaryToolId;
  setActiveTool(id: PrimaryToolId): void;
  invert(): void;
  rotate90(): void;
  flipHorizontal(): void;
  flipVertical(): void;
  cine(): CineState;
  setCine(state: Partial<CineState>): void;
  /** Markers for the screen edges as the view is now (rotation and flips included). */
  orientation(): OrientationMarkers | undefined;
  /** Millimetres one screen (CSS) pixel spans at the current zoom, for the scale bar. */
  mmPerScreenPixel(): number | undefined;
  /** Measurement annotations drawn on this viewport's images. */
  measurements(): ToolTypes.Annotation[];
  /** Puts annotations (e.g. read back from an SR) on this viewport and redraws. */
  addMeasurements(annotations: readonly ToolTypes.Annotation[]): void;
  /** Called when the active tool, cine or camera changes; returns its unsubscribe. */
  subscribe(listener: () => void): () => void;
  dispose(): void;
}

/** Patient-space vectors of one screen pixel to the right and one down. */
function screenAxes(viewport: Types.IStackViewport): { screenRight: Vec3; screenDown: Vec3 } {
  const origin = viewport.canvasToWorld([0, 0]);
  const right = viewport.canvasToWorld([1, 0]);
  const down = viewport.canvasToWorld([0, 1]);
  const diff = (a: Types.Point3, b: Types.Point3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
  return { screenRight: diff(right, origin), screenDown: diff(down, origin) };
}

function flipChange(current: Types.ViewPresentation, screenAxis: 'horizontal' | 'vertical'): Partial<Types.ViewPresentation> {
  const quarterTurned = Math.round((current.rotation ?? 0) / 90) % 2 !== 0;
  const imageAxis = quarterTurned ? (screenAxis === 'horizontal' ? 'vertical' : 'horizontal') : screenAxis;
  return imageAxis === 'horizontal' ? { flipHorizontal: !current.flipHorizontal } : { flipVertical: !current.flipVertical };
}

/**
 * Creates the tool group for one stack viewport (replacing any left over with its id).
 * @example const tools = createStackTools(viewport); tools.setActiveTool('length');
 */
export function createStackTools(viewport: Types.IStackViewport): StackTools {
  registerTools();
  const toolGroupId = `stack-tools-${viewport.id}`;
  ToolGroupManager.destroyToolGroup(toolGroupId);
  const group = ToolGroupManager.createToolGroup(toolGroupId);
  if (!group) throw new Error(`createStackTools: could not create tool group ${toolGroupId}`);
  for (const id of Object.keys(toolNames) as PrimaryToolId[]) group.addTool(toolNames[id]);
  group.addViewport(viewport.id, viewport.getRenderingEngine().id);

  const { MouseBindings } = ToolEnums;
  const fixedBindings: Partial<Record<PrimaryToolId, ToolTypes.IToolBinding[]>> = {
    pan: [{ mouseButton: MouseBindings.Auxiliary }],
    zoom: [{ mouseButton: MouseBindings.Secondary }, { numTouchPoints: 2 } as ToolTypes.IToolBinding],
    scroll: [{ mouseButton: MouseBindings.Wheel }],
  };
  let active: PrimaryToolId = 'windowLevel';
  let cine: CineState = { playing: false, framesPerSecond: 15 };
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());

  // Cornerstone picks the touch tool by the order tools first got a mode: scroll must come before
  // window/level, whose primary-button binding would otherwise take one-finger drags.
  const touchOrder: readonly PrimaryToolId[] = ['scroll', 'zoom', 'windowLevel', 'pan', 'length', 'angle', 'ellipse', 'rectangle', 'probe'];
  function applyBindings() {
    for (const id of touchOrder) {
      const bindings = [...(fixedBindings[id] ?? [])];
      if (id === active) bindings.push({ mouseButton: MouseBindings.Primary });
      // One-finger touch scrolls unless the reader chose a tool to draw or drag with.
      if (id === 'scroll' && active === 'windowLevel') bindings.push({ numTouchPoints: 1 } as ToolTypes.IToolBinding);
      const name = toolNames[id];
      if (bindings.length > 0) {
        group!.setToolPassive(name, { removeAllBindings: true });
        group!.setToolActive(name, { bindings });
      } else if (MeasurementToolNames.includes(name)) group!.setToolPassive(name, { removeAllBindings: true });
      else group!.setToolDisabled(name);
    }
  }
  applyBindings();

  const element = viewport.element;
  const onCamera = () => notify();
  element.addEventListener(CoreEnums.Events.CAMERA_MODIFIED, onCamera);
  element.addEventListener(CoreEnums.Events.STACK_NEW_IMAGE, onCamera);

  const present = (change: Partial<Types.ViewPresentation>) => {
    viewport.setViewPresentation({ ...viewport.getViewPresentation(), ...change });
    viewport.render();
    notify();
  };

  function stopCine() {
    toolUtilities.cine.stopClip(element);
  }

  return {
    toolGroupId,
    activeTool: () => active,
    setActiveTool(id) {
      if (id === active) return;
      active = id;
      applyBindings();
      notify();
    },
    invert() {
      viewport.setProperties({ invert: !viewport.getProperties().invert });
      viewport.render();
    },
    rotate90: () => present({ rotation: ((viewport.getViewPresentation().rotation ?? 0) + 90) % 360 }),
    // Flips are about the screen's axes as the reader sees them: with the image turned a quarter,
    // Cornerstone's image-space flips swap roles.
    flipHorizontal: () => present(flipChange(viewport.getViewPresentation(), 'horizontal')),
    flipVertical: () => present(flipChange(viewport.getViewPresentation(), 'vertical')),
    cine: () => cine,
    setCine(change) {
      cine = { ...cine, ...change, framesPerSecond: Math.max(1, Math.min(60, change.framesPerSecond ?? cine.framesPerSecond)) };
      stopCine();
      if (cine.playing) toolUtilities.cine.playClip(element, { framesPerSecond: cine.framesPerSecond, loop: true });
      notify();
    },
    orientation() {
      const { screenRight, screenDown } = screenAxes(viewport);
      if (![...screenRight, ...screenDown].every(Number.isFinite)) return undefined;
      return orientationMarkers(screenRight, screenDown);
    },
    mmPerScreenPixel() {
      // Only meaningful once an image with its geometry is on screen.
      if (!viewport.getCurrentImageId() || !viewport.getImageData()) return undefined;
      const { screenRight } = screenAxes(viewport);
      const mm = Math.hypot(...screenRight);
      return Number.isFinite(mm) && mm > 0 ? mm : undefined;
    },
    measurements() {
      return MeasurementToolNames.flatMap((name) => annotation.state.getAnnotations(name, element) ?? []);
    },
    addMeasurements(annotations) {
      for (const item of annotations) annotation.state.addAnnotation(item, element);
      viewport.render();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      stopCine();
      listeners.clear();
      element.removeEventListener(CoreEnums.Events.CAMERA_MODIFIED, onCamera);
      element.removeEventListener(CoreEnums.Events.STACK_NEW_IMAGE, onCamera);
      ToolGroupManager.destroyToolGroup(toolGroupId);
    },
  };
}
