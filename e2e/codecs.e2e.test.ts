/**
 * Codec coverage, end to end: the current CT's landmark slices (and their neighbours) transcoded
 * to every lossless syntax the demo can write, served by a real Orthanc where Orthanc can send
 * frames and by the gateway's folder site where it cannot (HTJ2K, deflated), then decoded in
 * Chromium. The decoded HU at the five manifest landmarks must equal the phantom truth within its
 * noise and be identical to the uncompressed series'. Orthanc's 500 on HTJ2K/deflated frames must
 * be survived by whole-instance retrieval; an encoding no decoder handles must say so in the
 * viewport; the JPEG-baseline YBR ultrasound must render as stored.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type CrossviewConfig } from '../src/contracts/index';
import {
  ensureDemoData,
  LossyTransferSyntaxes,
  MultiFrameCount,
  pixelFormatCases,
  transcodeFolder,
  TransferSyntaxes,
  type LossyTransferSyntaxName,
  type PixelFormatKey,
  type TransferSyntaxName,
} from '../src/demo/index';
import type { CtPhantomTruth, DemoManifest, DemoStudy } from '../src/demo/manifest';
import { greyLevelFor } from '../src/imaging/presets';
import { startGateway } from '../src/server/index';
import { startHospitals, type Hospitals } from './hospitals/index';
import { launchChromium, recordProblems, sampleScreen } from './support/browser';
import { testAuthConfig } from './hospitals/testAccounts';
import { signedInPage } from './support/signIn';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

let manifest: DemoManifest;
let demoDir: string;
let truth: CtPhantomTruth;
let ct: DemoStudy;
let hospitals: Hospitals;
let browser: Browser;
const work = mkdtempSync(join(tmpdir(), 'cv-codecs-'));
const source = join(work, 'source');
/** HU read back from the uncompressed series, the reference every lossless syntax must match. */
const baseline = new Map<string, number>();

beforeAll(async () => {
  dcmjs.log.setLevel('error');
  const demo = await ensureDemoData();
  manifest = demo.manifest;
  demoDir = demo.dir;
  truth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
  ct = manifest.studies.find((s) => s.key === 'ct-current')!;
  // Every landmark lies on one axial slice; it and its two neighbours make a 3-image stack whose
  // middle image (where the viewer opens) is the landmark slice.
  const { firstPosition, sliceStep } = truth.geometry;
  const levels = new Set(truth.landmarks.map((l) => Math.round((l.point[2] - firstPosition[2]) / sliceStep) + 1));
  expect(levels.size).toBe(1);
  const instance = [...levels][0]!;
  mkdirSync(source);
  for (const n of [instance - 1, instance, instance + 1]) {
    const name = `ct-current-ct-${String(n).padStart(4, '0')}.dcm`;
    copyFileSync(join(demo.dir, 'site-a', name), join(source, name));
  }
  hospitals = await startHospitals({ siteKeys: ['c'] });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await hospitals?.stop();
  rmSync(work, { recursive: true, force: true });
});

function config(site: { dicomweb: string } | { folder: string }): CrossviewConfig {
  const where = 'dicomweb' in site ? { dicomweb: { url: site.dicomweb } } : { folder: { path: site.folder } };
  const parsed = parseConfig({ sites: [{ id: 'site-a', name: 'Codec Hospital', patientIdIssuer: 'NCC', ...where }], identity: { nationalIdIssuer: 'NHS' }, auth: testAuthConfig() });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.config;
}

/** Stores a folder's files in the Orthanc; returns a function that deletes them again. */
async function storeInOrthanc(folder: string): Promise<() => Promise<void>> {
  const rest = hospitals.sites[0]!.dicomwebUrl.replace(/\/dicom-web$/, '');
  const studies = new Set<string>();
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.dcm'))) {
    const res = await fetch(`${rest}/instances`, { method: 'POST', body: readFileSync(join(folder, name)) });
    expect(res.status, `Orthanc stores ${name}`).toBe(200);
    studies.add(((await res.json()) as { ParentStudy: string }).ParentStudy);
  }
  return async () => {
    for (const id of studies) await fetch(`${rest}/studies/${id}`, { method: 'DELETE' });
  };
}

