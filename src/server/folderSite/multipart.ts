/**
 * multipart/related framing (RFC 2387) for WADO-RS frames, bulk data and instances. Parts are
 * written one after another with backpressure, so a series of files streams from disk.
 */
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export function newBoundary(): string {
  return `crossview-${randomBytes(12).toString('hex')}`;
}

export function multipartContentType(boundary: string, partType: string): string {
  return `multipart/related; type="${partType}"; boundary=${boundary}`;
}

/** `--boundary CRLF headers CRLF CRLF`: what precedes each part's body. */
export function partHeader(boundary: string, headers: Record<string, string>): Buffer {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return Buffer.from(`--${boundary}\r\n${lines.join('')}\r\n`);
}

/** The CRLF after the last body, then the close delimiter. */
export function closeDelimiter(boundary: string): Buffer {
  return Buffer.from(`--${boundary}--\r\n`);
}

const CRLF = Buffer.from('\r\n');

export interface Part {
  headers: Record<string, string>;
  /** Called when the part is due, so only one part's source is open at a time. */
  open(): Readable | Buffer;
}

function write(out: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.destroyed) {
      reject(new Error('writeMultipart: response closed'));
      return;
    }
    if (out.write(chunk)) resolve();
    else {
      const onDrain = () => {
        out.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        out.off('drain', onDrain);
        reject(new Error('writeMultipart: response closed'));
      };
      out.once('drain', onDrain);
      out.once('close', onClose);
    }
  });
}

/** Writes every part and the close delimiter; does not end `out`. */
export async function writeMultipart(out: Writable, boundary: string, parts: Iterable<Part> | AsyncIterable<Part>): Promise<void> {
  for await (const part of parts) {
    await write(out, partHeader(boundary, part.headers));
    const body = part.open();
    if (Buffer.isBuffer(body)) await write(out, body);
    else await pipeline(body, out, { end: false });
    await write(out, CRLF);
  }
  await write(out, closeDelimiter(boundary));
}

export interface ParsedPart {
  headers: Record<string, string>;
  body: Buffer;
}

/** Splits a whole multipart body (tests and small responses only). */
export function parseMultipart(body: Buffer, boundary: string): ParsedPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: ParsedPart[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const afterDelimiter = pos + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    if (headerEnd < 0) break;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) break;
    const headers: Record<string, string> = {};
    for (const line of body.subarray(afterDelimiter, headerEnd).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: body.subarray(headerEnd + 4, next) });
    pos = next + 2;
  }
  return parts;
}

/** The boundary parameter of a multipart Content-Type header. */
export function boundaryOf(contentType: string): string | undefined {
  return /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)?.slice(1).find(Boolean);
}
