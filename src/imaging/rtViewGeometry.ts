/**
 * The geometry the RT overlay needs between a stack view's canvas and patient space, pure so it is
 * unit-tested without a browser: which slice is nearest a depth, and which patient point lies
 * under a canvas pixel on the slice plane (the inverse of the view's worldToCanvas there, which is
 * affine because stack views project in parallel).
 */
import { add, cross, normalise, scale, type Vec3 } from './rtDataset';

/** Index of the slice whose position (along the slice normal) is nearest `depth`, or -1 when none has one. */
export function nearestSliceIndex(positionOf: (index: number) => number | undefined, count: number, depth: number): number {
  let best = -1;
  let bestDistance = Infinity;
  for (let i = 0; i < count; i++) {
    const position = positionOf(i);
    if (position !== undefined && Math.abs(position - depth) < bestDistance) [best, bestDistance] = [i, Math.abs(position - depth)];
  }
  return best;
}

/** The patient point under canvas (x, y) on the plane {p : p·normal = position}, or undefined when degenerate. */
export function canvasToPlanePoint(worldToCanvas: (p: Vec3) => [number, number], normal: Vec3, position: number, x: number, y: number): Vec3 | undefined {
  const n = normalise(normal);
  if (!n) return undefined;
  const u = normalise(cross(n, Math.abs(n[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0]))!;
  const v = cross(n, u);
  const p0 = scale(n, position);
  const c0 = worldToCanvas(p0);
  const cu = worldToCanvas(add(p0, u));
  const cv = worldToCanvas(add(p0, v));
  const [a11, a21, a12, a22] = [cu[0] - c0[0], cu[1] - c0[1], cv[0] - c0[0], cv[1] - c0[1]];
  const det = a11 * a22 - a12 * a21;
  if (Math.abs(det) < 1e-12) return undefined;
  const [dx, dy] = [x - c0[0], y - c0[1]];
  return add(p0, add(scale(u, (a22 * dx - a12 * dy) / det), scale(v, (a11 * dy - a21 * dx) / det)));
}