const transcoded = new Map<TransferSyntaxName | LossyTransferSyntaxName, string>();
async function folderIn(syntax: TransferSyntaxName | LossyTransferSyntaxName): Promise<string> {
  const known = transcoded.get(syntax);
  if (known) return known;
  const folder = join(work, syntax);
  const result = await transcodeFolder(source, folder, syntax);
  if (result.kind !== 'ok') throw new Error(`transcode to ${syntax}: ${JSON.stringify(result)}`);
  transcoded.set(syntax, folder);
  return folder;
}

interface Opened {
  page: Page;
  problems: string[];
  responses: { url: string; status: number }[];
  close(): Promise<void>;
}

/** Serves `site` through a fresh gateway and opens `studyUID` in a fresh page (no shared cache). */
async function openStudy(site: { dicomweb: string } | { folder: string }, studyUID: string, ready: 'true' | 'any' = 'true'): Promise<Opened> {
  const gateway = await startGateway({ config: config(site), port: 0, staticDir: resolve('dist'), log: () => {} });
  const page = await signedInPage(browser, gateway.url, { viewport: { width: 1280, height: 800 } });
  const problems = recordProblems(page);
  const responses: { url: string; status: number }[] = [];
  page.on('response', (response) => responses.push({ url: response.url(), status: response.status() }));
  const close = async () => {
    await page.close();
    await gateway.close();
  };
  try {
    await page.goto(`${gateway.url}/IHEInvokeImageDisplay?requestType=STUDY&studyUID=${studyUID}`);
    const selector = ready === 'true' ? '[data-viewport-id="vp-1"][data-ready="true"]' : '[data-viewport-id="vp-1"]';
    await page.locator(selector).waitFor({ timeout: 60_000 });
  } catch (error) {
    const shown = await page.locator('[data-viewport-id="vp-1"]').innerText({ timeout: 1_000 }).catch(() => '(no viewport)');
    const failed = responses.filter((r) => r.status >= 400).map((r) => `${r.status} ${r.url}`);
    await close();
    throw new Error(`${String(error)}\nviewport: ${shown}\nfailed responses: ${failed.join('\n')}\nbrowser saw: ${problems.join('\n')}`);
  }
  return { page, problems, responses, close };
}

/** Decoded HU at every landmark of the slice on screen, read through `window.crossview.pixelValue`. */
async function landmarkValues(page: Page): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  for (const landmark of truth.landmarks) {
    const value = await page.evaluate((p) => window.crossview?.pixelValue('vp-1', p), landmark.point);
    if (value === undefined) throw new Error(`pixelValue gave nothing at ${landmark.name}`);
    values.set(landmark.name, value);
  }
  return values;
}

function expectTruth(values: Map<string, number>, syntax: string) {
  for (const landmark of truth.landmarks) {
    const value = values.get(landmark.name)!;
    expect(Math.abs(value - landmark.hu), `${syntax} ${landmark.name}: ${value} HU vs truth ${landmark.hu}`).toBeLessThanOrEqual(truth.noiseAmplitudeHu);
    if (baseline.size > 0) expect(value, `${syntax} ${landmark.name} equals the uncompressed series`).toBe(baseline.get(landmark.name));
  }
}

/** Screen grey at a patient point, from a real screenshot. */
async function screenGreyAt(page: Page, point: [number, number, number]): Promise<number> {
  const at = await page.evaluate((p) => window.crossview?.worldToCanvas('vp-1', p), point);
  const box = await page.locator('[data-viewport-id="vp-1"] canvas').first().boundingBox();
  if (!at || !box) throw new Error('no canvas point for the landmark');
  const { r, g, b } = await sampleScreen(page, box.x + at[0], box.y + at[1]);
  return (r + g + b) / 3;
}

