/**
 * RT Dose → a dose grid in Gy that can be sampled at any patient point (trilinear between voxel
 * centres). Frames are placed by GridFrameOffsetVector (relative when its first value is 0, else
 * absolute positions along the normal, as PS3.3 C.8.8.3.2 allows), stored values × DoseGridScaling.
 *
 * Invariants: outside the grid there is no dose (undefined, not 0: "not planned here" and "0 Gy"
 * differ); only native (uncompressed) pixel data is read — sites are asked for explicit little
 * endian, and anything else is a clear error.
 */
import { cross, dot, normalise, numberOf, numbersOf, readRtPart10, sub, textOf, itemsOf, type RtDataset, type Vec3 } from './rtDataset';

export const RTDoseStorage = '1.2.840.10008.5.1.4.1.1.481.2';
const NativeSyntaxes = new Set(['', '1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

export interface DoseGrid {
  SOPInstanceUID: string;
  FrameOfReferenceUID: string;
  /** DoseUnits: GY, or RELATIVE (values are then not Gy). */
  DoseUnits: string;
  DoseType: string;
  DoseSummationType: string;
  rows: number;
  columns: number;
  frames: number;
  /** Centre of the first voxel (ImagePositionPatient). */
  origin: Vec3;
  /** Direction of increasing column index (first ImageOrientationPatient triple). */
  rowDirection: Vec3;
  /** Direction of increasing row index. */
  columnDirection: Vec3;
  normal: Vec3;
  /** Spacing between columns and between rows, mm (PixelSpacing is [row, column]). */
  columnSpacing: number;
  rowSpacing: number;
  /** Offset of each frame from the origin along `normal`, mm, in frame order. */
  frameOffsets: number[];
  /** Dose per voxel, frame-major then row-major, in DoseUnits. */
  dose: Float32Array;
  maxDose: number;
  /** Where the maximum lies (voxel centre, patient mm). */
  maxPoint: Vec3;
  referencedStructureSetUID: string | undefined;
}

export type DoseGridResult = { kind: 'ok'; grid: DoseGrid } | { kind: 'error'; message: string };

/**
 * @example
 * const result = readDoseGrid(part10);
 * if (result.kind === 'ok') doseAt(result.grid, [-85, 20, -30]); // Gy
 */
export function readDoseGrid(part10: ArrayBuffer): DoseGridResult {
  const read = readRtPart10(part10, 'dose grid');
  if (read.kind === 'error') return read;
  if (!NativeSyntaxes.has(read.transferSyntaxUID)) return { kind: 'error', message: `The dose grid is compressed (${read.transferSyntaxUID}); only uncompressed dose grids are read.` };
  return doseGridFromDataset(read.dataset);
}

export function doseGridFromDataset(dataset: RtDataset): DoseGridResult {
  const fail = (why: string): DoseGridResult => ({ kind: 'error', message: `The dose grid cannot be shown: ${why}.` });
  const sopClass = textOf(dataset, 'SOPClassUID');
  if (sopClass !== RTDoseStorage) return { kind: 'error', message: `Not an RT dose (SOP class ${sopClass || 'missing'}).` };
  const rows = numberOf(dataset, 'Rows') ?? 0;
  const columns = numberOf(dataset, 'Columns') ?? 0;
  const frames = numberOf(dataset, 'NumberOfFrames') ?? 1;
  const origin = numbersOf(dataset, 'ImagePositionPatient');
  const orientation = numbersOf(dataset, 'ImageOrientationPatient');
  const [rowSpacing, columnSpacing] = numbersOf(dataset, 'PixelSpacing');
  if (rows < 1 || columns < 1 || frames < 1) return fail('no grid size (Rows, Columns, NumberOfFrames)');
  if (origin.length !== 3 || orientation.length !== 6 || !rowSpacing || !columnSpacing) return fail('no grid geometry (ImagePositionPatient, ImageOrientationPatient, PixelSpacing)');
  const rowDirection = normalise([orientation[0]!, orientation[1]!, orientation[2]!]);
  const columnDirection = normalise([orientation[3]!, orientation[4]!, orientation[5]!]);
  const normal = rowDirection && columnDirection && normalise(cross(rowDirection, columnDirection));
  if (!rowDirection || !columnDirection || !normal) return fail('ImageOrientationPatient is degenerate');
  const offsetsRaw = numbersOf(dataset, 'GridFrameOffsetVector');
  if (frames > 1 && offsetsRaw.length !== frames) return fail(`GridFrameOffsetVector has ${offsetsRaw.length} values for ${frames} frames`);
  const origin3: Vec3 = [origin[0]!, origin[1]!, origin[2]!];
  const frameOffsets = frames === 1 ? [0] : offsetsRaw[0] === 0 ? offsetsRaw : offsetsRaw.map((z) => z - dot(origin3, normal));
  if (!isMonotonic(frameOffsets)) return fail('GridFrameOffsetVector is not monotonic');
  const scaling = numberOf(dataset, 'DoseGridScaling') ?? 1;
  const stored = storedValues(dataset, rows * columns * frames);
  if (typeof stored === 'string') return fail(stored);
  const dose = new Float32Array(stored.length);
  let maxDose = -Infinity;
  let maxIndex = 0;
  for (let i = 0; i < stored.length; i++) {
    const value = stored[i]! * scaling;
    dose[i] = value;
    if (value > maxDose) [maxDose, maxIndex] = [value, i];
  }
  const grid: Omit<DoseGrid, 'maxPoint'> = {
    SOPInstanceUID: textOf(dataset, 'SOPInstanceUID'),
    FrameOfReferenceUID: textOf(dataset, 'FrameOfReferenceUID'),
    DoseUnits: textOf(dataset, 'DoseUnits'),
    DoseType: textOf(dataset, 'DoseType'),
    DoseSummationType: textOf(dataset, 'DoseSummationType'),
    rows, columns, frames, origin: origin3, rowDirection, columnDirection, normal, columnSpacing, rowSpacing, frameOffsets, dose, maxDose,
    referencedStructureSetUID: textOf(itemsOf(dataset, 'ReferencedStructureSetSequence')[0] ?? {}, 'ReferencedSOPInstanceUID') || undefined,
  };
  const k = Math.floor(maxIndex / (rows * columns));
  const j = Math.floor((maxIndex % (rows * columns)) / columns);
  return { kind: 'ok', grid: { ...grid, maxPoint: voxelCentre(grid, maxIndex % columns, j, k) } };
}

function isMonotonic(values: number[]): boolean {
  const rising = (values[1] ?? 0) >= (values[0] ?? 0);
  return values.every((v, i) => i === 0 || (rising ? v > values[i - 1]! : v < values[i - 1]!));
}

function storedValues(dataset: RtDataset, count: number): ArrayLike<number> | string {
  const raw = dataset.PixelData;
  const buffer = Array.isArray(raw) ? raw[0] : raw;
  if (!(buffer instanceof ArrayBuffer)) return 'no native PixelData';
  const bits = numberOf(dataset, 'BitsAllocated');
  const signed = numberOf(dataset, 'PixelRepresentation') === 1;
  const bytes = bits === 32 ? 4 : bits === 16 ? 2 : 0;
  if (!bytes) return `BitsAllocated ${bits ?? 'missing'} (16 or 32 expected)`;
  if (buffer.byteLength < count * bytes) return `PixelData holds ${buffer.byteLength} bytes, ${count * bytes} expected`;
  if (bytes === 4) return signed ? new Int32Array(buffer, 0, count) : new Uint32Array(buffer, 0, count);
  return signed ? new Int16Array(buffer, 0, count) : new Uint16Array(buffer, 0, count);
}

function voxelCentre(grid: Pick<DoseGrid, 'origin' | 'rowDirection' | 'columnDirection' | 'normal' | 'columnSpacing' | 'rowSpacing' | 'frameOffsets'>, i: number, j: number, k: number): Vec3 {
  const a = i * grid.columnSpacing;
  const b = j * grid.rowSpacing;
  const c = grid.frameOffsets[k] ?? 0;
  return [0, 1, 2].map((n) => grid.origin[n]! + a * grid.rowDirection[n]! + b * grid.columnDirection[n]! + c * grid.normal[n]!) as Vec3;
}

/** Fractional frame index of an offset along the normal, or undefined outside the frames. */
function frameIndexOf(offsets: number[], w: number): number | undefined {
  if (offsets.length === 1) return Math.abs(w - offsets[0]!) < 1e-3 ? 0 : undefined;
  const rising = offsets[1]! > offsets[0]!;
  const first = offsets[0]!;
  const last = offsets[offsets.length - 1]!;
  const epsilon = 1e-4;
  if (rising ? w < first - epsilon || w > last + epsilon : w > first + epsilon || w < last - epsilon) return undefined;
  for (let k = 0; k + 1 < offsets.length; k++) {
    const [a, b] = [offsets[k]!, offsets[k + 1]!];
    if (rising ? w <= b + epsilon : w >= b - epsilon) return Math.max(0, Math.min(1, (w - a) / (b - a))) + k;
  }
  return offsets.length - 1;
}

/** Fractional voxel indices (column, row, frame) of a patient point, or undefined outside the grid. */
export function voxelIndexOf(grid: DoseGrid, point: Vec3): Vec3 | undefined {
  const d = sub(point, grid.origin);
  const i = dot(d, grid.rowDirection) / grid.columnSpacing;
  const j = dot(d, grid.columnDirection) / grid.rowSpacing;
  const k = frameIndexOf(grid.frameOffsets, dot(d, grid.normal));
  const epsilon = 1e-4;
  if (k === undefined || i < -epsilon || j < -epsilon || i > grid.columns - 1 + epsilon || j > grid.rows - 1 + epsilon) return undefined;
  return [Math.max(0, Math.min(grid.columns - 1, i)), Math.max(0, Math.min(grid.rows - 1, j)), k];
}

/** Dose (DoseUnits, Gy for GY grids) at a patient point, trilinear between voxel centres; undefined outside. */
export function doseAt(grid: DoseGrid, point: Vec3): number | undefined {
  const index = voxelIndexOf(grid, point);
  if (!index) return undefined;
  const [x, y, z] = index;
  const [i0, j0, k0] = [Math.floor(x), Math.floor(y), Math.floor(z)];
  const [i1, j1, k1] = [Math.min(i0 + 1, grid.columns - 1), Math.min(j0 + 1, grid.rows - 1), Math.min(k0 + 1, grid.frames - 1)];
  const [fx, fy, fz] = [x - i0, y - j0, z - k0];
  const at = (i: number, j: number, k: number) => grid.dose[(k * grid.rows + j) * grid.columns + i]!;
  const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
  const plane = (k: number) => lerp(lerp(at(i0, j0, k), at(i1, j0, k), fx), lerp(at(i0, j1, k), at(i1, j1, k), fx), fy);
  return lerp(plane(k0), plane(k1), fz);
}

/** The eight corners of the grid (voxel centres), for fitting a sampling plane round it. */
export function gridCorners(grid: DoseGrid): Vec3[] {
  const corners: Vec3[] = [];
  for (const i of [0, grid.columns - 1]) for (const j of [0, grid.rows - 1]) for (const k of [0, grid.frames - 1]) corners.push(voxelCentre(grid, i, j, k));
  return corners;
}
