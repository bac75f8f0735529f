/**
 * Serving the built single-page app. Vite puts content-hashed files under `assets/`, so those
 * may be cached for a year; `index.html` must always be revalidated so a new build is picked up.
 * App routes fall back to `index.html`; a missing asset is a plain 404 (never HTML, which would
 * confuse a module or wasm loader).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

export function mimeTypeFor(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Routes the browser app owns (DESIGN.md "Contracts"): these get index.html. */
export function isAppRoute(pathname: string): boolean {
  return (
    pathname === '/' ||
    pathname === '/index.html' ||
    pathname === '/IHEInvokeImageDisplay' ||
    pathname === '/audit' ||
    pathname.startsWith('/patient/') ||
    pathname.startsWith('/meeting/')
  );
}

/** Vite's hashed output (`assets/index-3f2a1b9c.js`) never changes under one name. */
export function isImmutableAsset(pathname: string): boolean {
  return pathname.startsWith('/assets/') && /[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(pathname);
}

/** Maps a URL path to a file inside `root`, or undefined when it would escape it. */
export function fileFor(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const full = normalize(join(root, decoded));
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : undefined;
}

export function createStaticHandler(staticDir: string): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> {
  const root = resolve(staticDir);
  return async (req, res, pathname) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const indexFile = join(root, 'index.html');
    if (!existsSync(indexFile)) {
      const status = isAppRoute(pathname) ? 503 : 404;
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Crossview\'s web app has not been built yet: run `npm run build` (or `npm start`, which builds first).\n');
      return;
    }
    let file = fileFor(root, pathname);
    if (file && (!existsSync(file) || !statSync(file).isFile())) file = undefined;
    if (!file && isAppRoute(pathname)) file = indexFile;
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const stat = statSync(file);
    res.writeHead(200, {
      'Content-Type': mimeTypeFor(file),
      'Content-Length': stat.size,
      'Cache-Control': isImmutableAsset(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Last-Modified': stat.mtime.toUTCString(),
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(file), res).catch(() => res.destroy());
  };
}
