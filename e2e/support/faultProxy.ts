/**
 * A misbehaving hospital for fault tests: a loopback HTTP proxy in front of a real Orthanc that
 * answers late (everything, or only frames), ignores every QIDO matching key (as some servers do)
 * and so returns every study it holds, or cuts frame answers off halfway (a truncated multipart
 * body, as a dropped connection behind a load balancer leaves). Bounded: it only ever talks to
 * the one loopback target it was given.
 */
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
      const upstream = http.request(url, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
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
