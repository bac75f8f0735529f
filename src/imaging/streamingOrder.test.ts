import { describe, expect, it } from 'vitest';
import { streamingOrder } from './streamingOrder';

describe('streamingOrder', () => {
  it('fetches the slice on screen first and every slice exactly once', () => {
    const order = streamingOrder(220, 110);
    expect(order[0]).toBe(110);
    expect(order).toHaveLength(220);
    expect(new Set(order).size).toBe(220);
  });

  it('covers the whole extent coarsely before filling neighbours', () => {
    const order = streamingOrder(220, 110);
    const coarse = order.slice(0, 1 + Math.floor(110 / 8) + Math.floor(109 / 8));
    expect(Math.min(...coarse)).toBeLessThanOrEqual(8);
    expect(Math.max(...coarse)).toBeGreaterThanOrEqual(211);
    expect(coarse.every((i) => (i - 110) % 8 === 0)).toBe(true);
    // The neighbour of the slice on screen comes only in the last, finest pass.
    expect(order.indexOf(111)).toBeGreaterThan(order.indexOf(218));
  });

  it('goes outward within a pass and clamps a start outside the series', () => {
    expect(streamingOrder(5, 2, [1])).toEqual([2, 3, 1, 4, 0]);
    expect(streamingOrder(3, 10, [1])).toEqual([2, 1, 0]);
    expect(streamingOrder(0, 0)).toEqual([]);
    expect(streamingOrder(4, 0, [2])).toEqual([0, 2, 1, 3]);
  });
});
