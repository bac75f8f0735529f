/**
 * Streaming find-and-replace of a site's own URLs in DICOM JSON bodies. Orthanc writes
 * BulkDataURI / RetrieveURL values from the Host it was asked on; the browser must instead see
 * `<gateway>/sites/:siteId/dicom-web`. Bodies can be many megabytes (series metadata), so this
 * works chunk by chunk on bytes, holding back only a tail that could still become a match.
 */
import { Transform, type TransformCallback } from 'node:stream';

export interface UrlReplacement {
  from: string;
  to: string;
}

interface Pattern {
  from: Buffer;
  to: Buffer;
}

/**
 * Pure core of the transform: feed chunks, get output; `end()` flushes the held-back tail.
 * Matches are found left to right, the longest pattern winning at one position.
 */
export class UrlRewriter {
  private readonly patterns: Pattern[];
  private carry: Buffer = Buffer.alloc(0);

  constructor(replacements: readonly UrlReplacement[]) {
    const unique = new Map<string, string>();
    for (const r of replacements) if (r.from && !unique.has(r.from)) unique.set(r.from, r.to);
    this.patterns = [...unique.entries()]
      .map(([from, to]) => ({ from: Buffer.from(from), to: Buffer.from(to) }))
      .sort((a, b) => b.from.length - a.from.length);
  }

  push(chunk: Buffer): Buffer {
    const buffer = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const out: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const match = this.firstFullMatch(buffer, pos);
      const partial = this.firstPartialAtEnd(buffer, pos);
      if (partial !== undefined && (match === undefined || partial <= match.index)) {
        out.push(buffer.subarray(pos, partial));
        this.carry = Buffer.from(buffer.subarray(partial));
        return Buffer.concat(out);
      }
      if (match === undefined) {
        out.push(buffer.subarray(pos));
        this.carry = Buffer.alloc(0);
        return Buffer.concat(out);
      }
      out.push(buffer.subarray(pos, match.index), match.pattern.to);
      pos = match.index + match.pattern.from.length;
    }
  }

  end(): Buffer {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    return rest;
  }

  private firstFullMatch(buffer: Buffer, from: number): { index: number; pattern: Pattern } | undefined {
    let best: { index: number; pattern: Pattern } | undefined;
    for (const pattern of this.patterns) {
      const index = buffer.indexOf(pattern.from, from);
      // Patterns are sorted longest first, so a tie keeps the longer one.
      if (index >= 0 && (best === undefined || index < best.index)) best = { index, pattern };
    }
    return best;
  }

  /** Earliest position in the tail where the buffer ends part-way through some pattern. */
  private firstPartialAtEnd(buffer: Buffer, from: number): number | undefined {
    const longest = this.patterns[0]?.from.length ?? 0;
    for (let i = Math.max(from, buffer.length - longest + 1); i < buffer.length; i++) {
      const tail = buffer.subarray(i);
      for (const pattern of this.patterns) {
        if (tail.length < pattern.from.length && pattern.from.subarray(0, tail.length).equals(tail)) return i;
      }
    }
    return undefined;
  }
}

/** A Transform stream applying `replacements`; backpressure flows through unchanged. */
export function createUrlRewriteStream(replacements: readonly UrlReplacement[]): Transform {
  const rewriter = new UrlRewriter(replacements);
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      const out = rewriter.push(chunk);
      callback(null, out.length ? out : undefined);
    },
    flush(callback: TransformCallback) {
      const rest = rewriter.end();
      callback(null, rest.length ? rest : undefined);
    },
  });
}

/**
 * The URL forms a DICOMweb server may use for itself: its configured base, and the
 * `http://<host>/dicom-web` form Orthanc builds from the Host header when it sits behind a prefix.
 */
export function siteUrlReplacements(siteBaseUrl: string, gatewayBase: string): UrlReplacement[] {
  const base = siteBaseUrl.replace(/\/+$/, '');
  const url = new URL(base);
  const forms = [base, `http://${url.host}/dicom-web`, `https://${url.host}/dicom-web`];
  return forms.map((from) => ({ from, to: gatewayBase }));
}
