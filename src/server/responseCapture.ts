/**
 * Watches a response on its way out: how it ended (status, whether it was cut short) and, when
 * asked, its body up to a cap, so the audit can read the DICOM JSON the browser was sent. The
 * response's own write/end are wrapped to keep a reference to each chunk; nothing is delayed,
 * copied or changed on the way. Used by the audit (every site answer) and the patient index's tap.
 */
import type { ServerResponse } from 'node:http';

export interface CapturedResponse {
  status: number;
  /** False when the client went away before any header was sent: nothing was disclosed. */
  started: boolean;
  /** The body when it was asked for, complete and under the cap. */
  body?: Buffer;
}

export const DefaultCaptureLimitBytes = 32 * 1024 * 1024;

export function captureResponse(res: ServerResponse, keepBody: boolean, done: (captured: CapturedResponse) => void, limitBytes = DefaultCaptureLimitBytes): void {
  let chunks: Buffer[] | undefined = keepBody ? [] : undefined;
  let size = 0;
  if (chunks) {
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
  }
  let reported = false;
  const report = (finished: boolean) => {
    if (reported) return;
    reported = true;
    const body = finished && chunks ? Buffer.concat(chunks) : undefined;
    chunks = undefined;
    done({ status: res.statusCode, started: res.headersSent, ...(body ? { body } : {}) });
  };
  res.once('finish', () => report(true));
  res.once('close', () => report(false));
}