const orthancServes: TransferSyntaxName[] = ['explicit-le', 'rle', 'jpeg-lossless-sv1', 'jpeg-ls-lossless', 'j2k-lossless'];
const folderServes: TransferSyntaxName[] = ['htj2k-lossless', 'deflated'];

describe('codecs: decoded HU per transfer syntax', () => {
  it.each(orthancServes)('%s from Orthanc: the 5 landmarks decode to the phantom HU, identical to the uncompressed series', async (syntax) => {
    const folder = await folderIn(syntax);
    const unstore = await storeInOrthanc(folder);
    try {
      const opened = await openStudy({ dicomweb: hospitals.sites[0]!.dicomwebUrl }, ct.StudyInstanceUID);
      try {
        const values = await landmarkValues(opened.page);
        expectTruth(values, syntax);
        if (syntax === 'explicit-le') for (const [name, value] of values) baseline.set(name, value);
        if (syntax === 'jpeg-ls-lossless') {
          // What the reader sees, not only what was decoded: the lung window over the lesion.
          await opened.page.keyboard.press('2');
          await expect.poll(() => opened.page.locator('[data-viewport-id="vp-1"] .corner.bottomRight').innerText()).toContain('W 1500 L -600');
          await opened.page.waitForTimeout(300);
          const lesion = truth.landmarks.find((l) => l.name === 'lesion')!;
          const grey = await screenGreyAt(opened.page, lesion.point);
          expect(Math.abs(grey - greyLevelFor(lesion.hu, 1500, -600))).toBeLessThanOrEqual(8);
        }
        // Every frame came as stored: no request failed.
        expect(opened.responses.filter((r) => r.url.includes('/frames/') && r.status !== 200)).toEqual([]);
      } finally {
        await opened.close();
      }
    } finally {
      await unstore();
    }
  });

  it.each(folderServes)('%s from the folder site: the 5 landmarks decode to the phantom HU, identical to the uncompressed series', async (syntax) => {
    expect(baseline.size, 'the explicit-le case ran first').toBe(truth.landmarks.length);
    const opened = await openStudy({ folder: await folderIn(syntax) }, ct.StudyInstanceUID);
    try {
      expectTruth(await landmarkValues(opened.page), syntax);
      expect(opened.responses.filter((r) => r.url.includes('/frames/')).every((r) => r.status === 200)).toBe(true);
    } finally {
      await opened.close();
    }
  });

  it.each(folderServes)('%s from Orthanc: its frames answer 500, whole-instance retrieval decodes the same HU', async (syntax) => {
    expect(baseline.size).toBe(truth.landmarks.length);
    const unstore = await storeInOrthanc(await folderIn(syntax));
    try {
      const opened = await openStudy({ dicomweb: hospitals.sites[0]!.dicomwebUrl }, ct.StudyInstanceUID);
      try {
        expectTruth(await landmarkValues(opened.page), `${syntax} via instance fallback`);
        const frames = opened.responses.filter((r) => /\/frames\/\d+$/.test(r.url));
        const instances = opened.responses.filter((r) => /\/instances\/[\d.]+$/.test(r.url));
        expect(frames.some((r) => r.status >= 500), 'Orthanc still fails these frames (else this test proves nothing)').toBe(true);
        // One failed frames request per series, then instances only.
        expect(frames.length).toBe(1);
        expect(instances.length).toBe(3);
        expect(instances.every((r) => r.status === 200)).toBe(true);
      } finally {
        await opened.close();
      }
    } finally {
      await unstore();
    }
  });
});

