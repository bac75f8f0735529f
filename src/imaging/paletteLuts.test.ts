import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlinePaletteTables, paletteTablesMissing } from './paletteLuts';

/** A tiny DICOMweb site answering bulk data as single-part multipart/related, and logging requests. */
let server: Server;
let root: string;
const requested: string[] = [];
const table = (first: number) => Buffer.from(new Uint16Array([first, first + 0x0101, 0xffff]).buffer);

beforeAll(async () => {
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    const tag = /\/bulk\/(0028120[123])$/.exec(req.url ?? '')?.[1];
    if (!tag) {
      res.writeHead(404).end();
      return;
    }
    const body = Buffer.concat([Buffer.from('--b\r\nContent-Type: application/octet-stream\r\n\r\n'), table(Number(tag.slice(-1)) * 0x1000), Buffer.from('\r\n--b--\r\n')]);
    res.writeHead(200, { 'Content-Type': 'multipart/related; type="application/octet-stream"; boundary=b' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function register(sop: string, tables: Record<string, object>, photometric = 'PALETTE COLOR'): string {
  const instance = `${root}/studies/1.2/series/1.2.3/instances/${sop}`;
  const imageId = `wadors:${instance}/frames/1`;
  wadors.metaDataManager.add(imageId, { '00280004': { vr: 'CS', Value: [photometric] }, ...tables } as never);
  return imageId;
}

const valuesOf = (imageId: string, tag: string) => (wadors.metaDataManager.get(imageId) as unknown as Record<string, { Value?: unknown[] }>)[tag]?.Value;

describe('palette lookup tables for WADO-RS images', () => {
  it('fetches tables sent as bulk data from the image site and puts their words inline', async () => {
    const imageId = register('1.1', {
      '00281201': { vr: 'OW', BulkDataURI: `${root}/studies/1.2/series/1.2.3/instances/1.1/bulk/00281201` },
      '00281202': { vr: 'OW', BulkDataURI: `${root}/studies/1.2/series/1.2.3/instances/1.1/bulk/00281202` },
      '00281203': { vr: 'OW', BulkDataURI: `${root}/studies/1.2/series/1.2.3/instances/1.1/bulk/00281203` },
    });
    expect(paletteTablesMissing(imageId)).toBe(true);
    await inlinePaletteTables(imageId);
    expect(valuesOf(imageId, '00281201')).toEqual([0x1000, 0x1101, 0xffff]);
    expect(valuesOf(imageId, '00281203')).toEqual([0x3000, 0x3101, 0xffff]);
    expect(paletteTablesMissing(imageId)).toBe(false);
  });

  it('decodes InlineBinary tables without a request', async () => {
    const before = requested.length;
    const inline = (first: number) => ({ vr: 'OW', InlineBinary: table(first).toString('base64') });
    const imageId = register('1.2', { '00281201': inline(0x10), '00281202': inline(0x20), '00281203': inline(0x30) });
    await inlinePaletteTables(imageId);
    expect(valuesOf(imageId, '00281202')).toEqual([0x20, 0x0121, 0xffff]);
    expect(requested.length).toBe(before);
  });

  it('never follows a bulk data URI off the image site: it asks the instance for the table instead', async () => {
    const imageId = register('1.3', {
      '00281201': { vr: 'OW', BulkDataURI: 'http://elsewhere.invalid/steal/00281201' },
      '00281202': { vr: 'OW', BulkDataURI: `${root}/studies/1.2/series/1.2.3/instances/1.3/bulk/00281202` },
      '00281203': { vr: 'OW', BulkDataURI: `${root}/studies/1.2/series/1.2.3/instances/1.3/bulk/00281203` },
    });
    await inlinePaletteTables(imageId);
    expect(requested).toContain('/dicom-web/studies/1.2/series/1.2.3/instances/1.3/bulk/00281201');
    expect(valuesOf(imageId, '00281201')).toEqual([0x1000, 0x1101, 0xffff]);
  });

  it('leaves other images alone', () => {
    const imageId = register('1.4', { '00281201': { vr: 'OW', BulkDataURI: `${root}/x` } }, 'RGB');
    expect(paletteTablesMissing(imageId)).toBe(false);
  });
});
