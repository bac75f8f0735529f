/**
 * The proxy tap: DICOM JSON the gateway sends a browser (WADO-RS metadata, QIDO-RS studies)
 * also feeds the patient index. The response's own write/end are wrapped to keep a reference
 * to each chunk as it goes out; nothing is delayed, copied or changed on the way. Once the
 * response has finished, and only if it succeeded, the body is parsed on a later turn of the
 * event loop. Bodies over the cap are dropped from the tap (the browser still gets them).
 */
import type { ServerResponse } from 'node:http';
import type { DicomJsonDataset } from './record';

export type TapKind = 'metadata' | 'query';

/** Which site sub-paths are tapped: any WADO-RS metadata, and QIDO-RS at study level. */
export function tapKindFor(method: string | undefined, subPath: string): TapKind | undefined {
  if (method !== 'GET') return undefined;
  const path = subPath.replace(/\/+$/, '');
  if (/^studies\/[^/]+(\/series\/[^/]+(\/instances\/[^/]+)?)?\/metadata$/.test(path)) return 'metadata';
  if (path === 'studies') return 'query';
  return undefined;
}

export const DefaultTapLimitBytes = 32 * 1024 * 1024;

/**
 * Wraps `res` so that, after a 200 answer has been sent whole, `ingest` gets its datasets.
 * Errors in parsing or ingesting are swallowed: the index is a helper, never a reason to fail.
 */
export function tapResponse(res: ServerResponse, ingest: (datasets: DicomJsonDataset[]) => Promise<void> | void, limitBytes = DefaultTapLimitBytes): void {
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (!chunks || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
          : undefined;
    if (!buffer) return;
    size += buffer.length;
    if (size > limitBytes) chunks = undefined;
    else chunks.push(buffer);
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, ...args: Parameters<ServerResponse['write']>) {
    keep(args[0], args[1]);
    return write.apply(this, args);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, ...args: Parameters<ServerResponse['end']>) {
    keep(args[0], args[1]);
    return end.apply(this, args);
  } as ServerResponse['end'];
  res.once('finish', () => {
    const body = chunks;
    chunks = undefined;
    if (!body || res.statusCode !== 200) return;
    setImmediate(() => {
      try {
        const json = JSON.parse(Buffer.concat(body).toString('utf8')) as unknown;
        const datasets = Array.isArray(json) ? json.filter((d): d is DicomJsonDataset => typeof d === 'object' && d !== null) : [];
        if (datasets.length) Promise.resolve(ingest(datasets)).catch(() => undefined);
      } catch {
        // Not JSON (or cut short): nothing to learn.
      }
    });
  });
}
