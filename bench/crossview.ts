/**
 * Crossview in Chromium: one fresh browser context per run (nothing cached between runs).
 * - `ctLoadRun`: STUDY launch of the CT; first image and series complete from the viewer's marks.
 * - `sessionRun`: PATIENT launch; time until the timeline shows a study from each of the three
 *   sites, the CT opened and fully loaded, the wheel scroll rate over it, then the prior CT opened;
 *   JS heap and Cornerstone cache after both.
 */
import type { Browser } from 'playwright-core';
import { PerformanceMarks } from '../src/contracts/index';
import type { DemoManifest } from '../src/demo/manifest';
import { cacheBytes, heapAfterGc, markTime, wheelScrollRate } from './pageProbe';

export interface CtLoadSample {
  firstImageMs: number;
  seriesCompleteMs: number;
}

export async function ctLoadRun(browser: Browser, gatewayUrl: string, studyUID: string, seriesUID: string): Promise<CtLoadSample> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${gatewayUrl}/IHEInvokeImageDisplay?requestType=STUDY&studyUID=${studyUID}`);
    const firstImageMs = await markTime(page, PerformanceMarks.firstImage('vp-1'));
    const seriesCompleteMs = await markTime(page, PerformanceMarks.seriesComplete(seriesUID));
    return { firstImageMs, seriesCompleteMs };
  } finally {
    await context.close();
  }
}

export interface SessionSample {
  timelineMs: number;
  scrollFps: number;
  heapBytes: number;
  cacheBytes: number;
}

export async function sessionRun(browser: Browser, gatewayUrl: string, manifest: DemoManifest, scrollSlices: number): Promise<SessionSample> {
  const study = (key: string) => manifest.studies.find((s) => s.key === key)!;
  const current = study('ct-current');
  const prior = study('ct-prior');
  const oneBySite = ['a', 'b', 'c'].map((site) => manifest.studies.find((s) => s.siteKey === site && s.person === 'patient')!);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    const nhs = `${manifest.patient.nhsNumber}^^^NHS`;
    await page.goto(`${gatewayUrl}/IHEInvokeImageDisplay?requestType=PATIENT&patientID=${encodeURIComponent(nhs)}`);
    for (const s of oneBySite) await page.locator(`[data-timeline-study="${s.StudyInstanceUID}"]`).first().waitFor({ timeout: 60_000 });
    const timelineMs = await page.evaluate(() => performance.now());

    const seriesOf = (s: typeof current) => s.series.find((x) => x.Modality === 'CT')!.SeriesInstanceUID;
    await page.locator(`[data-timeline-study="${current.StudyInstanceUID}"] button.study`).first().click();
    await markTime(page, PerformanceMarks.seriesComplete(seriesOf(current)));
    const scrollFps = await wheelScrollRate(page, scrollSlices);

    await page.locator(`[data-timeline-study="${prior.StudyInstanceUID}"] button.study`).first().click();
    await markTime(page, PerformanceMarks.seriesComplete(seriesOf(prior)));
    return { timelineMs, scrollFps, heapBytes: await heapAfterGc(context, page), cacheBytes: await cacheBytes(page) };
  } finally {
    await context.close();
  }
}
