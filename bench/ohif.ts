/**
 * OHIF side by side: the published `@ohif/app@3.12.10` build, fetched with `npm pack` into the
 * git-ignored `bench/ohif/`, its `app-config.js` replaced by one DICOMweb data source at the
 * same-origin proxy of the Orthanc that holds the CT. Measured per run, in a fresh context:
 * - first image: the first time a Cornerstone canvas in the page holds a non-black pixel
 *   (OHIF publishes no marks of its own);
 * - series complete: every image of the CT series in OHIF's Cornerstone cache with `loaded` set
 *   (OHIF exposes `window.cornerstone`); its study prefetcher is enabled so it loads the series.
 * Both polled every 50 ms from navigation start (page `performance.now()`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';

export const OhifVersion = '3.12.10';
const OhifDir = resolve('bench/ohif');
export const OhifDist = resolve(OhifDir, 'package/dist');

/** Fetches and unpacks OHIF once; writes the app config every time (cheap, and always current). */
export function prepareOhif(): void {
  if (!existsSync(resolve(OhifDist, 'index.html'))) {
    mkdirSync(OhifDir, { recursive: true });
    const tarball = resolve(OhifDir, `ohif-app-${OhifVersion}.tgz`);
    if (!existsSync(tarball)) execFileSync('npm', ['pack', `@ohif/app@${OhifVersion}`, '--silent'], { cwd: OhifDir, stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('tar', ['xzf', tarball], { cwd: OhifDir });
  }
  writeFileSync(resolve(OhifDist, 'app-config.js'), appConfig());
}

function appConfig(): string {
  return `/** Written by bench/ohif.ts: one DICOMweb source, the same-origin proxy of the bench Orthanc. */
window.config = {
  routerBasename: '/',
  extensions: [],
  modes: [],
  showStudyList: true,
  maxNumberOfWebWorkers: 3,
  showWarningMessageForCrossOrigin: false,
  showCPUFallbackMessage: false,
  showLoadingIndicator: true,
  strictZSpacingForVolumeViewport: true,
  investigationalUseDialog: { option: 'never' },
  studyPrefetcher: { enabled: true, displaySetsCount: 1, maxNumPrefetchRequests: 10, order: 'closest' },
  defaultDataSourceName: 'orthanc',
  dataSources: [
    {
      namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
      sourceName: 'orthanc',
      configuration: {
        friendlyName: 'Bench Orthanc',
        name: 'orthanc',
        wadoUriRoot: '/dicom-web',
        qidoRoot: '/dicom-web',
        wadoRoot: '/dicom-web',
        qidoSupportsIncludeField: false,
        imageRendering: 'wadors',
        thumbnailRendering: 'wadors',
        enableStudyLazyLoad: true,
        supportsFuzzyMatching: false,
        supportsWildcard: true,
        dicomUploadEnabled: false,
        bulkDataURI: { enabled: true },
        omitQuotationForMultipartRequest: true,
      },
    },
  ],
};
`;
}

export interface OhifSample {
  firstImageMs: number;
  seriesCompleteMs: number;
}

export async function ohifRun(browser: Browser, ohifUrl: string, studyUID: string, seriesUID: string, slices: number): Promise<OhifSample> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${ohifUrl}/viewer?StudyInstanceUIDs=${studyUID}`);
    const firstImage = await page
      .waitForFunction(
        () => {
          for (const canvas of document.querySelectorAll<HTMLCanvasElement>('canvas.cornerstone-canvas')) {
            const ctx = canvas.getContext('2d');
            if (!ctx || !canvas.width || !canvas.height) continue;
            const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 0; i < data.length; i += 4 * 97) if (data[i]! > 8 || data[i + 1]! > 8 || data[i + 2]! > 8) return performance.now();
          }
          return false;
        },
        undefined,
        { polling: 50, timeout: 120_000 },
      )
      .catch((error: unknown) => {
        throw new Error(`OHIF showed no image: ${String(error).split('\n')[0]}; page errors: ${problems.slice(0, 3).join(' / ') || 'none'}`);
      });
    const firstImageMs = (await firstImage.jsonValue()) as number;
    const complete = await page
      .waitForFunction(
        ({ uid, count }) => {
          const cs = (window as unknown as { cornerstone?: { cache?: { _imageCache?: Map<string, { loaded?: boolean }> } } }).cornerstone;
          const images = cs?.cache?._imageCache;
          if (!images) return false;
          let loaded = 0;
          for (const [id, entry] of images) if (id.includes(uid) && entry.loaded) loaded++;
          return loaded >= count ? performance.now() : false;
        },
        { uid: seriesUID, count: slices },
        { polling: 50, timeout: 180_000 },
      )
      .catch(async (error: unknown) => {
        const seen = await page.evaluate((uid) => {
          const cs = (window as unknown as { cornerstone?: { cache?: { _imageCache?: Map<string, { loaded?: boolean }> } } }).cornerstone;
          return [...(cs?.cache?._imageCache?.entries() ?? [])].filter(([id, e]) => id.includes(uid) && e.loaded).length;
        }, seriesUID);
        throw new Error(`OHIF did not load the whole series (${seen}/${slices} images cached): ${String(error).split('\n')[0]}`);
      });
    return { firstImageMs, seriesCompleteMs: (await complete.jsonValue()) as number };
  } finally {
    await context.close();
  }
}
