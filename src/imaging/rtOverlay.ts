/**
 * RT overlay on a view: the structures' contours on the plane on screen (file colours,
 * per-structure visibility), isodose lines at chosen levels and an optional dose colour wash with
 * a legend, drawn on a canvas layered over the Cornerstone element and redrawn whenever the view
 * renders (slice, camera, size, crosshairs). Everything is placed with the view's own
 * `worldToCanvas`, so it follows zoom, pan and flips exactly as the image does.
 *
 * The view is a surface: a stack cell (`mountRtOverlay`) or one plane of an MPR volume
 * (`volumeSurface`). On a plane parallel to the contours the nearest contour slice is drawn; on
 * one across them (sagittal, coronal, oblique) the outline where the plane cuts the contours
 * (`planeContours.ts`). Isodoses are computed on whatever plane is shown.
 *
 * Invariants: nothing is drawn on a view of another frame of reference (the overlay says so in
 * `problem`); the canvas never takes the pointer (tools underneath keep working).
 */
import { Enums } from '@cornerstonejs/core';
import { DefaultIsodoseLevels, isodoseLines, levelInGy, planeRasterThroughDose, rasterPoint, sampleDoseOnPlane, washColor, type IsodoseLevel, type PlaneRaster } from './isodose';
import { outlineOnPlane } from './planeContours';
import { dot, type Vec3 } from './rtDataset';
import { doseAt, type DoseGrid } from './rtDose';
import { contoursOnPlane, type StructureSet } from './rtStructure';
import { canvasToPlanePoint, nearestSliceIndex } from './rtViewGeometry';
import type { StackView } from './stackView';
import type { VolumeView } from './volumeView';

/** What the overlay needs of a stack view. */
export type RtOverlayView = Pick<
  StackView,
  'observe' | 'worldToCanvas' | 'positionOf' | 'sliceNormal' | 'frameOfReferenceUID' | 'currentIndex' | 'setImageIndex' | 'zoomPan' | 'setZoomPan' | 'imageCount'
>;

/** The plane on screen: {p : p·normal = position}; contours within `halfSpacing` of it count as on it. */
export interface RtPlane {
  normal: Vec3;
  position: number;
  halfSpacing: number;
}

/** A view the overlay draws on: its plane now, and where patient points fall on its canvas. */
export interface RtOverlaySurface {
  readonly frameOfReferenceUID: string | undefined;
  worldToCanvas(point: Vec3): [number, number];
  plane(): RtPlane | undefined;
  /** Changes that do not render the element (if any) call `redraw`; returns the unsubscribe. */
  observe?(redraw: () => void): () => void;
  /** Shows the plane through `centre` with it in the middle; false when it cannot. */
  jumpTo(centre: Vec3): boolean;
}

export interface RtOverlayData {
  structureSet?: StructureSet;
  dose?: DoseGrid;
  /** Gy that "100 %" means; without an RT plan it defaults to the grid maximum. */
  prescriptionGy?: number;
}

export interface RtOverlayOptions {
  isodoseLevels?: readonly IsodoseLevel[];
  wash?: boolean;
  /** ROINumbers hidden at first. */
  hidden?: readonly number[];
}

export interface RtOverlay {
  /** Gy of 100 %, or undefined without a dose. */
  readonly prescriptionGy: number | undefined;
  /** The dose grid's DoseUnits (GY, or RELATIVE when `doseAt` gives no Gy); undefined without a dose. */
  readonly doseUnits: string | undefined;
  /** Why nothing is drawn (another frame of reference), or undefined. */
  readonly problem: string | undefined;
  setVisible(ROINumber: number, visible: boolean): void;
  isVisible(ROINumber: number): boolean;
  setIsodoseLevels(levels: readonly IsodoseLevel[]): void;
  /** The levels drawn now. */
  isodoseLevels(): readonly IsodoseLevel[];
  setWash(on: boolean): void;
  /** Dose (Gy) at a patient point; undefined without a dose or outside its grid. */
  doseAt(point: Vec3): number | undefined;
  /** The patient point under a canvas CSS pixel, on the slice on screen. */
  canvasToPatient(x: number, y: number): Vec3 | undefined;
  /** Moves to the slice nearest the structure's centre and pans it to the middle; false if it has none. */
  jumpTo(ROINumber: number): boolean;
  redraw(): void;
  dispose(): void;
}

/**
 * @example
 * const overlay = mountRtOverlay(view, element, { structureSet, dose });
 * overlay.setVisible(2, false); overlay.setIsodoseLevels([{ value: 30, unit: 'Gy', color: '#ff0' }]);
 * overlay.doseAt(overlay.canvasToPatient(x, y)!); // Gy under the cursor
 */
