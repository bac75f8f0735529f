/**
 * The chest phantom: nested ellipsoids with textbook Hounsfield units, painted in order (later
 * layers win). Coordinates are "anatomy" millimetres (LPS axes, origin mid-chest); a scan's
 * table offset maps anatomy to its own patient coordinates (LPS = anatomy + tableOffset), which
 * is how the prior CT puts the same anatomy at other coordinates.
 */
import type { Vec3 } from './manifest';

export const TissueHu = { air: -1000, lung: -850, softTissue: 40, bone: 700, lesion: 40 } as const;

export interface Ellipsoid {
  name: string;
  centre: Vec3;
  /** Semi-axes in x, y, z; Infinity in z makes an elliptic cylinder. */
  semiAxes: Vec3;
  /** Hounsfield units for CT layers; a tissue label for MR layers. */
  hu: number;
}

/** Right lung is patient right, i.e. negative x in LPS. */
export const RightLung: Ellipsoid = { name: 'lung-right', centre: [-80, 0, 10], semiAxes: [55, 80, 120], hu: TissueHu.lung };
const LeftLung: Ellipsoid = { name: 'lung-left', centre: [80, 0, 10], semiAxes: [55, 80, 120], hu: TissueHu.lung };
export const Body: Ellipsoid = { name: 'body', centre: [0, 0, 0], semiAxes: [165, 115, Infinity], hu: TissueHu.softTissue };
const Vertebra: Ellipsoid = { name: 'vertebra', centre: [0, 70.3125, 0], semiAxes: [18, 18, Infinity], hu: TissueHu.bone };

/** Right lower lobe, posterior; on pixel centres of the 0.78125 mm grid that starts at −200. */
export const LesionCentre: Vec3 = [-85.15625, 20.3125, -30];

/**
 * A 40 mm soft-tissue sphere in the left upper lung: an object of known size for the length tool.
 * 90 mm above the lesion level (every landmark lies at that level) and at least 10 mm inside the
 * left lung all round, so nothing else in the phantom touches it; its centre is on a pixel centre
 * and on a slice centre of both demo CTs (90 mm is 60 × 1.5 mm and 36 × 2.5 mm from the lesion).
 */
export const CalibrationSphere: Ellipsoid = { name: 'calibration-sphere', centre: [79.6875, 0, 60], semiAxes: [20, 20, 20], hu: TissueHu.softTissue };

export function chestPhantom(lesionDiameterMm: number | undefined): Ellipsoid[] {
  const layers = [Body, RightLung, LeftLung, Vertebra];
  if (lesionDiameterMm === undefined) return layers;
  const r = lesionDiameterMm / 2;
  return [...layers, { name: 'lesion', centre: LesionCentre, semiAxes: [r, r, r], hu: TissueHu.lesion }];
}

/** Nominal HU at an anatomy point (no noise): the last layer that contains it, else air. */
export function huAt(layers: readonly Ellipsoid[], point: Vec3): number {
  let hu: number = TissueHu.air;
  for (const layer of layers) {
    let sum = 0;
    for (let i = 0; i < 3; i++) {
      const d = ((point[i] ?? 0) - (layer.centre[i] ?? 0)) / (layer.semiAxes[i] ?? 1);
      sum += d * d;
    }
    if (sum <= 1) hu = layer.hu;
  }
  return hu;
}

/** Half-widths of an ellipsoid's cross-section at height z, or undefined when z misses it. */
export function crossSection(layer: Ellipsoid, z: number): { cx: number; cy: number; rx: number; ry: number } | undefined {
  const dz = (z - layer.centre[2]) / layer.semiAxes[2];
  const s = 1 - dz * dz;
  if (s <= 0) return undefined;
  const k = Math.sqrt(s);
  return { cx: layer.centre[0], cy: layer.centre[1], rx: layer.semiAxes[0] * k, ry: layer.semiAxes[1] * k };
}

export interface SliceRaster {
  rows: number;
  columns: number;
  /** Anatomy x of column 0 and y of row 0 (axial slices, rows along +y, columns along +x). */
  x0: number;
  y0: number;
  rowSpacing: number;
  columnSpacing: number;
}

/**
 * Paints one axial slice at anatomy height z, span by span: each layer fills the columns whose
 * centres fall inside its cross-section on each row with `valueOf(layer)`; the rest is
 * `background`. CT paints stored values (HU − intercept); MR paints tissue labels.
 */
export function renderAxialSlice(
  layers: readonly Ellipsoid[],
  raster: SliceRaster,
  z: number,
  out: Uint16Array,
  paint: { background: number; valueOf: (layer: Ellipsoid) => number },
): void {
  out.fill(paint.background);
  for (const layer of layers) {
    const section = crossSection(layer, z);
    if (!section) continue;
    const value = paint.valueOf(layer);
    const rowFirst = Math.max(0, Math.ceil((section.cy - section.ry - raster.y0) / raster.rowSpacing));
    const rowLast = Math.min(raster.rows - 1, Math.floor((section.cy + section.ry - raster.y0) / raster.rowSpacing));
    for (let row = rowFirst; row <= rowLast; row++) {
      const dy = (raster.y0 + row * raster.rowSpacing - section.cy) / section.ry;
      const q = 1 - dy * dy;
      if (q < 0) continue;
      const half = section.rx * Math.sqrt(q);
      const c0 = Math.max(0, Math.ceil((section.cx - half - raster.x0) / raster.columnSpacing));
      const c1 = Math.min(raster.columns - 1, Math.floor((section.cx + half - raster.x0) / raster.columnSpacing));
      if (c1 >= c0) out.fill(value, row * raster.columns + c0, row * raster.columns + c1 + 1);
    }
  }
}
