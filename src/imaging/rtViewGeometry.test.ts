import { describe, expect, it } from 'vitest';
import { canvasToPlanePoint, nearestSliceIndex } from './rtViewGeometry';

describe('RT overlay view geometry', () => {
  it('finds the slice nearest a depth, skipping slices without a position', () => {
    const positions = [10, 8.5, undefined, 5.5, 4];
    expect(nearestSliceIndex((i) => positions[i], positions.length, 6)).toBe(3);
    expect(nearestSliceIndex((i) => positions[i], positions.length, 100)).toBe(0);
    expect(nearestSliceIndex(() => undefined, 3, 0)).toBe(-1);
  });

  it('inverts a zoomed, panned and flipped worldToCanvas on an axial plane', () => {
    // 2 canvas px per mm, x mirrored, y down, offset (300, 200): what a flipped, zoomed stack view does.
    const worldToCanvas = (p: [number, number, number]): [number, number] => [300 - 2 * p[0], 200 + 2 * p[1]];
    const point = canvasToPlanePoint(worldToCanvas, [0, 0, 1], -30, 470.3125, 240.625)!;
    expect(point[0]).toBeCloseTo(-85.15625, 9);
    expect(point[1]).toBeCloseTo(20.3125, 9);
    expect(point[2]).toBeCloseTo(-30, 9);
    expect(worldToCanvas(point)).toEqual([470.3125, 240.625]);
  });

  it('gives no point when the projection is degenerate', () => {
    expect(canvasToPlanePoint(() => [5, 5], [0, 0, 1], 0, 1, 1)).toBeUndefined();
    expect(canvasToPlanePoint(() => [5, 5], [0, 0, 0], 0, 1, 1)).toBeUndefined();
  });
});
