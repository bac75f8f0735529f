import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePart10 } from './dicomFile';
import { decodeHtj2kFile } from './htj2k';
import type { DemoManifest } from './manifest';
import { generateSmallDemo, makeTempDir, pixelWords, readDataset, removeTempDirs, str } from './testFixtures';
import { transcodeFolder } from './transcode';
import { TransferSyntaxes, TransferSyntaxNames, type TransferSyntaxName } from './transferSyntaxes';

const run = promisify(execFile);

let input = '';
let manifest: DemoManifest;
const ctSlice = join('site-a', 'ct-current-ct-0002.dcm');
const unchanged = [join('site-a', 'ct-current-sr-0001.dcm'), join('site-a', 'ct-current-rtstruct-0001.dcm'), join('site-b', 'ct-prior-pdf-0001.dcm')];
const ultrasound = join('site-c', 'us-abdomen-us-0001.dcm');

beforeAll(async () => {
  const demo = await generateSmallDemo(1, { current: 3, prior: 2 });
  manifest = demo.manifest;
  // A small folder with one object of each kind keeps eight transcodes quick.
  input = await makeTempDir('crossview-transcode-in-');
  for (const rel of [ctSlice, ...unchanged, ultrasound, 'manifest.json']) {
    await mkdir(join(input, rel, '..'), { recursive: true });
    await copyFile(join(demo.dir, rel), join(input, rel));
  }
}, 60_000);
afterAll(removeTempDirs);

/** Decodes with a tool other than the one that encoded, where Debian has one. */
async function nativeWords(syntax: TransferSyntaxName, file: string, work: string): Promise<Uint16Array> {
  const out = join(work, `${syntax}.native.dcm`);
  switch (syntax) {
    case 'explicit-le':
    case 'jpeg-baseline':
    case 'deflated':
      return pixelWords((await readDataset(file)).dataset);
    case 'rle':
      await run('dcmdrle', [file, out]);
      break;
    case 'jpeg-lossless-sv1':
    case 'jpeg-ls-lossless':
    case 'j2k-lossless':
      await run('gdcmconv', ['--raw', file, out]);
      break;
    case 'htj2k-lossless': {
      const r = await decodeHtj2kFile(file, out, work, 'roundtrip');
      expect(r.kind).toBe('ok');
      break;
    }
  }
  return pixelWords(decodePart10(new Uint8Array(await readFile(out))).dataset);
}

describe('transcodeFolder', () => {
  for (const syntax of TransferSyntaxNames) {
    it(`${syntax}: writes ${TransferSyntaxes[syntax].uid}, round-trips CT pixels exactly and copies non-images unchanged`, async () => {
      const output = await makeTempDir(`crossview-transcode-${syntax}-`);
      const result = await transcodeFolder(input, output, syntax);
      if (result.kind !== 'ok') throw new Error(`transcode failed: ${JSON.stringify(result)}`);
      expect(result.transferSyntaxUID).toBe(TransferSyntaxes[syntax].uid);

      const original = pixelWords((await readDataset(join(input, ctSlice))).dataset);
      const { transferSyntaxUID } = await readDataset(join(output, ctSlice));
      if (syntax === 'jpeg-baseline') {
        // 12-bit CT cannot be JPEG baseline: left as it was, and said so.
        expect(result.unsupported.map((u) => u.file)).toEqual([ctSlice]);
        expect(transferSyntaxUID).toBe(TransferSyntaxes['explicit-le'].uid);
      } else {
        expect(result.unsupported).toEqual([]);
        expect(transferSyntaxUID).toBe(TransferSyntaxes[syntax].uid);
      }
      const decoded = await nativeWords(syntax, join(output, ctSlice), output);
      expect(decoded.length).toBe(original.length);
      expect(Buffer.from(decoded.buffer).equals(Buffer.from(original.buffer))).toBe(true);

      for (const rel of unchanged) {
        expect((await readFile(join(output, rel))).equals(await readFile(join(input, rel))), rel).toBe(true);
      }
      const us = await readDataset(join(output, ultrasound));
      const usTarget = syntax === 'jpeg-baseline' ? TransferSyntaxes['jpeg-baseline'].uid : TransferSyntaxes[syntax].uid;
      expect(us.transferSyntaxUID).toBe(usTarget);
      expect(str(us.dataset, 'SOPInstanceUID')).toBe(str((await readDataset(join(input, ultrasound))).dataset, 'SOPInstanceUID'));

      const written = JSON.parse(await readFile(join(output, 'manifest.json'), 'utf8')) as DemoManifest;
      const ctSeries = (m: DemoManifest): string | undefined => m.studies.find((s) => s.key === 'ct-current')?.series[0]?.transferSyntaxUID;
      expect(ctSeries(written)).toBe(syntax === 'jpeg-baseline' ? ctSeries(manifest) : TransferSyntaxes[syntax].uid);
    }, 60_000);
  }

  it('names the Debian package when a codec is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '';
    try {
      const result = await transcodeFolder(input, await makeTempDir('crossview-transcode-none-'), 'rle');
      expect(result).toMatchObject({ kind: 'tool-missing', tool: 'dcmcrle', debianPackage: 'dcmtk' });
    } finally {
      process.env.PATH = path;
    }
  });
});
