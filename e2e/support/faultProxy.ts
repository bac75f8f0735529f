/**
 * A misbehaving hospital for fault tests: a loopback HTTP proxy in front of a real Orthanc that
 * answers late, or ignores every QIDO matching key (as some servers do) and so returns every
 * study it holds. Bounded: it only ever talks to the one loopback target it was given.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  /** Same shape as the target's DICOMweb root, e.g. `http://127.0.0.1:<port>/dicom-web`. */
  dicomwebUrl: string;
  close(): Promise<void>;
}

export async function startFaultProxy(targetDicomwebUrl: string, fault: { delayMs?: number; ignoreQueryKeys?: boolean }): Promise<FaultProxy> {
  const target = new URL(targetDicomwebUrl);
  if (!['127.0.0.1', 'localhost'].includes(target.hostname)) throw new Error('startFaultProxy: target must be on loopback');
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const forward = () => {
      const url = new URL(req.url ?? '/', target);
      if (fault.ignoreQueryKeys && req.method === 'GET' && /\/studies$/.test(url.pathname)) url.search = '';
      const upstream = http.request(url, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (fault.delayMs) {
      const timer = setTimeout(() => (timers.delete(timer), forward()), fault.delayMs);
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
