import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boundaryOf, multipartContentType, parseMultipart, partHeader, writeMultipart } from './multipart';

async function collect(stream: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('multipart framing', () => {
  it('writes the exact RFC 2046 framing: delimiter, headers, blank line, body, CRLF, close delimiter', async () => {
    const out = new PassThrough();
    const done = collect(out);
    await writeMultipart(out, 'B', [
      { headers: { 'Content-Type': 'application/octet-stream' }, open: () => Buffer.from('abc') },
      { headers: { 'Content-Type': 'image/jpeg' }, open: () => Readable.from([Buffer.from('de'), Buffer.from('f')]) },
    ]);
    out.end();
    expect((await done).toString()).toBe(
      '--B\r\nContent-Type: application/octet-stream\r\n\r\nabc\r\n--B\r\nContent-Type: image/jpeg\r\n\r\ndef\r\n--B--\r\n',
    );
  });

  it('round-trips binary bodies that contain CRLF and dashes', async () => {
    const body = Buffer.from([0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff, 0x0d, 0x0a]);
    const out = new PassThrough();
    const done = collect(out);
    await writeMultipart(out, 'xyz', [{ headers: { 'Content-Type': 'application/octet-stream' }, open: () => body }]);
    out.end();
    const parts = parseMultipart(await done, 'xyz');
    expect(parts.length).toBe(1);
    expect(parts[0]?.body.equals(body)).toBe(true);
    expect(parts[0]?.headers['content-type']).toBe('application/octet-stream');
  });

  it('names the part type and boundary in the Content-Type header', () => {
    const header = multipartContentType('b1', 'application/dicom');
    expect(header).toBe('multipart/related; type="application/dicom"; boundary=b1');
    expect(boundaryOf(header)).toBe('b1');
    expect(boundaryOf('multipart/related; boundary="quoted"; type=x')).toBe('quoted');
    expect(partHeader('b1', { A: '1' }).toString()).toBe('--b1\r\nA: 1\r\n\r\n');
  });
});
