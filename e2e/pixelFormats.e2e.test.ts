/**
 * Photometric interpretations, pixel representations, 8-bit JPEG baseline and multi-frame, end to
 * end: small synthetic images whose every pixel is known (src/demo/pixelFormats.ts: four flat
 * quadrants per frame) served by the gateway's folder site and opened in Chromium (one copy
 * of the 8-bit greyscale image as JPEG baseline, one of the RGB image as RLE). Greyscale
 * images must decode to their stored values exactly (`window.crossview.pixelValue`) and show the
 * grey their window gives; colour images (RGB by pixel and by plane, PALETTE COLOR) must show
 * their colours on a real screenshot. One gateway and one page serve every case.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import dicomParser from 'dicom-parser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/contracts/index';
import { MultiFrameCount, pixelFormatCases, transcodeFolder, TransferSyntaxes, type PixelFormatCase, type PixelFormatKey, type QuadrantTruth } from '../src/demo/index';
import { greyLevelFor } from '../src/imaging/presets';
import { startGateway, type Gateway } from '../src/server/index';
import { launchChromium, recordProblems, sampleScreen } from './support/browser';
import { goToIndex, imageIndex } from './support/viewer';
import { testAuthConfig } from './hospitals/testAccounts';
import { signedInPage } from './support/signIn';

const work = mkdtempSync(join(tmpdir(), 'cv-pixel-formats-'));
const siteFolder = join(work, 'site');
const cases = new Map<PixelFormatKey, PixelFormatCase>();
let gateway: Gateway;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  mkdirSync(siteFolder);
  for (const c of pixelFormatCases()) {
    cases.set(c.key, c);
    if (!c.transcodeTo) {
      writeFileSync(join(siteFolder, `${c.key}.dcm`), c.bytes);
      continue;
    }
    const native = join(work, `${c.key}-native`);
    mkdirSync(native);
    writeFileSync(join(native, `${c.key}.dcm`), c.bytes);
    const result = await transcodeFolder(native, join(siteFolder, c.key), c.transcodeTo);
    if (result.kind !== 'ok' || result.converted !== 1) throw new Error(`transcode ${c.key}: ${JSON.stringify(result)}`);
  }
  const parsed = parseConfig({ sites: [{ id: 'site-a', name: 'Pixel Hospital', patientIdIssuer: 'NCC', folder: { path: siteFolder } }], identity: { nationalIdIssuer: 'NHS' }, auth: testAuthConfig() });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  gateway = await startGateway({ config: parsed.config, port: 0, staticDir: resolve('dist'), log: () => {} });
  browser = await launchChromium();
  page = await signedInPage(browser, gateway.url, { viewport: { width: 1000, height: 800 } });
  problems = recordProblems(page);
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await gateway?.close();
  rmSync(work, { recursive: true, force: true });
});

function caseOf(key: PixelFormatKey): PixelFormatCase {
  const c = cases.get(key);
  if (!c) throw new Error(`no pixel format case ${key}`);
  return c;
}

/** Opens a case's study as an EHR would; resolves once the viewport shows it. */
async function open(c: PixelFormatCase): Promise<void> {
  problems.length = 0;
  await page.goto(`${gateway.url}/IHEInvokeImageDisplay?requestType=STUDY&studyUID=${c.StudyInstanceUID}`);
  try {
    await page.locator(`[data-viewport-id="vp-1"][data-series-uid="${c.SeriesInstanceUID}"][data-ready="true"]`).waitFor({ timeout: 30_000 });
  } catch (error) {
    const shown = await page.locator('[data-viewport-id="vp-1"]').innerText({ timeout: 1_000 }).catch(() => '(no viewport)');
    throw new Error(`${String(error)}\nviewport: ${shown}\nbrowser saw: ${problems.join('\n')}`);
  }
  // The site name is on screen with the image.
  await expect.poll(() => page.locator('[data-viewport-id="vp-1"]').innerText()).toContain('Pixel Hospital');
  await page.waitForTimeout(300);
}

async function pixelValue(point: [number, number, number]): Promise<number | undefined> {
  return page.evaluate((p) => window.crossview?.pixelValue('vp-1', p), point);
}

/** Mean screen RGB of a 5 × 5 block at a quadrant centre, from a real screenshot. */
async function screenAt(q: QuadrantTruth): Promise<{ r: number; g: number; b: number }> {
  const at = await page.evaluate((p) => window.crossview?.worldToCanvas('vp-1', p), q.point);
  const box = await page.locator('[data-viewport-id="vp-1"] canvas').first().boundingBox();
  if (!at || !box) throw new Error('no canvas point for the quadrant');
  return sampleScreen(page, box.x + at[0], box.y + at[1], 2);
}

/** Every channel within `tolerance` of the expected screen colour. */
async function expectScreen(q: QuadrantTruth, tolerance: number, label: string) {
  const seen = await screenAt(q);
  const expected = { r: q.screen[0], g: q.screen[1], b: q.screen[2] };
  const off = Math.max(Math.abs(seen.r - expected.r), Math.abs(seen.g - expected.g), Math.abs(seen.b - expected.b));
  expect(off, `${label}: screen ${JSON.stringify(seen)} vs ${JSON.stringify(expected)}`).toBeLessThanOrEqual(tolerance);
}

/** SwiftShader's texture filtering and colour maths: a few levels either way. */
const ScreenTolerance = 3;

