/**
 * Scroll linking as arithmetic: which slice of a target stack shows the anatomy of a source slice.
 * Positions are distances along each stack's own slice normal (as `StackImage.position`), so two
 * stacks are comparable only when their normals are parallel; opposite normals flip the sign.
 * Across frames of reference the coordinates mean nothing to each other: each stack then carries
 * an anchor, its position at the slices the reader linked ("link here"), and moves by the same
 * millimetres of anatomy from there. Pure functions; no Cornerstone.
 */

export type Vec3 = readonly [number, number, number];

/** Normals within about 1° of each other (or of each other's opposite) count as parallel. */
const ParallelCosine = Math.cos((1 * Math.PI) / 180);

function unit(v: Vec3): Vec3 | undefined {
  const length = Math.hypot(v[0], v[1], v[2]);
  if (!Number.isFinite(length) || length === 0) return undefined;
  return [v[0] / length, v[1] / length, v[2] / length];
}

/** Unit normal of slices with this ImageOrientationPatient (row × column cosines). */
export function sliceNormalOf(orientation: readonly number[]): Vec3 | undefined {
  if (orientation.length !== 6) return undefined;
  const [rx, ry, rz, cx, cy, cz] = orientation as [number, number, number, number, number, number];
  return unit([ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx]);
}

/**
 * +1 when two slice normals point the same way, −1 when opposite, undefined when the planes are
 * not parallel (e.g. axial beside sagittal: scrolling one cannot say which slice of the other).
 */
export function parallelSign(a: Vec3, b: Vec3): 1 | -1 | undefined {
  const ua = unit(a);
  const ub = unit(b);
  if (!ua || !ub) return undefined;
  const cosine = ua[0] * ub[0] + ua[1] * ub[1] + ua[2] * ub[2];
  if (cosine >= ParallelCosine) return 1;
  if (cosine <= -ParallelCosine) return -1;
  return undefined;
}

/**
 * Index of the slice nearest `position`, whatever order the stack runs in; a position beyond
 * either end gives the end slice. Slices without a position are never chosen; undefined when none
 * has one.
 */
export function nearestSlice(positions: readonly (number | undefined)[], position: number): number | undefined {
  let best: number | undefined;
  let bestDistance = Infinity;
  positions.forEach((candidate, index) => {
    if (candidate === undefined) return;
    const distance = Math.abs(candidate - position);
    if (distance < bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}

export interface LinkedStack {
  normal: Vec3;
  /** Position of the slice on screen (source) or of every slice (target), mm along `normal`. */
  positions: readonly (number | undefined)[];
  /** Own position at the linked slice; both stacks need one to follow by offset. */
  anchor?: number;
}

/**
 * Where a target follows a source shown at `sourcePosition`. With both anchors, the target moves
 * from its anchor by the source's distance from its own (the offset recorded at link-here is
 * kept); with neither, the stacks must share a frame of reference and the target goes to the same
 * patient position. Undefined when the planes are not parallel or nothing can be placed.
 */
export function followingSlice(sourceNormal: Vec3, sourcePosition: number, source: { anchor?: number }, target: LinkedStack): number | undefined {
  const sign = parallelSign(sourceNormal, target.normal);
  if (sign === undefined) return undefined;
  const anchored = source.anchor !== undefined && target.anchor !== undefined;
  const wanted = anchored ? target.anchor! + sign * (sourcePosition - source.anchor!) : sign * sourcePosition;
  return nearestSlice(target.positions, wanted);
}
