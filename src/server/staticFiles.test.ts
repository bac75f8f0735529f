import { describe, expect, it } from 'vitest';
import { fileFor, isAppRoute, isImmutableAsset, mimeTypeFor } from './staticFiles';

describe('static files', () => {
  it('serves wasm, js and css with the MIME types browsers require', () => {
    expect(mimeTypeFor('/a/codec.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('/assets/index-abc.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('/x.css')).toBe('text/css; charset=utf-8');
  });

  it('sends app routes to index.html but not missing assets', () => {
    expect(isAppRoute('/IHEInvokeImageDisplay')).toBe(true);
    expect(isAppRoute('/patient/abc')).toBe(true);
    expect(isAppRoute('/audit')).toBe(true);
    expect(isAppRoute('/meeting/42')).toBe(true);
    expect(isAppRoute('/assets/missing.js')).toBe(false);
  });

  it('caches only content-hashed assets for long', () => {
    expect(isImmutableAsset('/assets/index-B3xk9QzA.js')).toBe(true);
    expect(isImmutableAsset('/index.html')).toBe(false);
  });

  it('never maps a path outside the static folder', () => {
    expect(fileFor('/srv/dist', '/../etc/passwd')).toBeUndefined();
    expect(fileFor('/srv/dist', '/%2e%2e/%2e%2e/etc/passwd')).toBeUndefined();
    expect(fileFor('/srv/dist', '/assets/a.js')).toBe('/srv/dist/assets/a.js');
  });
});
