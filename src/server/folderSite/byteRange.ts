/**
 * Byte ranges of a single-frame WADO-RS answer (RFC 9110 §14), so a viewer can fetch the first
 * part of a resolution-progressive HTJ2K frame, show it, and fetch the rest. The answer being
 * ranged is the whole multipart body, as a viewer would receive it without a range: the client
 * joins the pieces and reads the multipart framing from the first one. That body must be the same
 * bytes on every request, so the boundary is derived from the frame, not random.
 */
import { createHash } from 'node:crypto';

/** An inclusive byte interval of the answer. */
export interface ByteInterval {
  start: number;
  end: number;
}

/**
 * The one range a `Range` header asks for within `total` bytes: `undefined` when the header is
 * absent, not a single bytes range, or not satisfiable (the whole answer is then sent, which
 * RFC 9110 allows and which every client handles).
 */
export function requestedInterval(header: string | undefined, total: number): ByteInterval | undefined {
  if (!header || total <= 0) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, from, to] = match;
  if (from === '' && to === '') return undefined;
  if (from === '') {
    // Suffix range: the last N bytes.
    const length = Math.min(Number(to), total);
    return length > 0 ? { start: total - length, end: total - 1 } : undefined;
  }
  const start = Number(from);
  if (start >= total) return undefined;
  const end = to === '' ? total - 1 : Math.min(Number(to), total - 1);
  return end >= start ? { start, end } : undefined;
}

/** A stable boundary for one frame of one instance. */
export function frameBoundary(sopInstanceUID: string, frameNumber: number): string {
  return `crossview-frame-${createHash('sha256').update(`${sopInstanceUID}/${frameNumber}`).digest('hex').slice(0, 24)}`;
}

/** One piece of an answer: bytes in memory, or a stretch of a file. */
export type Segment = { kind: 'bytes'; bytes: Buffer } | { kind: 'file'; offset: number; length: number };

export function segmentLength(segment: Segment): number {
  return segment.kind === 'bytes' ? segment.bytes.length : segment.length;
}

/** The parts of `segments` that fall inside `interval`, in order. */
export function sliceSegments(segments: readonly Segment[], interval: ByteInterval): Segment[] {
  const out: Segment[] = [];
  let position = 0;
  for (const segment of segments) {
    const length = segmentLength(segment);
    const from = Math.max(interval.start, position);
    const to = Math.min(interval.end + 1, position + length);
    if (from < to) {
      const a = from - position;
      const b = to - position;
      out.push(segment.kind === 'bytes' ? { kind: 'bytes', bytes: segment.bytes.subarray(a, b) } : { kind: 'file', offset: segment.offset + a, length: b - a });
    }
    position += length;
  }
  return out;
}
