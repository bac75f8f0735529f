import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFolderSite, type FolderSite } from './index';
import { boundaryOf, parseMultipart } from './multipart';
import { standardFixtures, writeFixtures } from './testFixtures';

let dir: string;
let site: FolderSite;
let server: http.Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cv-folder-'));
  writeFixtures(dir, standardFixtures());
  site = await createFolderSite(dir);
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const at = url.includes('?') ? url.indexOf('?') : url.length;
    void site.handle(req, res, { subPath: url.slice(1, at), search: url.slice(at), base: 'http://gw/sites/t/dicom-web', siteId: 't', siteName: 'Test' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function qido(path: string): Promise<Record<string, { Value?: unknown[] }>[]> {
  const res = await fetch(`${base}/${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, { Value?: unknown[] }>[];
}
const uidsOf = (rows: Record<string, { Value?: unknown[] }>[], tag: string) => rows.map((r) => r[tag]?.Value?.[0]).sort();

describe('folder site QIDO-RS', () => {
  it('indexes every file', () => {
    expect(site.instanceCount).toBe(5);
    expect(site.studyCount).toBe(3);
  });

  it('finds studies by OtherPatientIDs tag, matching any of its values', async () => {
    expect(uidsOf(await qido('studies?00101000=9434765919'), '0020000D')).toEqual(['1.2.3.1', '1.2.3.2']);
    expect(uidsOf(await qido('studies?00101000=OLD77'), '0020000D')).toEqual(['1.2.3.1']);
  });

  it('matches PatientName wildcards case-insensitively', async () => {
    expect(uidsOf(await qido('studies?PatientName=hart*'), '0020000D')).toEqual(['1.2.3.1', '1.2.3.2', '1.2.3.3']);
    expect(uidsOf(await qido('studies?PatientName=HARTLEY^A?n*'), '0020000D')).toEqual(['1.2.3.1', '1.2.3.2']);
    expect(await qido('studies?PatientName=Hartley')).toEqual([]);
  });

  it('matches StudyDate ranges, open at either end', async () => {
    expect(uidsOf(await qido('studies?StudyDate=20240101-20240228'), '0020000D')).toEqual(['1.2.3.1']);
    expect(uidsOf(await qido('studies?StudyDate=20240101-'), '0020000D')).toEqual(['1.2.3.1', '1.2.3.3']);
    expect(uidsOf(await qido('studies?StudyDate=-20231231'), '0020000D')).toEqual(['1.2.3.2']);
  });

  it('matches PatientID with IssuerOfPatientID, ModalitiesInStudy and a UID list', async () => {
    expect(uidsOf(await qido('studies?PatientID=NCC001&IssuerOfPatientID=NCC'), '0020000D')).toEqual(['1.2.3.1', '1.2.3.2']);
    expect(uidsOf(await qido('studies?PatientID=NCC001&IssuerOfPatientID=OTHER'), '0020000D')).toEqual([]);
    expect(uidsOf(await qido('studies?ModalitiesInStudy=SR'), '0020000D')).toEqual(['1.2.3.1']);
    expect(uidsOf(await qido('studies?StudyInstanceUID=1.2.3.2,1.2.3.3'), '0020000D')).toEqual(['1.2.3.2', '1.2.3.3']);
  });

  it('returns the default study attributes with computed counts', async () => {
    const [study] = await qido('studies?StudyInstanceUID=1.2.3.1');
    expect(study?.['00201206']?.Value).toEqual([2]);
    expect(study?.['00201208']?.Value).toEqual([3]);
    expect(study?.['00080061']?.Value).toEqual(['CT', 'SR']);
    expect(study?.['00081190']?.Value).toEqual(['http://gw/sites/t/dicom-web/studies/1.2.3.1']);
    expect(study?.['00100010']?.Value).toEqual([{ Alphabetic: 'Hartley^Ann^^Mrs' }]);
    expect(study?.['00100021']).toBeUndefined();
  });

  it('adds includefield attributes by keyword or tag', async () => {
    const [study] = await qido('studies?StudyInstanceUID=1.2.3.3&includefield=IssuerOfPatientID,00101000');
    expect(study?.['00100021']?.Value).toEqual(['NCC']);
    expect(study?.['00101000']?.Value).toEqual(['4010232137']);
  });

  it('lists series and instances with limit and offset', async () => {
    expect(uidsOf(await qido('studies/1.2.3.1/series'), '0020000E')).toEqual(['1.2.3.1.1', '1.2.3.1.2']);
    expect(uidsOf(await qido('series?Modality=CT'), '0020000E')).toEqual(['1.2.3.1.1', '1.2.3.3.1']);
    const instances = await qido('studies/1.2.3.1/series/1.2.3.1.1/instances');
    expect(instances.map((r) => r['00080018']?.Value?.[0])).toEqual(['1.2.3.1.1.2', '1.2.3.1.1.1']);
    expect((await qido('instances?limit=2&offset=1')).length).toBe(2);
  });

  it('answers unknown studies and query keys with a JSON error naming the site', async () => {
    const res = await fetch(`${base}/studies/9.9.9/metadata`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Unknown study', siteId: 't', siteName: 'Test' });
    expect((await fetch(`${base}/studies?NoSuchKeyword=1`)).status).toBe(400);
  });

  it('answers a search inside a study it does not hold with no matches, as Orthanc does', async () => {
    const res = await fetch(`${base}/studies/9.9.9/series?Modality=SR`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });
});

describe('folder site WADO-RS', () => {
  it('serves metadata with PixelData as a BulkDataURI through the gateway and the transfer syntax', async () => {
    const rows = await qido('studies/1.2.3.1/series/1.2.3.1.1/metadata');
    expect(rows.length).toBe(2);
    const first = rows[0] as Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>;
    expect(first['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: 'http://gw/sites/t/dicom-web/studies/1.2.3.1/series/1.2.3.1.1/instances/1.2.3.1.1.2/bulk/7FE00010' });
    expect(first['00020010']?.Value).toEqual(['1.2.840.10008.1.2.1']);
  });

  it('serves chosen frames of a native multi-frame instance as separate parts', async () => {
    const res = await fetch(`${base}/studies/1.2.3.1/series/1.2.3.1.1/instances/1.2.3.1.1.2/frames/3,1`, {
      headers: { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' },
    });
    expect(res.status).toBe(200);
    const contentType = res.headers.get('content-type') ?? '';
    expect(contentType).toMatch(/^multipart\/related; type="application\/octet-stream"/);
    const parts = parseMultipart(Buffer.from(await res.arrayBuffer()), boundaryOf(contentType) ?? '');
    expect(parts.map((p) => p.headers['content-type'])).toEqual([
      'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1',
      'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1',
    ]);
    expect(parts.map((p) => [p.body.length, p.body.readUInt16LE(0)])).toEqual([[32, 3], [32, 1]]);
  });

  it('serves one frame whole or in byte ranges that join to the same body', async () => {
    const url = `${base}/studies/1.2.3.1/series/1.2.3.1.1/instances/1.2.3.1.1.2/frames/2`;
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const body = Buffer.from(await whole.arrayBuffer());
    expect(Number(whole.headers.get('content-length'))).toBe(body.length);
    const [part] = parseMultipart(body, boundaryOf(whole.headers.get('content-type') ?? '') ?? '');
    expect([part?.body.length, part?.body.readUInt16LE(0)]).toEqual([32, 2]);

    const first = await fetch(url, { headers: { range: 'bytes=0-99' } });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-99/${body.length}`);
    const rest = await fetch(url, { headers: { range: 'bytes=100-' } });
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes 100-${body.length - 1}/${body.length}`);
    const joined = Buffer.concat([Buffer.from(await first.arrayBuffer()), Buffer.from(await rest.arrayBuffer())]);
    expect(joined.equals(body)).toBe(true);
  });

  it('rejects a frame number past the end', async () => {
    const res = await fetch(`${base}/studies/1.2.3.1/series/1.2.3.1.1/instances/1.2.3.1.1.2/frames/4`);
    expect(res.status).toBe(400);
  });

  it('retrieves an instance as the stored file', async () => {
    const res = await fetch(`${base}/studies/1.2.3.2/series/1.2.3.2.1/instances/1.2.3.2.1.1`);
    const parts = parseMultipart(Buffer.from(await res.arrayBuffer()), boundaryOf(res.headers.get('content-type') ?? '') ?? '');
    expect(parts.length).toBe(1);
    expect(parts[0]?.body.toString('latin1', 128, 132)).toBe('DICM');
  });
});