describe('pixel formats: greyscale decodes to the stored values exactly', () => {
  it.each([
    { key: 'mono2-u8', label: 'unsigned 8-bit MONOCHROME2' },
    { key: 'mono2-s16', label: 'signed 16-bit MONOCHROME2 with rescale' },
    { key: 'mono1-u16', label: 'MONOCHROME1 (shown inverted)' },
  ] as const)('$key ($label): every quadrant decodes to its modality value and shows the grey its window gives', async ({ key }) => {
    const c = caseOf(key);
    await open(c);
    for (const q of c.frames[0]!) {
      expect(await pixelValue(q.point), `${key} value at ${q.point.join(',')}`).toBe(q.modality);
      await expectScreen(q, ScreenTolerance, `${key} at ${q.point.join(',')}`);
    }
  });

  /**
   * KNOWN DEFECT (upstream, @cornerstonejs/dicom-image-loader 5.14
   * `shared/decoders/decodeLittleEndian.js`): native 8-bit pixel data is passed on as the raw
   * bytes whatever PixelRepresentation says, so signed 8-bit values come out as their unsigned
   * bytes (-120 → 136) and show with that grey. The test pins exactly that, so it turns red (and
   * should assert the stored values like the others) once upstream reads them as Int8.
   */
  it('signed 8-bit MONOCHROME2: KNOWN DEFECT, decodes as the unsigned bytes (-120 → 136) and shows their grey', async () => {
    const c = caseOf('mono2-s8');
    await open(c);
    const window = { width: 256, centre: 0 };
    for (const q of c.frames[0]!) {
      const asUnsigned = q.stored! & 0xff;
      expect(await pixelValue(q.point), `signed 8-bit at ${q.point.join(',')} (stored ${q.stored})`).toBe(asUnsigned);
      const grey = Math.round(greyLevelFor(asUnsigned, window.width, window.centre));
      await expectScreen({ ...q, screen: [grey, grey, grey] }, ScreenTolerance, `signed 8-bit at ${q.point.join(',')}`);
    }
    expect(c.frames[0]!.some((q) => q.stored! < 0)).toBe(true);
  });

  it('8-bit greyscale JPEG baseline: every quadrant decodes within 2 of the known stored value', async () => {
    const c = caseOf('mono2-u8-jpeg-baseline');
    const stored = readFileSync(join(siteFolder, c.key, `${c.key}.dcm`));
    expect(dicomParser.readPart10Header(stored).string('x00020010')?.trim()).toBe(TransferSyntaxes['jpeg-baseline'].uid);
    await open(c);
    for (const q of c.frames[0]!) {
      const value = await pixelValue(q.point);
      expect(value, `JPEG baseline at ${q.point.join(',')}`).toBeTypeOf('number');
      // Flat quadrants aligned to 8 × 8 blocks keep only their DC term: quantisation moves it by ≤ 2.
      expect(Math.abs(value! - q.modality!), `JPEG baseline at ${q.point.join(',')}: ${value} vs ${q.modality}`).toBeLessThanOrEqual(2);
      await expectScreen(q, ScreenTolerance + 2, `JPEG baseline at ${q.point.join(',')}`);
    }
  });
});

describe('pixel formats: colour shows its stored colours', () => {
  it.each([
    { key: 'rgb-by-pixel', label: 'RGB, PlanarConfiguration 0' },
    { key: 'rgb-by-plane', label: 'RGB, PlanarConfiguration 1' },
    { key: 'palette-color', label: 'PALETTE COLOR through 16-bit LUTs sent as bulk data' },
    // Stored YCbCr is rounded to whole numbers, so converting back may move a channel by 1 more.
    { key: 'ybr-full', label: 'YBR_FULL uncompressed, converted to RGB' },
    { key: 'rgb-rle', label: 'RGB in RLE lossless' },
  ] as const)('$key ($label): each quadrant shows its colour on screen', async ({ key }) => {
    const c = caseOf(key);
    await open(c);
    const tolerance = key === 'ybr-full' ? ScreenTolerance + 1 : ScreenTolerance;
    for (const q of c.frames[0]!) await expectScreen(q, tolerance, `${key} at ${q.point.join(',')}`);
    // Colour images have no single modality value.
    expect(await pixelValue(c.frames[0]![0]!.point)).toBeUndefined();
    expect(problems.filter((p) => /palette|decode|codec/i.test(p))).toEqual([]);
  });
});

describe('pixel formats: multi-frame', () => {
  it(`a ${MultiFrameCount}-frame instance opens as a ${MultiFrameCount}-image stack and frame k shows its own values`, async () => {
    const c = caseOf('multi-frame-u16');
    await open(c);
    await expect.poll(() => page.locator('[data-viewport-id="vp-1"]').innerText()).toMatch(new RegExp(`Im \\d/${MultiFrameCount}\\b`));
    for (let k = 0; k < MultiFrameCount; k++) {
      await goToIndex(page, k);
      expect(await imageIndex(page)).toBe(k);
      for (const q of c.frames[k]!) {
        expect(await pixelValue(q.point), `frame ${k + 1} at ${q.point.join(',')}`).toBe(q.modality);
        await expectScreen(q, ScreenTolerance, `frame ${k + 1} at ${q.point.join(',')}`);
      }
    }
    // And back: the first frame again, not whatever was decoded last.
    await goToIndex(page, 0);
    expect(await pixelValue(c.frames[0]![0]!.point)).toBe(c.frames[0]![0]!.modality);
  });
});
