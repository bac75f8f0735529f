import { describe, expect, it } from 'vitest';
import { followingSlice, nearestSlice, parallelSign, type Vec3 } from './scrollLink';

const up: Vec3 = [0, 0, 1];
const down: Vec3 = [0, 0, -1];
const sagittal: Vec3 = [-1, 0, 0];

/** Positions of a stack as the viewer orders it: furthest along the normal first. */
function headFirst(first: number, step: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + (count - 1 - i) * step);
}

describe('parallelSign', () => {
  it('tells same, opposite and crossing slice normals apart', () => {
    expect(parallelSign(up, [0, 0, 2])).toBe(1);
    expect(parallelSign(up, down)).toBe(-1);
    expect(parallelSign(up, sagittal)).toBeUndefined();
    // A gantry tilt of 0.5° is still parallel; 5° is not.
    const tilt = (deg: number): Vec3 => [0, Math.sin((deg * Math.PI) / 180), Math.cos((deg * Math.PI) / 180)];
    expect(parallelSign(up, tilt(0.5))).toBe(1);
    expect(parallelSign(up, tilt(5))).toBeUndefined();
    expect(parallelSign(up, [0, 0, 0])).toBeUndefined();
  });
});

describe('nearestSlice', () => {
  it('picks the nearest slice in either order and clamps beyond the ends', () => {
    const positions = headFirst(-100, 2.5, 120); // index 0 at +197.5, index 119 at −100
    expect(nearestSlice(positions, 197.5)).toBe(0);
    expect(nearestSlice(positions, 100.4)).toBe(39); // 100 is index 39
    expect(nearestSlice(positions, 1000)).toBe(0);
    expect(nearestSlice(positions, -1000)).toBe(119);
    const feetFirst = [...positions].reverse();
    expect(nearestSlice(feetFirst, 100.4)).toBe(80);
    expect(nearestSlice(feetFirst, 1000)).toBe(119);
  });

  it('never picks a slice without a position', () => {
    expect(nearestSlice([undefined, 10, undefined], 0)).toBe(1);
    expect(nearestSlice([undefined, undefined], 0)).toBeUndefined();
  });
});

describe('followingSlice', () => {
  // The demo's pair: current 220 × 1.5 mm, prior 120 × 2.5 mm 400 mm further up the bore.
  const current = { normal: up, positions: headFirst(-141, 1.5, 220) };
  const prior = { normal: up, positions: headFirst(259, 2.5, 120) };

  it('in one frame of reference goes to the same patient position, to the nearest slice', () => {
    const sameFor = { normal: up, positions: headFirst(-141, 2.5, 132) };
    // Current index 94 lies at −141 + 125 × 1.5 = 46.5 mm; the 2.5 mm stack has 46.5 − (−141) = 187.5 → 75 steps.
    const index = followingSlice(up, current.positions[94]!, {}, sameFor)!;
    expect(sameFor.positions[index]).toBe(46.5);
    // 47.9 is nearer 49 than 46.5.
    expect(sameFor.positions[followingSlice(up, 47.9, {}, sameFor)!]).toBe(49);
  });

  it('across frames of reference keeps the offset recorded at the link: 20 mm of anatomy is 20 mm in the other stack', () => {
    const currentAnchor = current.positions[94]!;
    const priorAnchor = prior.positions[52]!;
    const follow = (currentIndex: number) =>
      followingSlice(up, current.positions[currentIndex]!, { anchor: currentAnchor }, { ...prior, anchor: priorAnchor })!;
    expect(follow(94)).toBe(52);
    // 13 slices of 1.5 mm towards the feet = 19.5 mm; the prior's nearest is 8 slices of 2.5 mm = 20 mm.
    const moved = follow(94 + 13);
    expect(prior.positions[52]! - prior.positions[moved]!).toBe(20);
    expect(Math.abs(prior.positions[52]! - prior.positions[moved]! - 19.5)).toBeLessThanOrEqual(1.25);
    // Towards the head as well.
    expect(prior.positions[follow(94 - 20)]! - prior.positions[52]!).toBe(30);
  });

  it('clamps at the ends of the target when the source goes beyond its anatomy', () => {
    const follow = (currentIndex: number) =>
      followingSlice(up, current.positions[currentIndex]!, { anchor: current.positions[94]! }, { ...prior, anchor: prior.positions[52]! })!;
    expect(follow(0)).toBe(0); // 141 mm up: the prior has only 130 mm above its anchor
    expect(follow(219)).toBe(119);
  });

  it('follows a target whose normal points the other way (positions flip sign)', () => {
    // The same slices described with the opposite normal: every position is negated.
    const flipped = { normal: down, positions: prior.positions.map((p) => -p!) };
    const plain = followingSlice(up, current.positions[100]!, { anchor: current.positions[94]! }, { ...prior, anchor: prior.positions[52]! });
    const reversed = followingSlice(up, current.positions[100]!, { anchor: current.positions[94]! }, { ...flipped, anchor: flipped.positions[52]! });
    expect(reversed).toBe(plain);
    expect(plain).not.toBe(52);
    // One frame of reference, opposite normals: same patient z.
    const sameFor = { normal: down, positions: headFirst(-141, 2.5, 132).map((p) => -p) };
    expect(-sameFor.positions[followingSlice(up, 46.5, {}, sameFor)!]!).toBe(46.5);
  });

  it('does not follow across crossing planes, nor by offset with only one anchor', () => {
    expect(followingSlice(up, 0, {}, { normal: sagittal, positions: [0, 1, 2] })).toBeUndefined();
    // Without the source anchor it is a same-frame lookup, not an offset one.
    const oneAnchor = followingSlice(up, current.positions[94]!, {}, { ...prior, anchor: prior.positions[52]! });
    expect(oneAnchor).toBe(nearestSlice(prior.positions, current.positions[94]!));
  });
});