/** Stored pixels of the landmark slice in `folder` (native syntaxes only). */
function landmarkSlicePixels(folder: string): Uint16Array {
  const { firstPosition, sliceStep } = truth.geometry;
  const level = Math.round((truth.landmarks[0]!.point[2] - firstPosition[2]) / sliceStep) + 1;
  const bytes = readFileSync(join(folder, `ct-current-ct-${String(level).padStart(4, '0')}.dcm`));
  const dicom = DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return new Uint16Array(dicom.dict['7FE00010']!.Value![0] as ArrayBuffer);
}

/** HU at every landmark, read from the landmark slice's file in `folder` (native syntaxes only). */
function storedLandmarkValues(folder: string): Map<string, number> {
  const { firstPosition, pixelSpacing, columns, rescaleSlope, rescaleIntercept } = truth.geometry;
  const pixels = landmarkSlicePixels(folder);
  const values = new Map<string, number>();
  for (const { name, point } of truth.landmarks) {
    // Axial slices with identity orientation: column from x, row from y (PixelSpacing is row\column).
    const i = Math.round((point[0] - firstPosition[0]) / pixelSpacing[1]);
    const j = Math.round((point[1] - firstPosition[1]) / pixelSpacing[0]);
    values.set(name, pixels[j * columns + i]! * rescaleSlope + rescaleIntercept);
  }
  return values;
}

/**
 * Lossy JPEG 2000 (GDCM, irreversible 9/7 at 20:1) and lossy HTJ2K (OpenJPH, irreversible, step
 * 0.001), from the folder site. Stated tolerance: every landmark within 10 HU of the uncompressed
 * series (the reference decoders stay within 7 HU of every stored value of the slice). And the
 * browser must decode what the reference decoder decodes, within 1 HU (the 9/7 wavelet is floating
 * point, so implementations may round differently).
 */
describe('codecs: lossy syntaxes within a stated tolerance, from the folder site', () => {
  const lossyCases = [
    { label: 'JPEG 2000 lossy (irreversible, 20:1)', syntax: 'j2k-lossy' },
    { label: 'HTJ2K lossy (irreversible, step 0.001)', syntax: 'htj2k-lossy' },
  ] as const satisfies { label: string; syntax: LossyTransferSyntaxName }[];
  it.each(lossyCases)('$label: the 5 landmarks decode within 10 HU of the uncompressed series and within 1 HU of the reference decoder', async ({ syntax }) => {
    expect(baseline.size, 'the explicit-le case ran first').toBe(truth.landmarks.length);
    const folder = await folderIn(syntax);
    expect(storedSyntaxes(folder)).toEqual(new Set([LossyTransferSyntaxes[syntax].uid]));
    const decodedHere = join(work, `${syntax}-reference`);
    const reference = await transcodeFolder(folder, decodedHere, 'explicit-le');
    expect(reference.kind).toBe('ok');
    const expected = storedLandmarkValues(decodedHere);
    const opened = await openStudy({ folder }, ct.StudyInstanceUID);
    try {
      const values = await landmarkValues(opened.page);
      for (const landmark of truth.landmarks) {
        const value = values.get(landmark.name)!;
        const uncompressed = baseline.get(landmark.name)!;
        expect(Math.abs(value - uncompressed), `${syntax} ${landmark.name}: ${value} vs uncompressed ${uncompressed}`).toBeLessThanOrEqual(10);
        expect(Math.abs(value - expected.get(landmark.name)!), `${syntax} ${landmark.name}: ${value} vs reference decoder ${expected.get(landmark.name)}`).toBeLessThanOrEqual(1);
      }
      // It really is lossy (else the tolerance proves nothing): the reference decode differs from the source slice.
      const original = landmarkSlicePixels(source);
      const decoded = landmarkSlicePixels(decodedHere);
      expect(decoded.some((value, k) => value !== original[k])).toBe(true);
    } finally {
      await opened.close();
    }
  });
});

