/**
 * RT Structure Set → structures a viewer can draw and list: number, name, colour, planar contours
 * in patient coordinates, and a volume computed from the contours themselves (area of each
 * plane × the spacing between contour planes), never from a stored value.
 *
 * Invariants: contours keep the file's points (LPS mm); contours on one plane that lie inside an
 * odd number of others are holes and subtract; a structure with contours on a single plane has no
 * volume (no spacing to multiply by) rather than a guessed one.
 */
import { cross, dot, itemsOf, normalise, numberOf, numbersOf, readRtPart10, textOf, type RtDataset, type Vec3 } from './rtDataset';

export const RTStructureSetStorage = '1.2.840.10008.5.1.4.1.1.481.3';

export interface StructureContour {
  /** x, y, z triples, patient coordinates (LPS mm). */
  points: Float64Array;
  /** CLOSED_PLANAR contours are polygons; POINT and OPEN_* are drawn as given. */
  closed: boolean;
  /** Distance of the contour's plane along the structure set's normal, mm. */
  planePosition: number;
}

export interface Structure {
  ROINumber: number;
  ROIName: string;
  /** ROIDisplayColor (3006,002A); a fixed palette colour where the file has none. */
  color: [number, number, number];
  RTROIInterpretedType: string;
  contours: StructureContour[];
  /** cc; undefined when the contours span fewer than two planes. */
  volumeCc: number | undefined;
  /** Area-weighted centre of the closed contours (where "jump to structure" goes). */
  centre: Vec3 | undefined;
}

export interface StructureSet {
  SOPInstanceUID: string;
  FrameOfReferenceUID: string;
  StructureSetLabel: string;
  /** Unit normal of the contour planes (of the first closed contour; axial sets give [0, 0, 1]). */
  normal: Vec3;
  structures: Structure[];
}

export type StructureSetResult = { kind: 'ok'; structureSet: StructureSet } | { kind: 'error'; message: string };

const Palette: [number, number, number][] = [[255, 255, 0], [0, 255, 255], [255, 0, 255], [255, 128, 0], [128, 255, 0], [0, 128, 255]];

/**
 * @example
 * const result = readStructureSet(await response.arrayBuffer());
 * if (result.kind === 'ok') result.structureSet.structures.map((s) => [s.ROIName, s.volumeCc]);
 */
export function readStructureSet(part10: ArrayBuffer): StructureSetResult {
  const read = readRtPart10(part10, 'structure set');
  return read.kind === 'ok' ? structureSetFromDataset(read.dataset) : read;
}

export function structureSetFromDataset(dataset: RtDataset): StructureSetResult {
  const sopClass = textOf(dataset, 'SOPClassUID');
  if (sopClass !== RTStructureSetStorage) return { kind: 'error', message: `Not an RT structure set (SOP class ${sopClass || 'missing'}).` };
  const rois = itemsOf(dataset, 'StructureSetROISequence');
  const observations = itemsOf(dataset, 'RTROIObservationsSequence');
  const contourItems = itemsOf(dataset, 'ROIContourSequence');
  const raw = contourItems.map((item) => ({ ROINumber: numberOf(item, 'ReferencedROINumber'), color: numbersOf(item, 'ROIDisplayColor'), contours: readContours(item) }));
  const firstClosed = raw.flatMap((r) => r.contours).find((c) => c.closed && c.points.length >= 9);
  const normal = (firstClosed && polygonNormal(firstClosed.points)) ?? ([0, 0, 1] as Vec3);
  const structures = rois.flatMap((roi, index): Structure[] => {
    const ROINumber = numberOf(roi, 'ROINumber');
    if (ROINumber === undefined) return [];
    const found = raw.find((r) => r.ROINumber === ROINumber);
    const contours = (found?.contours ?? []).map((c) => ({ ...c, planePosition: c.points.length >= 3 ? dot(normal, [c.points[0]!, c.points[1]!, c.points[2]!]) : 0 }));
    const color = found?.color.length === 3 ? (found.color.map((v) => Math.max(0, Math.min(255, Math.round(v)))) as Vec3) : Palette[index % Palette.length]!;
    const observation = observations.find((o) => numberOf(o, 'ReferencedROINumber') === ROINumber);
    const { volumeCc, centre } = volumeAndCentre(contours, normal);
    return [{ ROINumber, ROIName: textOf(roi, 'ROIName') || `ROI ${ROINumber}`, color, RTROIInterpretedType: observation ? textOf(observation, 'RTROIInterpretedType') : '', contours, volumeCc, centre }];
  });
  const reference = itemsOf(dataset, 'ReferencedFrameOfReferenceSequence')[0];
  return {
    kind: 'ok',
    structureSet: {
      SOPInstanceUID: textOf(dataset, 'SOPInstanceUID'),
      FrameOfReferenceUID: (reference && textOf(reference, 'FrameOfReferenceUID')) || textOf(rois[0] ?? {}, 'ReferencedFrameOfReferenceUID'),
      StructureSetLabel: textOf(dataset, 'StructureSetLabel'),
      normal,
      structures,
    },
  };
}

function readContours(item: RtDataset): Omit<StructureContour, 'planePosition'>[] {
  return itemsOf(item, 'ContourSequence').flatMap((contour) => {
    const data = numbersOf(contour, 'ContourData');
    if (data.length < 3 || data.length % 3 !== 0) return [];
    return [{ points: Float64Array.from(data), closed: textOf(contour, 'ContourGeometricType') === 'CLOSED_PLANAR' }];
  });
}

