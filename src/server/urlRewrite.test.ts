import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createUrlRewriteStream, siteUrlReplacements, UrlRewriter } from './urlRewrite';

const replacements = [{ from: 'http://127.0.0.1:8042/dicom-web', to: 'http://gw:8080/sites/a/dicom-web' }];

function rewriteInPieces(text: string, pieceSizes: number[]): string {
  const rewriter = new UrlRewriter(replacements);
  const out: Buffer[] = [];
  let pos = 0;
  for (const size of pieceSizes) {
    out.push(rewriter.push(Buffer.from(text.slice(pos, pos + size))));
    pos += size;
  }
  out.push(rewriter.push(Buffer.from(text.slice(pos))), rewriter.end());
  return Buffer.concat(out).toString();
}

describe('UrlRewriter', () => {
  const body = '{"BulkDataURI":"http://127.0.0.1:8042/dicom-web/studies/1/bulk"},{"x":"http://127.0.0.1:8042/dicom-web"}';
  const expected = body.replaceAll('http://127.0.0.1:8042/dicom-web', 'http://gw:8080/sites/a/dicom-web');

  it('rewrites every occurrence in one chunk', () => {
    expect(rewriteInPieces(body, [])).toBe(expected);
  });

  it('rewrites a match split across chunks at every possible split point', () => {
    for (let split = 1; split < body.length; split++) {
      expect(rewriteInPieces(body, [split])).toBe(expected);
    }
  });

  it('rewrites when the body arrives one byte at a time', () => {
    expect(rewriteInPieces(body, Array.from({ length: body.length }, () => 1))).toBe(expected);
  });

  it('releases a held-back prefix that turns out not to be a match', () => {
    const text = 'see http://127.0.0.1:80 only';
    expect(rewriteInPieces(text, [23])).toBe(text);
  });

  it('prefers the longer of two patterns starting at the same place', () => {
    const rewriter = new UrlRewriter([
      { from: 'http://h/dicom-web', to: 'A' },
      { from: 'http://h/dicom-web-x', to: 'B' },
    ]);
    const out = Buffer.concat([rewriter.push(Buffer.from('1 http://h/dicom-web')), rewriter.push(Buffer.from('-x 2')), rewriter.end()]);
    expect(out.toString()).toBe('1 B 2');
  });

  it('keeps multi-byte UTF-8 characters intact across chunk boundaries', () => {
    const text = 'Ünïcødé http://127.0.0.1:8042/dicom-web ✓';
    const bytes = Buffer.from(text);
    const rewriter = new UrlRewriter(replacements);
    const out = Buffer.concat([rewriter.push(bytes.subarray(0, 2)), rewriter.push(bytes.subarray(2, 30)), rewriter.push(bytes.subarray(30)), rewriter.end()]);
    expect(out.toString()).toBe('Ünïcødé http://gw:8080/sites/a/dicom-web ✓');
  });
});

describe('createUrlRewriteStream', () => {
  it('rewrites a stream whose chunks split the URL', async () => {
    const chunks = ['[{"u":"http://127.0.0.1:80', '42/dicom-web/x"}]'];
    const out: Buffer[] = [];
    await pipeline(Readable.from(chunks.map((c) => Buffer.from(c))), createUrlRewriteStream(replacements), async (source) => {
      for await (const chunk of source) out.push(chunk as Buffer);
    });
    expect(Buffer.concat(out).toString()).toBe('[{"u":"http://gw:8080/sites/a/dicom-web/x"}]');
  });
});

describe('siteUrlReplacements', () => {
  it('covers the configured base and the Host-derived form', () => {
    const forms = siteUrlReplacements('http://pacs:8042/orthanc/dicom-web/', 'http://gw/sites/a/dicom-web').map((r) => r.from);
    expect(forms).toEqual(['http://pacs:8042/orthanc/dicom-web', 'http://pacs:8042/dicom-web', 'https://pacs:8042/dicom-web']);
  });
});
