/**
 * Isodose lines and dose wash on a slice plane: the dose grid is resampled (trilinear) onto a
 * regular raster lying in the plane, then marching squares traces each level with linear
 * interpolation along cell edges. Output is in patient coordinates, so any view that can map a
 * patient point to the screen can draw it.
 *
 * Levels are % of a prescription or Gy; without an RT plan the prescription is a caller's choice
 * (the overlay defaults to the grid maximum and says so).
 */
import { doseAt, gridCorners, type DoseGrid } from './rtDose';
import { add, cross, dot, normalise, scale, type Vec3 } from './rtDataset';

export interface PlaneRaster {
  /** Patient point of sample (0, 0). */
  origin: Vec3;
  /** In-plane unit vectors of increasing column and row. */
  u: Vec3;
  v: Vec3;
  /** Distance between samples, mm. */
  step: number;
  width: number;
  height: number;
}

export interface IsodoseLevel {
  value: number;
  unit: '%' | 'Gy';
  /** CSS colour of the line. */
  color: string;
}

export interface IsodoseLine {
  level: IsodoseLevel;
  gy: number;
  /** Line segments, each two patient points. */
  segments: [Vec3, Vec3][];
}

/**
 * The usual clinical set: 95 / 80 / 50 / 20 % of prescription. No pure red: GTVs are commonly red,
 * and a line beside one must not read as part of it.
 */
export const DefaultIsodoseLevels: IsodoseLevel[] = [
  { value: 95, unit: '%', color: '#ff8c00' },
  { value: 80, unit: '%', color: '#ffff00' },
  { value: 50, unit: '%', color: '#00ffff' },
  { value: 20, unit: '%', color: '#b080ff' },
];

/** Colours given to levels the reader types, in order: the default set's, then two more. */
const LevelPalette = ['#ff8c00', '#ffff00', '#00ffff', '#b080ff', '#00ff66', '#ff66cc'];

export type IsodoseLevelsResult = { ok: true; levels: IsodoseLevel[] } | { ok: false; message: string };

/**
 * Levels as a reader types them: numbers separated by commas or spaces, each in `%` (of
 * prescription) or `Gy`; a number without a unit takes the next unit written after it, and `%`
 * when none is ("95 80 50 %", "57 Gy, 30 Gy", "95 % 30 Gy"). Highest dose first, colours in order.
 */
export function parseIsodoseLevels(text: string): IsodoseLevelsResult {
  const tokens = text.trim().replace(/,/g, ' ').match(/[0-9]+(?:\.[0-9]+)?|%|gy|[^\s]+/gi) ?? [];
  if (tokens.length === 0) return { ok: false, message: 'Type one or more levels, e.g. "95 80 50 20 %" or "57 30 Gy"' };
  const levels: { value: number; unit?: '%' | 'Gy' }[] = [];
  let pending: { value: number; unit?: '%' | 'Gy' }[] = [];
  for (const token of tokens) {
    const unit = token === '%' ? '%' : token.toLowerCase() === 'gy' ? 'Gy' : undefined;
    if (unit) {
      if (pending.length === 0) return { ok: false, message: `"${token}" follows no number` };
      for (const level of pending) level.unit = unit;
      pending = [];
      continue;
    }
    const value = Number(token);
    if (!Number.isFinite(value)) return { ok: false, message: `"${token}" is not a number, "%" or "Gy"` };
    const level = { value };
    levels.push(level);
    pending.push(level);
  }
  const typed = levels.map((level) => ({ value: level.value, unit: level.unit ?? ('%' as const) }));
  const bad = typed.find((level) => level.value <= 0 || (level.unit === '%' ? level.value > 200 : level.value > 200));
  if (bad) return { ok: false, message: `${bad.value} ${bad.unit} is not a dose level (above 0, at most 200 % or 200 Gy)` };
  if (typed.length > LevelPalette.length) return { ok: false, message: `At most ${LevelPalette.length} levels` };
  return { ok: true, levels: typed.map((level, i) => ({ ...level, color: LevelPalette[i]! })) };
}

/** How a level reads in the panel: "95 %", "30 Gy". */
export function formatIsodoseLevel(level: Pick<IsodoseLevel, 'value' | 'unit'>): string {
  return `${level.value} ${level.unit}`;
}

export function levelInGy(level: IsodoseLevel, prescriptionGy: number): number {
  return level.unit === 'Gy' ? level.value : (level.value / 100) * prescriptionGy;
}

/**
 * A raster in the plane {p : p·normal = position} covering the grid's footprint on it, or undefined
 * when the plane misses the grid. `step` defaults to half the finer in-plane voxel spacing.
 */
