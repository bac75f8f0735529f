/**
 * Progressive HTJ2K end to end: the gateway's folder site serves frames by byte range, and the
 * viewer fetches the slice on screen in two steps (its first 16 kB, decoded at once, then the
 * rest) when it is stored in a resolution-progressive HTJ2K syntax. Other images, and HTJ2K
 * syntaxes the decoder cannot show in part, are fetched whole. The decoded values at the end are
 * the full image's, as the reference decoder gives them.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/contracts/index';
import { ensureDemoData, transcodeFolder } from '../src/demo/index';
import type { CtPhantomTruth, DemoStudy } from '../src/demo/manifest';
import { startGateway, type Gateway } from '../src/server/index';
import { launchChromium, recordProblems } from './support/browser';
import { testAuthConfig } from './hospitals/testAccounts';
import { signedInPage } from './support/signIn';

const FirstRangeBytes = 16 * 1024;
const work = mkdtempSync(join(tmpdir(), 'cv-progressive-'));
let browser: Browser;
let truth: CtPhantomTruth;
let ct: DemoStudy;
/** The landmark slice and its two neighbours, as stored in the demo (explicit VR LE). */
const source = join(work, 'source');
let landmarkFile = '';

beforeAll(async () => {
  const demo = await ensureDemoData();
  truth = demo.manifest.ct.find((c) => c.studyKey === 'ct-current')!;
  ct = demo.manifest.studies.find((s) => s.key === 'ct-current')!;
  const { firstPosition, sliceStep } = truth.geometry;
  const instance = Math.round((truth.landmarks[0]!.point[2] - firstPosition[2]) / sliceStep) + 1;
  mkdirSync(source);
  for (const n of [instance - 1, instance, instance + 1]) {
    const name = `ct-current-ct-${String(n).padStart(4, '0')}.dcm`;
    copyFileSync(join(demo.dir, 'site-a', name), join(source, name));
  }
  landmarkFile = `ct-current-ct-${String(instance).padStart(4, '0')}.dcm`;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

interface FrameExchange {
  url: string;
  range: string | undefined;
  status: number;
  contentRange: string | undefined;
}

async function openFolder(folder: string): Promise<{ page: Page; gateway: Gateway; frames: FrameExchange[]; problems: string[] }> {
  const parsed = parseConfig({ sites: [{ id: 'site-a', name: 'Progressive Hospital', patientIdIssuer: 'PH', folder: { path: folder } }], identity: { nationalIdIssuer: 'NHS' }, auth: testAuthConfig() });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const gateway = await startGateway({ config: parsed.config, port: 0, staticDir: resolve('dist'), log: () => {} });
  const page = await signedInPage(browser, gateway.url, { viewport: { width: 1280, height: 800 } });
  const problems = recordProblems(page);
  // Whether the viewport ever said its image was a preview (it shows for a moment only).
  await page.addInitScript(() => {
    const seen = { preview: false };
    (window as unknown as { cvPreview: typeof seen }).cvPreview = seen;
    new MutationObserver(() => {
      if (document.querySelector('[data-viewport-id="vp-1"] .viewport-preview[role="status"]')) seen.preview = true;
    }).observe(document, { subtree: true, childList: true });
  });
  // The rest of a frame fetched by range comes 1 s late, as over a slow link: on loopback it can
  // follow the first bytes within one frame, before the preview notice ever reaches the page.
  await page.route(/\/frames\/\d+$/, async (route) => {
    if (/^bytes=[1-9]/.test(route.request().headers()['range'] ?? '')) await new Promise((done) => setTimeout(done, 1000));
    await route.continue();
  });
  const frames: FrameExchange[] = [];
  page.on('response', (response) => {
    if (!/\/frames\/\d+$/.test(response.url())) return;
    frames.push({ url: response.url(), range: response.request().headers()['range'], status: response.status(), contentRange: response.headers()['content-range'] });
  });
  await page.goto(`${gateway.url}/IHEInvokeImageDisplay?requestType=STUDY&studyUID=${ct.StudyInstanceUID}`);
  await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 60_000 });
  return { page, gateway, frames, problems };
}

async function landmarkValues(page: Page): Promise<number[]> {
  const values: number[] = [];
  for (const landmark of truth.landmarks) {
    const value = await page.evaluate((p) => window.crossview?.pixelValue('vp-1', p), landmark.point);
    if (value === undefined) throw new Error(`no decoded value at ${landmark.name}`);
    values.push(value);
  }
  return values;
}

const stageMarks = (page: Page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('cv:retrieval-stage:'))
      .map((m) => ({ name: m.name, at: m.startTime, detail: (m as PerformanceMark).detail as { images: number; failures: number } })),
  );

