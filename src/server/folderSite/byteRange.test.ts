import { describe, expect, it } from 'vitest';
import { frameBoundary, requestedInterval, sliceSegments, type Segment } from './byteRange';

describe('requestedInterval', () => {
  it('reads closed, open-ended and suffix ranges, clamped to the answer', () => {
    expect(requestedInterval('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(requestedInterval('bytes=100-', 1000)).toEqual({ start: 100, end: 999 });
    expect(requestedInterval('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
    expect(requestedInterval('bytes=-10', 1000)).toEqual({ start: 990, end: 999 });
  });
  it('ignores what it cannot serve as one range, so the whole answer goes', () => {
    for (const header of [undefined, '', 'bytes=1000-', 'bytes=5-2', 'bytes=0-1,5-9', 'items=0-1', 'bytes=-', 'bytes=-0']) {
      expect(requestedInterval(header, 1000), String(header)).toBeUndefined();
    }
  });
});

describe('sliceSegments', () => {
  const segments: Segment[] = [
    { kind: 'bytes', bytes: Buffer.from('HEAD') },
    { kind: 'file', offset: 100, length: 10 },
    { kind: 'bytes', bytes: Buffer.from('END') },
  ];
  it('cuts across segment edges, mapping file pieces to their offsets', () => {
    const slice = sliceSegments(segments, { start: 2, end: 15 });
    expect(slice).toEqual([
      { kind: 'bytes', bytes: Buffer.from('AD') },
      { kind: 'file', offset: 100, length: 10 },
      { kind: 'bytes', bytes: Buffer.from('EN') },
    ]);
    expect(sliceSegments(segments, { start: 5, end: 6 })).toEqual([{ kind: 'file', offset: 101, length: 2 }]);
  });
  it('gives the whole answer for the whole interval, nothing outside it', () => {
    expect(sliceSegments(segments, { start: 0, end: 16 })).toEqual(segments);
    expect(sliceSegments(segments, { start: 17, end: 20 })).toEqual([]);
  });
});

describe('frameBoundary', () => {
  it('is the same for the same frame, and differs between frames', () => {
    expect(frameBoundary('1.2.3', 1)).toBe(frameBoundary('1.2.3', 1));
    expect(frameBoundary('1.2.3', 1)).not.toBe(frameBoundary('1.2.3', 2));
    expect(frameBoundary('1.2.3', 1)).toMatch(/^crossview-frame-[0-9a-f]{24}$/);
  });
});