/** The source slices rewritten by one of DCMTK's tools (syntaxes the demo transcoder does not write). */
function dcmtkFolder(name: string, tool: string, args: string[]): string {
  const folder = join(work, name);
  mkdirSync(folder, { recursive: true });
  for (const file of readdirSync(source)) execFileSync(tool, [...args, join(source, file), join(folder, file)], { stdio: 'pipe' });
  return folder;
}

function storedSyntaxes(folder: string): Set<string> {
  return new Set(readdirSync(folder).map((file) => dicomParser.readPart10Header(readFileSync(join(folder, file))).string('x00020010')?.trim() ?? ''));
}

const dcmtkCases = [
  { label: 'implicit VR little endian', name: 'implicit-le', tool: 'dcmconv', args: ['+ti'], uid: '1.2.840.10008.1.2', toleranceHu: 0 },
  { label: 'explicit VR big endian (retired)', name: 'big-endian', tool: 'dcmconv', args: ['+tb'], uid: '1.2.840.10008.1.2.2', toleranceHu: 0 },
  // JPEG-LS near-lossless guarantees every stored value within NEAR (2) of the original.
  { label: 'JPEG-LS near-lossless (NEAR 2)', name: 'jpeg-ls-near', tool: 'dcmcjpls', args: ['+en', '+md', '2', '+un'], uid: '1.2.840.10008.1.2.4.81', toleranceHu: 2 },
] as const;

/**
 * 12-bit lossy JPEG at quality 90; DCMTK's own decoder gives every landmark back within 1 HU, so
 * 10 HU is a generous stated tolerance. KNOWN DEFECT (upstream, @cornerstonejs/dicom-image-loader
 * 5.14 `codecs/jpeg.js`): its 12-bit path level-shifts with `(q + 2056 / bitConversion) >> 4`,
 * scaling the rounding term too, so every sample comes out ~15 too high (+15 HU here). The test
 * pins that bias, so it turns red (and should become an ordinary tolerance test) once fixed.
 */
const jpeg12Bit = { label: 'JPEG extended 12-bit lossy (quality 90)', name: 'jpeg-12bit', tool: 'dcmcjpeg', args: ['+ee', '+q', '90', '+un'], uid: '1.2.840.10008.1.2.4.51', toleranceHu: 10 } as const;

describe('codecs: syntaxes written with DCMTK, from the folder site', () => {
  async function expectWithinTolerance({ label, name, tool, args, uid, toleranceHu }: (typeof dcmtkCases)[number] | typeof jpeg12Bit, knownBiasHu = 0) {
    expect(baseline.size, 'the explicit-le case ran first').toBe(truth.landmarks.length);
    const folder = dcmtkFolder(name, tool, [...args]);
    expect(storedSyntaxes(folder)).toEqual(new Set([uid]));
    const opened = await openStudy({ folder }, ct.StudyInstanceUID);
    try {
      const values = await landmarkValues(opened.page);
      for (const landmark of truth.landmarks) {
        const value = values.get(landmark.name)!;
        expect(Math.abs(value - knownBiasHu - baseline.get(landmark.name)!), `${label} ${landmark.name}: ${value} vs ${baseline.get(landmark.name)}`).toBeLessThanOrEqual(toleranceHu);
      }
    } finally {
      await opened.close();
    }
  }
  it.each(dcmtkCases)('$label: the 5 landmarks decode within $toleranceHu HU of the uncompressed series', (testCase) => expectWithinTolerance(testCase));
  it('JPEG extended 12-bit lossy: within 10 HU of the uncompressed series once the known +15 HU decoder bias is taken off', () => expectWithinTolerance(jpeg12Bit, 15));
});

