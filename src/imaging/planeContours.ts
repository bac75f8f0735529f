/**
 * Planar contours (an axial structure set, one closed polygon per slice) cut by a plane that is not
 * parallel to them: a sagittal, coronal or oblique MPR plane. Pure, so it is unit-tested without a
 * browser.
 *
 * Each contour meets the plane along a line; where the polygon is inside it gives chords (pairs of
 * edge crossings, even-odd). The outline on the plane joins the chord ends of adjacent contour
 * slices (start to start, end to end, where the chords overlap along the line) and draws a chord
 * whole where the structure stops (no overlapping chord on the slice above or below), so a sphere
 * reads as a closed ring, not as a stack of filled rungs.
 *
 * Limits: a chord that overlaps two on the next slice (a structure branching) is joined to both,
 * which may draw a short inner line; an overhang between slices shows as a diagonal.
 */
import { cross, dot, normalise, type Vec3 } from './rtDataset';

/** A segment on the plane, patient coordinates (LPS mm). */
export type PlaneSegment = [Vec3, Vec3];

interface Chord {
  /** Distances along the cut line of the two ends, s0 < s1. */
  s0: number;
  s1: number;
  a: Vec3;
  b: Vec3;
}

/**
 * The chords of one closed polygon (x, y, z triples) on the plane {p : p·normal = position},
 * ordered along `along` (a direction in both planes). Empty when the plane misses the polygon.
 */
export function polygonChords(points: ArrayLike<number>, normal: Vec3, position: number, along: Vec3): PlaneSegment[] {
  return chordsOf(points, normal, position, along).map((c) => [c.a, c.b]);
}

function chordsOf(points: ArrayLike<number>, normal: Vec3, position: number, along: Vec3): Chord[] {
  const count = Math.floor(points.length / 3);
  const crossings: { s: number; p: Vec3 }[] = [];
  for (let i = 0; i < count; i++) {
    const j = (i + 1) % count;
    const a: Vec3 = [points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!];
    const b: Vec3 = [points[3 * j]!, points[3 * j + 1]!, points[3 * j + 2]!];
    const fa = dot(a, normal) - position;
    const fb = dot(b, normal) - position;
    // Half-open: a vertex on the plane counts on the negative side once, so it is not crossed twice.
    if (fa > 0 === fb > 0) continue;
    const t = fa / (fa - fb);
    const p: Vec3 = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])];
    crossings.push({ s: dot(p, along), p });
  }
  crossings.sort((x, y) => x.s - y.s);
  const chords: Chord[] = [];
  for (let k = 0; k + 1 < crossings.length; k += 2) {
    const [first, second] = [crossings[k]!, crossings[k + 1]!];
    chords.push({ s0: first.s, s1: second.s, a: first.p, b: second.p });
  }
  return chords;
}

/**
 * The outline, as segments, of a structure's closed contours (all on planes of `contourNormal`,
 * each at `planePosition` along it) on the plane {p : p·normal = position}. Empty when the planes
 * are parallel (draw the nearest contour slice instead) or the plane misses the structure.
 */
export function outlineOnPlane(
  contours: readonly { points: ArrayLike<number>; closed: boolean; planePosition: number }[],
  contourNormal: Vec3,
  normal: Vec3,
  position: number,
): PlaneSegment[] {
  const n = normalise(normal);
  const along = n && normalise(cross(contourNormal, n));
  if (!n || !along || Math.abs(dot(contourNormal, n)) > 0.99) return [];
  const bySlice = new Map<number, Chord[]>();
  for (const contour of contours) {
    if (!contour.closed || contour.points.length < 9) continue;
    const chords = chordsOf(contour.points, n, position, along);
    const key = Math.round(contour.planePosition * 1000) / 1000;
    // Slices without chords still count: they tell the neighbours that the structure stops.
    bySlice.set(key, [...(bySlice.get(key) ?? []), ...chords]);
  }
  const slices = [...bySlice.keys()].sort((x, y) => x - y);
  const gaps = slices.slice(1).map((z, i) => z - slices[i]!).sort((x, y) => x - y);
  const usual = gaps[Math.floor(gaps.length / 2)] ?? Infinity;
  const segments: PlaneSegment[] = [];
  const joinedAbove = new Set<Chord>();
  const joinedBelow = new Set<Chord>();
  for (let i = 0; i + 1 < slices.length; i++) {
    // A missing slice (gap well over the usual spacing) separates two parts: no joins across it.
    if (slices[i + 1]! - slices[i]! > 1.5 * usual) continue;
    for (const lower of bySlice.get(slices[i]!)!) {
      for (const upper of bySlice.get(slices[i + 1]!)!) {
        if (lower.s0 > upper.s1 || upper.s0 > lower.s1) continue;
        segments.push([lower.a, upper.a], [lower.b, upper.b]);
        joinedAbove.add(lower);
        joinedBelow.add(upper);
      }
    }
  }
  for (const chords of bySlice.values()) {
    for (const chord of chords) if (!joinedAbove.has(chord) || !joinedBelow.has(chord)) segments.push([chord.a, chord.b]);
  }
  return segments;
}
