/**
 * A misbehaving hospital for fault tests: a loopback HTTP proxy in front of a real Orthanc that
 * answers late (everything, or only frames), ignores every QIDO matching key (as some servers do)
 * and so returns every study it holds, or cuts frame answers off halfway (a truncated multipart
 * body, as a dropped connection behind a load balancer leaves), or answers frames with a well-formed
 * HTTP 200 whose multipart body is garbage (see `GarbageFrames`). Bounded: it only ever talks to
 * the one loopback target it was given. The `Fault` is read on every request, so a test may change
 * it between steps on one running stack.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  /** Same shape as the target's DICOMweb root, e.g. `http://127.0.0.1:<port>/dicom-web`. */
  dicomwebUrl: string;
  close(): Promise<void>;
}

export interface Fault {
  delayMs?: number;
  /** Delay only WADO-RS frame requests (queries and metadata stay fast). */
  frameDelayMs?: number;
  ignoreQueryKeys?: boolean;
  /** Frame answers end after half their bytes, with the headers of the whole. */
  truncateFrames?: boolean;
  /** Frame answers are 200 with the headers of the whole, and a garbage body (see `GarbageFrames`). */
  garbageFrames?: GarbageFrames;
}

/**
 * How a frame answer is spoiled, as broken servers and middleboxes do:
 * - `random-bytes`: correct multipart framing around 2,000 random bytes (a wrong-length payload);
 * - `mislabelled-syntax`: the frame's own bytes, but the part says JPEG Baseline (native bytes
 *   labelled as a compressed syntax, as a server that rewrites Content-Type without transcoding);
 * - `no-boundary`: the frame's bytes alone, no part headers or delimiters, while the response
 *   still says multipart/related with a boundary.
 */
export type GarbageFrames = 'random-bytes' | 'mislabelled-syntax' | 'no-boundary';

const JpegBaselinePart = 'image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50';

/** The body and Content-Type that `mode` makes of a whole, single-part frame answer. */
export function spoilFrameAnswer(body: Buffer, contentType: string, mode: GarbageFrames): { body: Buffer; contentType: string } {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)?.slice(1).find(Boolean);
  const headerEnd = body.indexOf('\r\n\r\n');
  const end = boundary ? body.indexOf(`\r\n--${boundary}`, headerEnd + 4) : -1;
  if (!boundary || headerEnd < 0 || end < 0) throw new Error('spoilFrameAnswer: the site did not send a single-part multipart answer');
  const payload = body.subarray(headerEnd + 4, end);
  const framed = (partType: string, part: Buffer) => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: ${partType}\r\n\r\n`), part, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const partType = /content-type:\s*([^\r\n]+)/i.exec(body.subarray(0, headerEnd).toString('latin1'))?.[1] ?? 'application/octet-stream';
  switch (mode) {
    case 'random-bytes':
      return { body: framed(partType, randomBytes(2000)), contentType };
    case 'mislabelled-syntax':
      return { body: framed(JpegBaselinePart, payload), contentType: `multipart/related; type="image/jpeg"; boundary=${boundary}` };
    case 'no-boundary':
      return { body: Buffer.from(payload), contentType };
  }
}

const isFrames = (url: string | undefined) => /\/frames\/[\d,]+$/.test(new URL(url ?? '/', 'http://x').pathname);

export async function startFaultProxy(targetDicomwebUrl: string, fault: Fault): Promise<FaultProxy> {
  const target = new URL(targetDicomwebUrl);
  if (!['127.0.0.1', 'localhost'].includes(target.hostname)) throw new Error('startFaultProxy: target must be on loopback');
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const forward = () => {
      const url = new URL(req.url ?? '/', target);
      if (fault.ignoreQueryKeys && req.method === 'GET' && /\/studies$/.test(url.pathname)) url.search = '';
      const headers = { ...req.headers, host: target.host };
      // The body is rewritten below: ask for it uncompressed (Orthanc gzips when the browser allows).
      if (fault.garbageFrames && isFrames(req.url)) delete headers['accept-encoding'];
      const upstream = http.request(url, { method: req.method, headers }, (answer) => {
        const garbage = fault.garbageFrames;
        if (garbage && isFrames(req.url) && answer.statusCode === 200) {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            let spoilt: ReturnType<typeof spoilFrameAnswer>;
            try {
              spoilt = spoilFrameAnswer(Buffer.concat(chunks), answer.headers['content-type'] ?? '', garbage);
            } catch {
              res.destroy();
              return;
            }
            const headers = { ...answer.headers, 'content-type': spoilt.contentType, 'content-length': String(spoilt.body.length) };
            delete headers['transfer-encoding'];
            res.writeHead(200, headers);
            res.end(spoilt.body);
          });
          return;
        }
        if (fault.truncateFrames && isFrames(req.url) && answer.statusCode === 200) {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const body = Buffer.concat(chunks);
            const headers = { ...answer.headers };
            delete headers['content-length'];
            delete headers['transfer-encoding'];
            res.writeHead(200, headers);
            res.end(body.subarray(0, Math.floor(body.length / 2)));
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    const delay = fault.delayMs ?? (isFrames(req.url) ? fault.frameDelayMs : undefined);
    if (delay) {
      const timer = setTimeout(() => (timers.delete(timer), forward()), delay);
      timers.add(timer);
    } else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dicomwebUrl: `http://127.0.0.1:${port}${target.pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        timers.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