export function mountRtOverlay(view: RtOverlayView, element: HTMLElement, data: RtOverlayData, options: RtOverlayOptions = {}): RtOverlay {
  return mountRtOverlayOn(stackSurface(view, element), element, data, options);
}

/** A stack cell as a surface: its slice plane, and "jump" = nearest slice, panned to the middle. */
export function stackSurface(view: RtOverlayView, element: HTMLElement): RtOverlaySurface {
  return {
    frameOfReferenceUID: view.frameOfReferenceUID,
    worldToCanvas: (point) => view.worldToCanvas(point),
    plane: () => {
      const normal = view.sliceNormal;
      const index = view.currentIndex();
      const position = view.positionOf(index);
      if (!normal || position === undefined) return undefined;
      const neighbour = view.positionOf(index + 1) ?? view.positionOf(index - 1);
      const halfSpacing = neighbour === undefined ? 0.5 : Math.abs(neighbour - position) / 2;
      return { normal: [normal[0], normal[1], normal[2]], position, halfSpacing };
    },
    observe: (redraw) =>
      view.observe((change) => {
        if (change.kind !== 'window') redraw();
      }),
    jumpTo: (centre) => {
      const normal = view.sliceNormal;
      if (!normal) return false;
      const best = nearestSliceIndex(view.positionOf, view.imageCount, dot(centre, [normal[0], normal[1], normal[2]]));
      if (best < 0) return false;
      centreOn(view, element, centre);
      view.setImageIndex(best, 'user');
      return true;
    },
  };
}

/**
 * One plane of an MPR volume as a surface (its camera gives the plane; every camera change
 * renders the element, which redraws the overlay). "Jump" moves all the volume's planes.
 * @example
 * mountRtOverlayOn(volumeSurface(view, 'vp-1-sagittal', ctFrameOfReferenceUID), element, { structureSet, dose });
 */
export function volumeSurface(view: Pick<VolumeView, 'worldToCanvas' | 'planeOf' | 'jumpTo'>, viewportId: string, frameOfReferenceUID: string | undefined): RtOverlaySurface {
  return {
    frameOfReferenceUID,
    worldToCanvas: (point) => view.worldToCanvas(viewportId, point),
    plane: () => {
      const plane = view.planeOf(viewportId);
      return plane && { normal: plane.normal, position: plane.position, halfSpacing: plane.spacing / 2 };
    },
    jumpTo: (centre) => {
      view.jumpTo(centre);
      return true;
    },
  };
}

/**
 * Several overlays shown as one (the three planes of an MPR): settings go to all, state is read
 * from the first. `canvasToPatient` is the first's: probe each element through its own overlay.
 */
export function rtOverlayGroup(overlays: readonly RtOverlay[]): RtOverlay {
  const first = overlays[0];
  if (!first) throw new Error('rtOverlayGroup: no overlays');
  return {
    prescriptionGy: first.prescriptionGy,
    doseUnits: first.doseUnits,
    problem: first.problem,
    setVisible: (ROINumber, visible) => overlays.forEach((o) => o.setVisible(ROINumber, visible)),
    isVisible: (ROINumber) => first.isVisible(ROINumber),
    setIsodoseLevels: (levels) => overlays.forEach((o) => o.setIsodoseLevels(levels)),
    isodoseLevels: () => first.isodoseLevels(),
    setWash: (on) => overlays.forEach((o) => o.setWash(on)),
    doseAt: (point) => first.doseAt(point),
    canvasToPatient: (x, y) => first.canvasToPatient(x, y),
    jumpTo: (ROINumber) => first.jumpTo(ROINumber),
    redraw: () => overlays.forEach((o) => o.redraw()),
    dispose: () => overlays.forEach((o) => o.dispose()),
  };
}

