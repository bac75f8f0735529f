/**
 * The folder site sends frames in the syntax they are stored in, cut out of the file by byte
 * offsets (native) or fragments (encapsulated). Checked for every syntax the demo can be written
 * in, against dicom-parser's reading of the same file, and against Orthanc's
 * `transfer-syntax=*` answer where Orthanc 1.10 can give one (it answers 500 for HTJ2K and for
 * deflated files, which the folder site serves).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../contracts/index';
import { ensureDemoData, transcodeFolder, TransferSyntaxes, TransferSyntaxNames } from '../demo/index';
import { startHospitals, type Hospitals } from '../../e2e/hospitals/index';
import { boundaryOf, parseMultipart, startGateway } from './index';

let hospitals: Hospitals;
let orthancRest: string;
const work = mkdtempSync(join(tmpdir(), 'cv-syntaxes-'));
const source = join(work, 'source');

beforeAll(async () => {
  const { dir } = await ensureDemoData();
  // The 8-slice CT of the identity-trap person: small enough to transcode eight times.
  mkdirSync(source);
  const siteA = join(dir, 'site-a');
  for (const name of readdirSync(siteA).filter((n) => n.startsWith('trap-same-demographics-ct'))) copyFileSync(join(siteA, name), join(source, name));
  hospitals = await startHospitals({ siteKeys: ['c'] });
  orthancRest = hospitals.sites[0]!.dicomwebUrl.replace(/\/dicom-web$/, '');
});

afterAll(async () => {
  await hospitals?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function frameParts(url: string): Promise<{ contentType: string; body: Buffer }[]> {
  const res = await fetch(url, { headers: { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' } });
  expect(res.status, url).toBe(200);
  const parts = parseMultipart(Buffer.from(await res.arrayBuffer()), boundaryOf(res.headers.get('content-type') ?? '') ?? '');
  return parts.map((p) => ({ contentType: p.headers['content-type'] ?? '', body: p.body }));
}

const ORTHANC_CANNOT = new Set(['htj2k-lossless', 'deflated']);

/** Frame 1 of a single-frame file, read independently with dicom-parser. */
function referenceFrame(file: string): Buffer {
  const bytes = readFileSync(file);
  const dataSet = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), {
    inflater: (array: Uint8Array, position: number) => {
      const inflated = inflateRawSync(array.subarray(position));
      const full = new Uint8Array(position + inflated.length);
      full.set(array.subarray(0, position));
      full.set(inflated, position);
      return full;
    },
  });
  const pixelData = dataSet.elements.x7fe00010;
  if (!pixelData) throw new Error('referenceFrame: no PixelData');
  if (!pixelData.encapsulatedPixelData) return Buffer.from(dataSet.byteArray.subarray(pixelData.dataOffset, pixelData.dataOffset + pixelData.length));
  return Buffer.from(dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, 0, pixelData.fragments?.length ?? 0));
}

describe('folder site frames in every transfer syntax', () => {
  it.each(TransferSyntaxNames)('serves %s frames exactly as stored, and as Orthanc sends them where it can', async (syntax) => {
    const folder = join(work, syntax);
    const result = await transcodeFolder(source, folder, syntax);
    expect(result.kind, JSON.stringify(result)).toBe('ok');
    const files = readdirSync(folder).filter((n) => n.endsWith('.dcm'));
    const orthancIds: string[] = [];
    for (const name of files) {
      const res = await fetch(`${orthancRest}/instances`, { method: 'POST', body: readFileSync(join(folder, name)) });
      expect(res.status).toBe(200);
      orthancIds.push(((await res.json()) as { ParentStudy: string }).ParentStudy);
    }
    const parsed = parseConfig({ sites: [{ id: 'folder', name: 'Folder', folder: { path: folder }, patientIdIssuer: 'F' }], auth: { mode: 'none' } });
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const gateway = await startGateway({ config: parsed.config, port: 0, log: () => {}, staticDir: '/nonexistent' });
    try {
      const instances = (await (await fetch(`${gateway.url}/sites/folder/dicom-web/instances?includefield=0020000D,0020000E`)).json()) as Record<string, { Value?: string[] }>[];
      expect(instances.length).toBe(files.length);
      // A 16-bit CT cannot be JPEG baseline: the transcoder then keeps explicit VR little endian.
      const stored = result.kind === 'ok' && result.converted === 0 ? 'explicit-le' : syntax;
      const uid = stored === 'deflated' ? TransferSyntaxes['explicit-le'].uid : TransferSyntaxes[stored].uid;
      for (const row of instances) {
        const sop = row['00080018']?.Value?.[0] ?? '';
        const path = `studies/${row['0020000D']?.Value?.[0]}/series/${row['0020000E']?.Value?.[0]}/instances/${sop}/frames/1`;
        const mine = await frameParts(`${gateway.url}/sites/folder/dicom-web/${path}`);
        expect(mine.length).toBe(1);
        expect(mine[0]!.contentType).toContain(`transfer-syntax=${uid}`);
        const file = files.find((name) => readFileSync(join(folder, name)).includes(Buffer.from(sop)));
        expect(mine[0]!.body.equals(referenceFrame(join(folder, file ?? ''))), `${syntax} frame bytes as dicom-parser reads them`).toBe(true);
        if (ORTHANC_CANNOT.has(stored)) continue;
        const theirs = await frameParts(`${hospitals.sites[0]!.dicomwebUrl}/${path}`);
        expect(mine[0]!.body.equals(theirs[0]!.body), `${syntax} frame bytes (${mine[0]!.body.length} vs ${theirs[0]!.body.length})`).toBe(true);
      }
    } finally {
      await gateway.close();
      for (const id of new Set(orthancIds)) await fetch(`${orthancRest}/studies/${id}`, { method: 'DELETE' });
    }
  });
});