export function planeRasterThroughDose(grid: DoseGrid, normal: Vec3, position: number, step = Math.min(grid.columnSpacing, grid.rowSpacing) / 2): PlaneRaster | undefined {
  const n = normalise(normal);
  if (!n) return undefined;
  const corners = gridCorners(grid);
  const depths = corners.map((c) => dot(c, n));
  if (position < Math.min(...depths) - 1e-3 || position > Math.max(...depths) + 1e-3) return undefined;
  // In-plane axes follow the grid's own where they can, so an axial grid on an axial slice samples voxel-aligned.
  const seed = Math.abs(dot(grid.rowDirection, n)) < 0.9 ? grid.rowDirection : grid.columnDirection;
  const u = normalise(add(seed, scale(n, -dot(seed, n))))!;
  const v = cross(n, u);
  const as = corners.map((c) => dot(c, u));
  const bs = corners.map((c) => dot(c, v));
  const [aMin, bMin] = [Math.min(...as), Math.min(...bs)];
  const origin = add(add(scale(n, position), scale(u, aMin)), scale(v, bMin));
  return {
    origin, u, v, step,
    width: Math.floor((Math.max(...as) - aMin) / step) + 1,
    height: Math.floor((Math.max(...bs) - bMin) / step) + 1,
  };
}

export function rasterPoint(raster: PlaneRaster, x: number, y: number): Vec3 {
  return add(raster.origin, add(scale(raster.u, x * raster.step), scale(raster.v, y * raster.step)));
}

/** Dose at every raster sample (NaN where the plane leaves the grid), row-major. */
export function sampleDoseOnPlane(grid: DoseGrid, raster: PlaneRaster): Float32Array {
  const values = new Float32Array(raster.width * raster.height);
  for (let y = 0; y < raster.height; y++) {
    for (let x = 0; x < raster.width; x++) values[y * raster.width + x] = doseAt(grid, rasterPoint(raster, x, y)) ?? NaN;
  }
  return values;
}

/**
 * Marching squares over a row-major raster: segments where the field crosses `level`, in raster
 * coordinates (x along columns, y along rows). Cells touching NaN are skipped; saddles are split
 * by the cell's mean.
 */
export function marchingSquares(values: ArrayLike<number>, width: number, height: number, level: number): [number, number, number, number][] {
  const segments: [number, number, number, number][] = [];
  const cross = (a: number, b: number) => (level - a) / (b - a);
  for (let y = 0; y + 1 < height; y++) {
    for (let x = 0; x + 1 < width; x++) {
      const tl = values[y * width + x]!;
      const tr = values[y * width + x + 1]!;
      const br = values[(y + 1) * width + x + 1]!;
      const bl = values[(y + 1) * width + x]!;
      if (Number.isNaN(tl + tr + br + bl)) continue;
      const code = (tl >= level ? 8 : 0) | (tr >= level ? 4 : 0) | (br >= level ? 2 : 0) | (bl >= level ? 1 : 0);
      if (code === 0 || code === 15) continue;
      const top: [number, number] = [x + cross(tl, tr), y];
      const right: [number, number] = [x + 1, y + cross(tr, br)];
      const bottom: [number, number] = [x + cross(bl, br), y + 1];
      const left: [number, number] = [x, y + cross(tl, bl)];
      const push = (a: [number, number], b: [number, number]) => segments.push([a[0], a[1], b[0], b[1]]);
      switch (code) {
        case 1: case 14: push(left, bottom); break;
        case 2: case 13: push(bottom, right); break;
        case 3: case 12: push(left, right); break;
        case 4: case 11: push(top, right); break;
        case 6: case 9: push(top, bottom); break;
        case 7: case 8: push(left, top); break;
        case 5: case 10: {
          const centreHigh = (tl + tr + br + bl) / 4 >= level;
          // Case 5: tr and bl high. Case 10: tl and br high.
          if ((code === 5) === centreHigh) { push(left, top); push(bottom, right); } else { push(top, right); push(left, bottom); }
          break;
        }
      }
    }
  }
  return segments;
}

/** Isodose lines of each level on the raster's plane, in patient coordinates. */
export function isodoseLines(grid: DoseGrid, raster: PlaneRaster, levels: readonly IsodoseLevel[], prescriptionGy: number, sampled = sampleDoseOnPlane(grid, raster)): IsodoseLine[] {
  return levels.map((level) => {
    const gy = levelInGy(level, prescriptionGy);
    const segments = marchingSquares(sampled, raster.width, raster.height, gy).map(
      ([x1, y1, x2, y2]): [Vec3, Vec3] => [rasterPoint(raster, x1, y1), rasterPoint(raster, x2, y2)],
    );
    return { level, gy, segments };
  });
}

/** Colour wash: transparent below `floorGy`, then blue → cyan → green → yellow → red up to `topGy`. */
export function washColor(gy: number, floorGy: number, topGy: number): [number, number, number, number] | undefined {
  if (!(gy >= floorGy) || topGy <= floorGy) return undefined;
  const t = Math.min(1, (gy - floorGy) / (topGy - floorGy));
  const stops: [number, number, number][] = [[0, 0, 255], [0, 255, 255], [0, 255, 0], [255, 255, 0], [255, 0, 0]];
  const f = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(f));
  const w = f - i;
  const [a, b] = [stops[i]!, stops[i + 1]!];
  return [Math.round(a[0] + (b[0] - a[0]) * w), Math.round(a[1] + (b[1] - a[1]) * w), Math.round(a[2] + (b[2] - a[2]) * w), 110];
}