/** The overlay on any surface (see `stackSurface`, `volumeSurface`). */
export function mountRtOverlayOn(view: RtOverlaySurface, element: HTMLElement, data: RtOverlayData, options: RtOverlayOptions = {}): RtOverlay {
  const { structureSet, dose } = data;
  const prescriptionGy = dose ? (data.prescriptionGy ?? dose.maxDose) : undefined;
  const frames = [structureSet?.FrameOfReferenceUID, dose?.FrameOfReferenceUID].filter((uid): uid is string => !!uid);
  const problem = frames.some((uid) => uid !== view.frameOfReferenceUID)
    ? 'The RT objects belong to another frame of reference than this series; they are not drawn on it.'
    : undefined;
  const hidden = new Set(options.hidden ?? []);
  let levels = [...(options.isodoseLevels ?? DefaultIsodoseLevels)];
  let wash = options.wash ?? false;

  if (getComputedStyle(element).position === 'static') element.style.position = 'relative';
  const canvas = document.createElement('canvas');
  canvas.dataset.rtOverlay = 'true';
  Object.assign(canvas.style, { position: 'absolute', inset: '0', width: '100%', height: '100%', pointerEvents: 'none', zIndex: '2' });
  element.appendChild(canvas);
  const legend = document.createElement('div');
  legend.dataset.rtDoseLegend = 'true';
  Object.assign(legend.style, { position: 'absolute', right: '8px', top: '40px', pointerEvents: 'none', zIndex: '3', font: '11px sans-serif', color: '#fff', display: 'none' });
  element.appendChild(legend);

  // The dose raster of the plane on screen, kept until the plane changes (zoom and pan reuse it).
  let sampled: { key: string; raster: PlaneRaster; values: Float32Array } | undefined;
  const rasterAt = (normal: Vec3, position: number) => {
    if (!dose) return undefined;
    const key = [...normal, position].map((v) => v.toFixed(6)).join(',');
    if (sampled?.key !== key) {
      const raster = planeRasterThroughDose(dose, normal, position);
      sampled = raster ? { key, raster, values: sampleDoseOnPlane(dose, raster) } : undefined;
      if (!sampled) return undefined;
    }
    return sampled;
  };

  const slicePlane = () => view.plane();

  function draw() {
    const dpr = window.devicePixelRatio || 1;
    const [width, height] = [element.clientWidth, element.clientHeight];
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) [canvas.width, canvas.height] = [Math.round(width * dpr), Math.round(height * dpr)];
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    legend.style.display = 'none';
    const plane = slicePlane();
    if (problem || !plane) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const toCanvas = (p: Vec3) => view.worldToCanvas(p);
    const on = dose && prescriptionGy ? rasterAt(plane.normal, plane.position) : undefined;
    if (on && dose && prescriptionGy) {
      if (wash) drawWash(ctx, on.raster, on.values, toCanvas, dpr, washFloor(levels, prescriptionGy), dose.maxDose);
      ctx.lineWidth = 1.5;
      for (const line of isodoseLines(dose, on.raster, levels, prescriptionGy, on.values)) {
        ctx.strokeStyle = line.level.color;
        ctx.beginPath();
        for (const [a, b] of line.segments) {
          const [ca, cb] = [toCanvas(a), toCanvas(b)];
          ctx.moveTo(ca[0], ca[1]);
          ctx.lineTo(cb[0], cb[1]);
        }
        ctx.stroke();
      }
    }
    if (wash && dose && prescriptionGy) showLegend(legend, washFloor(levels, prescriptionGy), dose.maxDose);
    if (!structureSet) return;
    const sign = dot(structureSet.normal, plane.normal);
    ctx.lineWidth = 2;
    for (const structure of structureSet.structures) {
      if (hidden.has(structure.ROINumber)) continue;
      ctx.strokeStyle = `rgb(${structure.color.join(',')})`;
      if (Math.abs(sign) < 0.99) {
        // Across the contours: where this plane cuts them.
        ctx.beginPath();
        for (const [a, b] of outlineOnPlane(structure.contours, structureSet.normal, plane.normal, plane.position)) {
          const [ca, cb] = [toCanvas(a), toCanvas(b)];
          ctx.moveTo(ca[0], ca[1]);
          ctx.lineTo(cb[0], cb[1]);
        }
        ctx.stroke();
        continue;
      }
      for (const contour of contoursOnPlane(structure, plane.position * Math.sign(sign), plane.halfSpacing)) {
        ctx.beginPath();
        for (let i = 0; i < contour.points.length; i += 3) {
          const [x, y] = toCanvas([contour.points[i]!, contour.points[i + 1]!, contour.points[i + 2]!]);
          if (i === 0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        }
        if (contour.closed) ctx.closePath();
        ctx.stroke();
      }
    }
  }

  const onRendered = () => draw();
  element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
  const unobserve = view.observe?.(draw);
  const resize = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => draw());
  resize?.observe(element);
  draw();

  const canvasToPatient = (x: number, y: number): Vec3 | undefined => {
    const plane = slicePlane();
    return plane && canvasToPlanePoint(view.worldToCanvas, plane.normal, plane.position, x, y);
  };

  return {
    prescriptionGy,
    doseUnits: dose?.DoseUnits,
    problem,
    setVisible: (ROINumber, visible) => {
      if (visible) hidden.delete(ROINumber);
      else hidden.add(ROINumber);
      draw();
    },
    isVisible: (ROINumber) => !hidden.has(ROINumber),
    setIsodoseLevels: (next) => {
      levels = [...next];
      draw();
    },
    isodoseLevels: () => levels,
    setWash: (next) => {
      wash = next;
      draw();
    },
    doseAt: (point) => (dose && !problem ? doseAt(dose, point) : undefined),
    canvasToPatient,
    jumpTo: (ROINumber) => {
      const centre = structureSet?.structures.find((s) => s.ROINumber === ROINumber)?.centre;
      if (!centre || problem) return false;
      return view.jumpTo(centre);
    },
    redraw: draw,
    dispose: () => {
      element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      unobserve?.();
      resize?.disconnect();
      canvas.remove();
      legend.remove();
    },
  };
}

