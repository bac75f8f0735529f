/**
 * Crossview in Chromium: one fresh browser context per run (nothing cached between runs).
 * - `ctLoadRun`: STUDY launch of the CT; first image and series complete from the viewer's marks.
 * - `sessionRun`: the bench patient's reading session, timeline to hanging protocol to all six
 *   priors (below).
 */
import type { Browser } from 'playwright-core';
import { PerformanceMarks } from '../src/contracts/index';
import type { BenchData } from './benchData';
import { cacheBytes, clickAndWaitForHanging, heapAfterGc, markTime, wheelScrollRate } from './pageProbe';
import { signIn } from '../e2e/support/signIn';

export interface CtLoadSample {
  firstImageMs: number;
  seriesCompleteMs: number;
}

export async function ctLoadRun(browser: Browser, gatewayUrl: string, studyUID: string, seriesUID: string): Promise<CtLoadSample> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await signIn(context, gatewayUrl);
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
  /** Navigation start → the timeline holds a study from each of the three sites. */
  timelineMs: number;
  /** Navigation start → all seven studies (current and six priors) are on the timeline. */
  timelineCompleteMs: number;
  /** Navigation start → `cv:hanging-ready:ct-compare:0` after the current CT is clicked. */
  hangingMs: number;
  /** The click on the current CT → that mark. */
  hangingFromClickMs: number;
  scrollFps: number;
  /** Per prior clicked, newest first: the click → its hanging's ready mark. */
  priorHangMs: number[];
  /** The protocol each prior was hung with (the oldest has no earlier prior to compare with). */
  priorProtocols: string[];
  heapBytes: number;
  cacheBytes: number;
}

/**
 * The reading session on the bench patient: PATIENT launch by NHS number; the timeline fills from
 * three sites; the current CT is clicked and hangs `ct-compare` beside the most recent prior
 * (checked: the bench must measure that hanging, not another); both series load; the wheel
 * scroll rate on the current CT; then each prior is clicked in turn, newest first, and hangs too,
 * its cells' series loaded; JS heap and Cornerstone cache after all six.
 */
export async function sessionRun(browser: Browser, gatewayUrl: string, data: BenchData, scrollSlices: number): Promise<SessionSample> {
  const studies = [data.current, ...data.priors];
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await signIn(context, gatewayUrl);
  try {
    const page = await context.newPage();
    const nhs = `${data.patient.nhsNumber}^^^NHS`;
    await page.goto(`${gatewayUrl}/IHEInvokeImageDisplay?requestType=PATIENT&patientID=${encodeURIComponent(nhs)}`);
    const row = (uid: string) => page.locator(`[data-timeline-study="${uid}"]`).first();
    const oneBySite = ['a', 'b', 'c'].map((site) => studies.find((s) => s.siteKey === site)!);
    for (const s of oneBySite) await row(s.StudyInstanceUID).waitFor({ timeout: 60_000 });
    const timelineMs = await page.evaluate(() => performance.now());
    // Every prior must be known before the current is hung, or "most recent" could miss one.
    for (const s of studies) await row(s.StudyInstanceUID).waitFor({ timeout: 60_000 });
    const timelineCompleteMs = await page.evaluate(() => performance.now());

    const study = (uid: string) => row(uid).locator('button.study').first();
    const current = await clickAndWaitForHanging(page, study(data.current.StudyInstanceUID));
    const expected = [data.current, data.priors[0]!];
    const shown = current.cells.map((c) => c.studyUid);
    if (current.protocolId !== 'ct-compare' || shown.length !== 2 || shown.some((uid, i) => uid !== expected[i]!.StudyInstanceUID)) {
      throw new Error(`sessionRun: the current CT hung ${current.protocolId} with ${JSON.stringify(current.cells)}, expected ct-compare with the current CT and the most recent prior`);
    }
    for (const cell of current.cells) await markTime(page, PerformanceMarks.seriesComplete(cell.seriesUid));
    const scrollFps = await wheelScrollRate(page, scrollSlices, data.current.slices);

    const priorHangMs: number[] = [];
    const priorProtocols: string[] = [];
    for (const prior of data.priors) {
      const hung = await clickAndWaitForHanging(page, study(prior.StudyInstanceUID));
      if (hung.cells[0]?.studyUid !== prior.StudyInstanceUID) throw new Error(`sessionRun: clicking ${prior.key} hung ${JSON.stringify(hung.cells)}`);
      priorHangMs.push(hung.readyMs - hung.clickMs);
      priorProtocols.push(hung.protocolId);
      for (const cell of hung.cells) await markTime(page, PerformanceMarks.seriesComplete(cell.seriesUid));
    }
    return {
      timelineMs,
      timelineCompleteMs,
      hangingMs: current.readyMs,
      hangingFromClickMs: current.readyMs - current.clickMs,
      scrollFps,
      priorHangMs,
      priorProtocols,
      heapBytes: await heapAfterGc(context, page),
      cacheBytes: await cacheBytes(page),
    };
  } finally {
    await context.close();
  }
}
