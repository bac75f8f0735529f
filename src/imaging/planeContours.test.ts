import { describe, expect, it } from 'vitest';
import { outlineOnPlane, polygonChords } from './planeContours';
import type { Vec3 } from './rtDataset';

/** An axial sphere as a planning system contours it: one 32-gon per slice, `step` mm apart. */
function sphereContours(centre: Vec3, radius: number, step: number) {
  const contours: { points: Float64Array; closed: boolean; planePosition: number }[] = [];
  for (let z = centre[2] - Math.floor(radius / step) * step; z <= centre[2] + radius; z += step) {
    const r = Math.sqrt(Math.max(0, radius ** 2 - (z - centre[2]) ** 2));
    if (r < 0.1) continue;
    const points = new Float64Array(3 * 32);
    for (let k = 0; k < 32; k++) points.set([centre[0] + r * Math.cos((2 * Math.PI * k) / 32), centre[1] + r * Math.sin((2 * Math.PI * k) / 32), z], 3 * k);
    contours.push({ points, closed: true, planePosition: z });
  }
  return contours;
}

const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const key = (p: Vec3) => p.map((v) => v.toFixed(6)).join(',');

describe('structure contours on a plane across them', () => {
  const centre: Vec3 = [-85.15625, 20.3125, -30];
  const sphere = sphereContours(centre, 10, 1.5);

  it('cuts a polygon into its inside chords, even-odd, ordered along the line', () => {
    // A U open to +y: the line y = 5 crosses both arms.
    const u = Float64Array.from([0, 0, 0, 30, 0, 0, 30, 10, 0, 20, 10, 0, 20, 2, 0, 10, 2, 0, 10, 10, 0, 0, 10, 0]);
    const chords = polygonChords(u, [0, 1, 0], 5, [1, 0, 0]);
    expect(chords.map(([a, b]) => [a[0], b[0]])).toEqual([[0, 10], [20, 30]]);
    expect(polygonChords(u, [0, 1, 0], 1, [1, 0, 0]).map(([a, b]) => [a[0], b[0]])).toEqual([[0, 30]]);
    expect(polygonChords(u, [0, 1, 0], 11, [1, 0, 0])).toEqual([]);
  });

  it('draws a sphere on the sagittal plane through its centre as one closed ring on the sphere, with no rungs inside', () => {
    const segments = outlineOnPlane(sphere, [0, 0, 1], [1, 0, 0], centre[0]);
    expect(segments.length).toBeGreaterThan(20);
    // Every end sits on the sphere (the 32-gon lies within 0.05 mm of it) and in the plane.
    for (const end of segments.flat()) {
      expect(Math.abs(distance(end, centre) - 10)).toBeLessThan(0.06);
      expect(end[0]).toBeCloseTo(centre[0], 9);
    }
    // Nothing crosses the inside: a rung through the middle would have its midpoint near the centre.
    for (const [a, b] of segments) expect(distance([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2], centre)).toBeGreaterThan(8.5);
    // Closed: every end is shared by exactly two segments.
    const degree = new Map<string, number>();
    for (const end of segments.flat()) degree.set(key(end), (degree.get(key(end)) ?? 0) + 1);
    expect([...degree.values()].every((d) => d === 2)).toBe(true);
    // It reaches the top and bottom contour slices (z ± 9 mm here) and both sides (y ± 10).
    const zs = segments.flat().map((p) => p[2] - centre[2]);
    const ys = segments.flat().map((p) => p[1] - centre[1]);
    expect([Math.min(...zs), Math.max(...zs)]).toEqual([-9, 9]);
    expect(Math.min(...ys)).toBeCloseTo(-10, 1);
    expect(Math.max(...ys)).toBeCloseTo(10, 1);
  });

  it('off centre gives the smaller circle of the cut; a plane past the sphere or parallel to the contours gives nothing', () => {
    const segments = outlineOnPlane(sphere, [0, 0, 1], [0, 1, 0], centre[1] + 6);
    for (const end of segments.flat()) expect(Math.hypot(end[0] - centre[0], end[2] - centre[2])).toBeGreaterThan(7.5);
    expect(Math.max(...segments.flat().map((p) => p[0] - centre[0]))).toBeCloseTo(8, 1);
    expect(outlineOnPlane(sphere, [0, 0, 1], [1, 0, 0], centre[0] + 10.5)).toEqual([]);
    expect(outlineOnPlane(sphere, [0, 0, 1], [0, 0, 1], centre[2])).toEqual([]);
    expect(outlineOnPlane(sphere, [0, 0, 1], [0, 0, 0], centre[2])).toEqual([]);
  });

  it('keeps two parts apart where contour slices are missing between them: each is capped, none joined across', () => {
    const two = [...sphereContours([0, 0, 0], 5, 1), ...sphereContours([0, 0, 20], 5, 1)];
    const segments = outlineOnPlane(two, [0, 0, 1], [1, 0, 0], 0);
    expect(segments.length).toBeGreaterThan(10);
    for (const [a, b] of segments) expect((a[2] < 10) === (b[2] < 10)).toBe(true);
  });
});