/** Newell's method: the polygon's area vector (normal × twice the area). */
function areaVector(points: Float64Array): Vec3 {
  const n: Vec3 = [0, 0, 0];
  const count = points.length / 3;
  for (let i = 0; i < count; i++) {
    const j = (i + 1) % count;
    const [x1, y1, z1] = [points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!];
    const [x2, y2, z2] = [points[3 * j]!, points[3 * j + 1]!, points[3 * j + 2]!];
    n[0] += (y1 - y2) * (z1 + z2);
    n[1] += (z1 - z2) * (x1 + x2);
    n[2] += (x1 - x2) * (y1 + y2);
  }
  return n;
}

function polygonNormal(points: Float64Array): Vec3 | undefined {
  const n = normalise(areaVector(points));
  // One orientation for every set: the normal points along +x, +y or +z, whichever it is closest to.
  if (!n) return undefined;
  const major = [0, 1, 2].reduce((best, axis) => (Math.abs(n[axis]!) > Math.abs(n[best]!) ? axis : best), 0);
  const oriented: Vec3 = n[major]! < 0 ? [-n[0], -n[1], -n[2]] : n;
  // Rounding in the stored points tilts an axial normal by ~1e-17: snap it, so plane positions are exact.
  if (Math.abs(oriented[major]!) > 1 - 1e-9) return [0, 1, 2].map((axis) => (axis === major ? 1 : 0)) as Vec3;
  return oriented;
}

/** Area-weighted centroid of a planar polygon (fan triangulation from its first point). */
function polygonCentroid(points: Float64Array, normal: Vec3): { area: number; centroid: Vec3 } {
  const p0: Vec3 = [points[0]!, points[1]!, points[2]!];
  let area = 0;
  const sum: Vec3 = [0, 0, 0];
  for (let i = 1; i + 1 < points.length / 3; i++) {
    const a: Vec3 = [points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!];
    const b: Vec3 = [points[3 * i + 3]!, points[3 * i + 4]!, points[3 * i + 5]!];
    const t = dot(cross([a[0] - p0[0], a[1] - p0[1], a[2] - p0[2]], [b[0] - p0[0], b[1] - p0[1], b[2] - p0[2]]), normal) / 2;
    area += t;
    for (let k = 0; k < 3; k++) sum[k]! += (t * (p0[k]! + a[k]! + b[k]!)) / 3;
  }
  const centroid: Vec3 = Math.abs(area) > 1e-12 ? [sum[0] / area, sum[1] / area, sum[2] / area] : p0;
  return { area: Math.abs(area), centroid };
}

/** Even-odd point in polygon, in the plane's own 2-D coordinates. */
function contains(points: Float64Array, normal: Vec3, point: Vec3): boolean {
  const u = normalise(cross(normal, Math.abs(normal[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0]))!;
  const v = cross(normal, u);
  const px = dot(point, u);
  const py = dot(point, v);
  let inside = false;
  const count = points.length / 3;
  for (let i = 0, j = count - 1; i < count; j = i++) {
    const pi: Vec3 = [points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!];
    const pj: Vec3 = [points[3 * j]!, points[3 * j + 1]!, points[3 * j + 2]!];
    const [xi, yi, xj, yj] = [dot(pi, u), dot(pi, v), dot(pj, u), dot(pj, v)];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Spacing between contour planes: the median gap, so one missing plane does not stretch every slab. */
function planeSpacing(positions: number[]): number | undefined {
  const gaps = positions.slice(1).map((p, i) => p - positions[i]!).filter((g) => g > 1e-3).sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor(gaps.length / 2)] : undefined;
}

function volumeAndCentre(contours: StructureContour[], normal: Vec3): { volumeCc: number | undefined; centre: Vec3 | undefined } {
  const closed = contours.filter((c) => c.closed && c.points.length >= 9);
  const planes = new Map<number, StructureContour[]>();
  for (const c of closed) {
    const key = Math.round(c.planePosition * 100) / 100;
    planes.set(key, [...(planes.get(key) ?? []), c]);
  }
  const positions = [...planes.keys()].sort((a, b) => a - b);
  let totalArea = 0;
  const weighted: Vec3 = [0, 0, 0];
  for (const plane of planes.values()) {
    for (const contour of plane) {
      const { area, centroid } = polygonCentroid(contour.points, normal);
      const first: Vec3 = [contour.points[0]!, contour.points[1]!, contour.points[2]!];
      const depth = plane.filter((other) => other !== contour && contains(other.points, normal, first)).length;
      const signed = depth % 2 === 1 ? -area : area;
      totalArea += signed;
      for (let k = 0; k < 3; k++) weighted[k]! += signed * centroid[k]!;
    }
  }
  const centre: Vec3 | undefined = totalArea > 0 ? [weighted[0] / totalArea, weighted[1] / totalArea, weighted[2] / totalArea] : undefined;
  const spacing = planeSpacing(positions);
  return { volumeCc: spacing === undefined ? undefined : (totalArea * spacing) / 1000, centre };
}

/** The structure's contours on the plane at `position` along the set's normal (within half a slice). */
export function contoursOnPlane(structure: Structure, position: number, tolerance: number): StructureContour[] {
  return structure.contours.filter((c) => Math.abs(c.planePosition - position) <= tolerance);
}