/** The wash starts at the lowest isodose level shown (20 % of prescription by default). */
function washFloor(levels: readonly IsodoseLevel[], prescriptionGy: number): number {
  const gys = levels.map((level) => levelInGy(level, prescriptionGy));
  return gys.length ? Math.min(...gys) : 0.2 * prescriptionGy;
}

function drawWash(ctx: CanvasRenderingContext2D, raster: PlaneRaster, values: Float32Array, toCanvas: (p: Vec3) => [number, number], dpr: number, floorGy: number, topGy: number) {
  const image = new ImageData(raster.width, raster.height);
  for (let i = 0; i < values.length; i++) {
    const color = washColor(values[i]!, floorGy, topGy);
    if (color) image.data.set(color, 4 * i);
  }
  const buffer = document.createElement('canvas');
  [buffer.width, buffer.height] = [raster.width, raster.height];
  buffer.getContext('2d')?.putImageData(image, 0, 0);
  // Raster → canvas is affine (parallel projection): three points fix it.
  const c0 = toCanvas(rasterPoint(raster, 0, 0));
  const cx = toCanvas(rasterPoint(raster, 1, 0));
  const cy = toCanvas(rasterPoint(raster, 0, 1));
  ctx.save();
  ctx.setTransform(dpr * (cx[0] - c0[0]), dpr * (cx[1] - c0[1]), dpr * (cy[0] - c0[0]), dpr * (cy[1] - c0[1]), dpr * c0[0], dpr * c0[1]);
  ctx.drawImage(buffer, -0.5, -0.5);
  ctx.restore();
}

function showLegend(legend: HTMLElement, floorGy: number, topGy: number) {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const [r, g, b] = washColor(floorGy + t * (topGy - floorGy), floorGy, topGy) ?? [0, 0, 0];
    return `rgb(${r},${g},${b}) ${Math.round(100 - t * 100)}%`;
  });
  const text = `${topGy.toFixed(1)} Gy|${floorGy.toFixed(1)} Gy`;
  if (legend.dataset.text !== text) {
    legend.dataset.text = text;
    legend.replaceChildren();
    const bar = document.createElement('div');
    Object.assign(bar.style, { width: '12px', height: '120px', background: `linear-gradient(to bottom, ${stops.reverse().join(', ')})`, opacity: '0.8', float: 'left', marginRight: '4px' });
    const labels = document.createElement('div');
    Object.assign(labels.style, { display: 'flex', flexDirection: 'column', justifyContent: 'space-between', height: '120px' });
    for (const label of text.split('|')) labels.appendChild(Object.assign(document.createElement('span'), { textContent: label }));
    legend.append(bar, labels);
  }
  legend.style.display = 'block';
}

/** Pans so `point` sits in the middle of the element (pan's sign convention is checked, not assumed). */
function centreOn(view: RtOverlayView, element: HTMLElement, point: Vec3) {
  const target: [number, number] = [element.clientWidth / 2, element.clientHeight / 2];
  const before = view.zoomPan();
  const at = view.worldToCanvas(point);
  const delta = [target[0] - at[0], target[1] - at[1]];
  if (Math.hypot(delta[0]!, delta[1]!) < 1) return;
  view.setZoomPan({ zoom: before.zoom, pan: [before.pan[0] + delta[0]!, before.pan[1] + delta[1]!] }, 'user');
  const after = view.worldToCanvas(point);
  if (Math.hypot(after[0] - target[0], after[1] - target[1]) > 1) view.setZoomPan({ zoom: before.zoom, pan: [before.pan[0] - delta[0]!, before.pan[1] - delta[1]!] }, 'user');
}