describe('codecs: encodings the browser cannot decode, and colour', () => {
  it('an image stored in an encoding without a decoder says so in the viewport and never becomes ready', async () => {
    const folder = join(work, 'unsupported');
    mkdirSync(folder);
    const file = readFileSync(join(source, readdirSync(source)[1]!));
    const dicom = DicomMessage.readFile(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    const studyUID = DicomMetaDictionary.uid();
    const unsupported = '1.2.840.10008.1.2.4.92'; // JPEG 2000 Part 2 multi-component: no decoder
    const meta = DicomMetaDictionary.naturalizeDataset(dicom.meta);
    const data = DicomMetaDictionary.naturalizeDataset(dicom.dict);
    const sop = DicomMetaDictionary.uid();
    dicom.meta = DicomMetaDictionary.denaturalizeDataset({ ...meta, TransferSyntaxUID: unsupported, MediaStorageSOPInstanceUID: sop });
    dicom.dict = DicomMetaDictionary.denaturalizeDataset({
      ...data,
      StudyInstanceUID: studyUID,
      SeriesInstanceUID: DicomMetaDictionary.uid(),
      SOPInstanceUID: sop,
      PixelData: [new Uint8Array([0xff, 0x4f, 0xff, 0x51, 0, 0, 0, 0]).buffer],
      _vrMap: { PixelData: 'OB' },
    });
    writeFileSync(join(folder, 'unsupported.dcm'), Buffer.from(dicom.write()));

    const opened = await openStudy({ folder }, studyUID, 'any');
    try {
      const alert = opened.page.locator('[data-viewport-id="vp-1"] [role="alert"]');
      await expect.poll(() => alert.innerText(), { timeout: 20_000 }).toContain(
        "This image's encoding (JPEG 2000 Part 2 Multi-component Lossless, 1.2.840.10008.1.2.4.92) is not supported",
      );
      await opened.page.waitForTimeout(500);
      expect(await opened.page.locator('[data-viewport-id="vp-1"]').getAttribute('data-ready')).toBe('false');
      expect(await opened.page.evaluate(() => performance.getEntriesByName('cv:first-image:vp-1').length)).toBe(0);
    } finally {
      await opened.close();
    }
  });

  it('the JPEG-baseline YBR ultrasound renders as stored: grey speckle inside the sector, black outside', async () => {
    const us = manifest.studies.find((s) => s.key === 'us-abdomen')!;
    expect(us.series[0]!.transferSyntaxUID).toBe(TransferSyntaxes['jpeg-baseline'].uid);
    const folder = join(work, 'us');
    mkdirSync(folder);
    const site = manifest.sites.find((s) => s.key === us.siteKey)!;
    for (const name of readdirSync(join(demoDir, site.folder)).filter((n) => n.startsWith('us-abdomen'))) copyFileSync(join(demoDir, site.folder, name), join(folder, name));
    const opened = await openStudy({ folder }, us.StudyInstanceUID);
    try {
      const box = (await opened.page.locator('[data-viewport-id="vp-1"] canvas').first().boundingBox())!;
      await opened.page.waitForTimeout(300);
      // The 640×480 image is fitted and centred. Its centre (320, 240) is liver speckle; image
      // pixel (20, 240) lies 55° off the beam axis, outside the 35° sector: background.
      const scale = Math.min(box.width / 640, box.height / 480);
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      const sector = await sampleScreen(opened.page, cx, cy, 8);
      const background = await sampleScreen(opened.page, cx - 300 * scale, cy, 4);
      expect(sector.g, `sector ${JSON.stringify(sector)}`).toBeGreaterThan(25);
      // Grey content stored as YBR must come out grey (a double colour conversion tints it).
      expect(Math.abs(sector.r - sector.g)).toBeLessThan(6);
      expect(Math.abs(sector.g - sector.b)).toBeLessThan(6);
      expect(background.r + background.g + background.b, `background ${JSON.stringify(background)}`).toBeLessThan(10);
      // Decoding raised nothing (page errors from annotation tools are other tests' business).
      expect(opened.problems.filter((p) => /decode|codec|transfer syntax/i.test(p))).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});

/**
 * The pixel-format images whose handling depends on what a real PACS sends (e2e/pixelFormats
 * covers every format from the folder site): PALETTE COLOR, whose lookup tables Orthanc moves out
 * of the metadata, and a multi-frame instance cut into frames by Orthanc.
 */
describe('codecs: pixel formats through Orthanc', () => {
  async function openFromOrthanc(key: PixelFormatKey) {
    const c = pixelFormatCases().find((candidate) => candidate.key === key)!;
    const folder = join(work, `orthanc-${key}`);
    mkdirSync(folder);
    writeFileSync(join(folder, `${key}.dcm`), c.bytes);
    const unstore = await storeInOrthanc(folder);
    const opened = await openStudy({ dicomweb: hospitals.sites[0]!.dicomwebUrl }, c.StudyInstanceUID).catch(async (error: unknown) => {
      await unstore();
      throw error;
    });
    const canvasPoint = async (point: [number, number, number]) => {
      const at = await opened.page.evaluate((p) => window.crossview?.worldToCanvas('vp-1', p), point);
      const box = await opened.page.locator('[data-viewport-id="vp-1"] canvas').first().boundingBox();
      if (!at || !box) throw new Error('no canvas point');
      return { x: box.x + at[0], y: box.y + at[1] };
    };
    return {
      c,
      opened,
      screenAt: async (point: [number, number, number]) => {
        const { x, y } = await canvasPoint(point);
        return sampleScreen(opened.page, x, y, 2);
      },
      close: async () => {
        await opened.close();
        await unstore();
      },
    };
  }

  it('PALETTE COLOR: the lookup tables Orthanc sends as bulk data colour every quadrant as stored', async () => {
    const { c, opened, screenAt, close } = await openFromOrthanc('palette-color');
    try {
      await opened.page.waitForTimeout(300);
      for (const q of c.frames[0]!) {
        const seen = await screenAt(q.point);
        const off = Math.max(Math.abs(seen.r - q.screen[0]), Math.abs(seen.g - q.screen[1]), Math.abs(seen.b - q.screen[2]));
        expect(off, `palette at ${q.point.join(',')}: ${JSON.stringify(seen)} vs ${q.screen.join(',')}`).toBeLessThanOrEqual(3);
      }
      const bulk = opened.responses.filter((r) => /\/bulk\/0028120[123]$/.test(r.url));
      expect(bulk.map((r) => r.status), 'each table fetched once from Orthanc').toEqual([200, 200, 200]);
      expect(opened.responses.filter((r) => /\/frames\//.test(r.url)).every((r) => r.status === 200)).toBe(true);
    } finally {
      await close();
    }
  });

  it(`multi-frame: Orthanc's ${MultiFrameCount} frames of one instance form the stack and frame k decodes to its own values`, async () => {
    const { c, opened, close } = await openFromOrthanc('multi-frame-u16');
    try {
      const element = opened.page.locator('[data-viewport-id="vp-1"]');
      await expect.poll(() => element.innerText()).toMatch(new RegExp(`Im \\d/${MultiFrameCount}\\b`));
      await opened.page.locator('.cs-element').hover();
      await opened.page.keyboard.press('Home');
      for (let k = 0; k < MultiFrameCount; k++) {
        if (k > 0) await opened.page.keyboard.press('ArrowDown');
        await expect.poll(() => element.getAttribute('data-image-index')).toBe(String(k));
        for (const q of c.frames[k]!) {
          await expect.poll(() => opened.page.evaluate((p) => window.crossview?.pixelValue('vp-1', p), q.point), { timeout: 10_000 }).toBe(q.modality);
        }
      }
      const frameRequests = opened.responses.filter((r) => /\/frames\/\d+$/.test(r.url));
      expect(new Set(frameRequests.map((r) => r.url.replace(/.*\/frames\//, ''))).size).toBe(MultiFrameCount);
      expect(frameRequests.every((r) => r.status === 200)).toBe(true);
    } finally {
      await close();
    }
  });
});
