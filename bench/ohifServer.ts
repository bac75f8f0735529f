/**
 * A tiny same-origin host for the published OHIF build: its `dist/` from the site root (any path
 * that is not a file gets `index.html`, as OHIF's own `serve.json` asks), and `/dicom-web/*`
 * proxied to one Orthanc's DICOMweb root. The browser's Host header is passed on so the URLs
 * Orthanc writes into metadata (BulkDataURI) point back at this origin.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const Types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface OhifServer {
  url: string;
  close(): Promise<void>;
}

export async function startOhifServer(distDir: string, orthancDicomweb: string): Promise<OhifServer> {
  const target = new URL(orthancDicomweb);
  if (!['127.0.0.1', 'localhost'].includes(target.hostname)) throw new Error('startOhifServer: Orthanc must be on loopback');
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (path === '/dicom-web' || path.startsWith('/dicom-web/')) {
      const url = new URL(req.url!.replace(/^\/dicom-web/, target.pathname), target);
      const upstream = http.request(url, { method: req.method, headers: req.headers, agent }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
      return;
    }
    const file = normalize(join(distDir, path));
    const send = (name: string) => {
      res.writeHead(200, { 'content-type': Types[extname(name)] ?? 'application/octet-stream' });
      createReadStream(name).pipe(res);
    };
    if (!file.startsWith(distDir)) return void res.writeHead(403).end();
    stat(file).then(
      (s) => send(s.isFile() ? file : join(distDir, 'index.html')),
      () => send(join(distDir, 'index.html')),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => r());
      }),
  };
}