describe('progressive HTJ2K from a site that serves byte ranges', () => {
  it('the slice on screen arrives as its first 16 kB, shown at once as a marked preview, then the rest; its final HU are those of the reference decoder', async () => {
    const folder = join(work, 'htj2k-lossy');
    const result = await transcodeFolder(source, folder, 'htj2k-lossy');
    expect(result.kind).toBe('ok');
    expect(readdirSync(folder)).toContain(landmarkFile);

    const { page, gateway, frames, problems } = await openFolder(folder);
    try {
      // Both stages ran for the one image on screen. A stage is marked once its image was handed to
      // the viewport, so the coarse image from the first 16 kB was decoded and shown.
      await expect.poll(() => stageMarks(page).then((marks) => marks.map((m) => m.name)), { timeout: 30_000 }).toEqual([
        'cv:retrieval-stage:htj2k-first-bytes',
        'cv:retrieval-stage:htj2k-rest',
      ]);
      const [first, rest] = await stageMarks(page);
      expect(first!.detail).toEqual({ images: 1, failures: 0 });
      expect(rest!.detail).toEqual({ images: 1, failures: 0 });
      expect(first!.at).toBeLessThanOrEqual(rest!.at);
      // The reader was told the coarse image was a preview, and the notice went with the full one.
      expect(await page.evaluate(() => (window as unknown as { cvPreview: { preview: boolean } }).cvPreview.preview)).toBe(true);
      await expect.poll(() => page.locator('.viewport-preview').count()).toBe(0);

      // On the wire: two ranged requests for the landmark frame that join to the whole answer.
      const shownIndex = await page.locator('[data-viewport-id="vp-1"]').getAttribute('data-image-index');
      expect(shownIndex).toBe('1');
      const ranged = frames.filter((f) => f.range !== undefined);
      expect(ranged.map((f) => [f.range, f.status])).toEqual([
        [`bytes=0-${FirstRangeBytes - 1}`, 206],
        [`bytes=${FirstRangeBytes}-`, 206],
      ]);
      expect(ranged[0]!.url).toBe(ranged[1]!.url);
      const total = Number(/\/(\d+)$/.exec(ranged[0]!.contentRange ?? '')?.[1]);
      expect(total, 'the frame is larger than the first range (else this proves nothing)').toBeGreaterThan(FirstRangeBytes);
      expect(ranged[1]!.contentRange).toBe(`bytes ${FirstRangeBytes}-${total - 1}/${total}`);
      // The neighbours (prefetched, not on screen) came whole.
      expect(frames.filter((f) => f.range === undefined).map((f) => f.status)).toEqual([200, 200]);

      const progressive = await landmarkValues(page);
      expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);
      await page.close();
      // The reference decoder (OpenJPH) writes the same frames uncompressed; the viewer shows those
      // whole. The progressive result must be that image, not the coarse one (9/7 is floating
      // point: decoders may round 1 apart).
      const referenceFolder = join(work, 'htj2k-lossy-reference');
      expect((await transcodeFolder(folder, referenceFolder, 'explicit-le')).kind).toBe('ok');
      const reference = await openFolder(referenceFolder);
      try {
        const expected = await landmarkValues(reference.page);
        truth.landmarks.forEach((landmark, i) => {
          expect(Math.abs(progressive[i]! - expected[i]!), `${landmark.name}: ${progressive[i]} vs reference ${expected[i]}`).toBeLessThanOrEqual(1);
          expect(Math.abs(progressive[i]! - landmark.hu), `${landmark.name}: ${progressive[i]} vs truth ${landmark.hu}`).toBeLessThanOrEqual(truth.noiseAmplitudeHu + 10);
        });
      } finally {
        await reference.page.close();
        await reference.gateway.close();
      }
    } finally {
      if (!page.isClosed()) await page.close();
      await gateway.close();
    }
  });

  it('HTJ2K lossless without the RPCL guarantee (…4.201) is fetched whole: no ranges, same HU as explicit VR LE', async () => {
    const folder = join(work, 'htj2k-lossless');
    expect((await transcodeFolder(source, folder, 'htj2k-lossless')).kind).toBe('ok');
    const whole = await openFolder(folder);
    let lossless: number[];
    try {
      lossless = await landmarkValues(whole.page);
      expect(whole.frames.length).toBeGreaterThanOrEqual(3);
      expect(whole.frames.every((f) => f.range === undefined && f.status === 200)).toBe(true);
      expect(await whole.page.evaluate(() => (window as unknown as { cvPreview: { preview: boolean } }).cvPreview.preview)).toBe(false);
      expect(await stageMarks(whole.page)).toEqual([]);
    } finally {
      await whole.page.close();
      await whole.gateway.close();
    }
    const plain = await openFolder(source);
    try {
      expect(await landmarkValues(plain.page)).toEqual(lossless);
    } finally {
      await plain.page.close();
      await plain.gateway.close();
    }
  });
});
