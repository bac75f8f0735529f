/**
 * From patient coordinates to CT pixels, for tests that sample the image where the manifest
 * says the anatomy is. Uses the geometry's orientation, so it holds for any IOP, not only axial.
 */
import type { CtPhantomTruth, Vec3 } from './manifest';

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * Nearest slice (0-based, in position order = InstanceNumber − 1) and pixel (column, row) to a
 * patient-space point. Values outside the volume are returned as they are (negative or ≥ the
 * size), so callers can tell a point that misses the scan.
 *
 * @example
 * const { sliceIndex, column, row } = locateInCt(manifest.ct[0], manifest.ct[0].lesion.centre);
 */
export function locateInCt(truth: CtPhantomTruth, point: Vec3): { sliceIndex: number; column: number; row: number } {
  const g = truth.geometry;
  const [r0, r1, r2, c0, c1, c2] = g.imageOrientationPatient;
  const rowDirection: Vec3 = [r0, r1, r2];
  const columnDirection: Vec3 = [c0, c1, c2];
  const normal: Vec3 = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0];
  const d: Vec3 = [point[0] - g.firstPosition[0], point[1] - g.firstPosition[1], point[2] - g.firstPosition[2]];
  // PixelSpacing is [between rows, between columns]: moving along a row steps by the column spacing.
  const round = (v: number): number => Math.round(v) + 0; // + 0 turns −0 into 0
  return {
    sliceIndex: round(dot(d, normal) / g.sliceStep),
    column: round(dot(d, rowDirection) / g.pixelSpacing[1]),
    row: round(dot(d, columnDirection) / g.pixelSpacing[0]),
  };
}
