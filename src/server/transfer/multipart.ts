/**
 * The two multipart/related shapes a transfer needs: reading the single part of a WADO-RS
 * instance answer, and writing the single part of a STOW-RS request. One instance per request
 * keeps memory bounded by the largest instance, not the study.
 */

/** The boundary parameter of a `multipart/related` content type, unquoted. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/**
 * The body of the first part. Returns undefined when the body has no part under the boundary.
 * Bytes are returned as a fresh ArrayBuffer (dcmjs reads ArrayBuffers, not Node's pooled Buffers).
 */
export function firstPart(body: Buffer, boundary: string): ArrayBuffer | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const start = body.indexOf(delimiter);
  if (start < 0) return undefined;
  const headersEnd = body.indexOf('\r\n\r\n', start + delimiter.length);
  if (headersEnd < 0) return undefined;
  const contentStart = headersEnd + 4;
  const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), contentStart);
  if (next < 0) return undefined;
  const part = body.subarray(contentStart, next);
  return part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength) as ArrayBuffer;
}

/** A STOW-RS body holding one `application/dicom` part. */
export function stowBody(part10: ArrayBuffer, boundary: string): Uint8Array<ArrayBuffer> {
  const head = Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.byteLength + part10.byteLength + tail.byteLength);
  body.set(head, 0);
  body.set(new Uint8Array(part10), head.byteLength);
  body.set(tail, head.byteLength + part10.byteLength);
  return body;
}
