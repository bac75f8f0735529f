/**
 * Volume streaming, the cache budget and MPR against three real Orthanc hospitals. The gateway is
 * configured with a small image memory budget (200 MiB) so that opening the demo CTs in turn must
 * evict; the 220-slice CT (110 MiB as a volume) still fits it whole for MPR.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { greyLevelFor } from '../src/imaging/presets';
import { chestPhantom, huAt } from '../src/demo/ctPhantom';
import type { DemoManifest, Vec3 } from '../src/demo/manifest';
import { recordProblems, sampleScreen } from './support/browser';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';

const BudgetMiB = 200;
const MiB = 1024 * 1024;
let stack: Stack;
let manifest: DemoManifest;

beforeAll(async () => {
  stack = await startStack({ configure: (config) => ({ ...config, viewer: { cacheBudgetMiB: BudgetMiB } }) });
  manifest = stack.hospitals.manifest;
});
afterAll(async () => {
  await stack?.stop();
});

interface Observed {
  /** Per viewport id: the image index and whether the series was complete when it first showed pixels. */
  firstShown: Record<string, { index: string | null; seriesCompleteBefore: boolean }>;
  /** Every [aria-valuenow, aria-valuemax] a load progress bar showed. */
  progress: [number, number][];
}

/** Watches the page from its first script: when each viewport first turns ready, and every progress value. */
async function observe(page: Page, SeriesInstanceUID: string) {
  await page.addInitScript((series: string) => {
    const seen: Observed = { firstShown: {}, progress: [] };
    (window as unknown as { cvObserved: Observed }).cvObserved = seen;
    const check = () => {
      for (const el of document.querySelectorAll('[data-viewport-id][data-ready="true"]')) {
        const id = el.getAttribute('data-viewport-id')!;
        if (seen.firstShown[id]) continue;
        seen.firstShown[id] = { index: el.getAttribute('data-image-index'), seriesCompleteBefore: performance.getEntriesByName(`cv:series-complete:${series}`).length > 0 };
      }
      for (const bar of document.querySelectorAll('[role="progressbar"]')) {
        seen.progress.push([Number(bar.getAttribute('aria-valuenow')), Number(bar.getAttribute('aria-valuemax'))]);
      }
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready', 'aria-valuenow'] });
  }, SeriesInstanceUID);
}

const observed = (page: Page) => page.evaluate(() => (window as unknown as { cvObserved: Observed }).cvObserved);
const markTime = (page: Page, name: string) => page.evaluate((n) => performance.getEntriesByName(n).map((entry) => entry.startTime), name);

function currentCt() {
  const study = manifest.studies.find((s) => s.key === 'ct-current')!;
  const truth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
  return { study, truth, SeriesInstanceUID: truth.SeriesInstanceUID };
}

async function clickStudy(page: Page, StudyInstanceUID: string) {
  await page.locator(`[data-timeline-study="${StudyInstanceUID}"] button.study`).click();
}

describe('volume: progressive streaming', () => {
  it('the 220-slice CT shows its middle slice before the series completes, and the progress bar counts to the total', async () => {
    const { study, truth, SeriesInstanceUID } = currentCt();
    expect(truth.geometry.sliceCount).toBeGreaterThanOrEqual(200);
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    await observe(page, SeriesInstanceUID);
    await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
    await clickStudy(page, study.StudyInstanceUID);
    await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => markTime(page, `cv:series-complete:${SeriesInstanceUID}`), { timeout: 60_000 }).toHaveLength(1);

    const [firstImage] = await markTime(page, 'cv:first-image:vp-1');
    const [complete] = await markTime(page, `cv:series-complete:${SeriesInstanceUID}`);
    expect(firstImage).toBeLessThan(complete!);
    const seen = await observed(page);
    // The first pixels were the middle slice, while the rest was still streaming.
    expect(seen.firstShown['vp-1']).toEqual({ index: String(Math.floor((truth.geometry.sliceCount - 1) / 2)), seriesCompleteBefore: false });
    const values = seen.progress.filter(([, max]) => max === truth.geometry.sliceCount).map(([now]) => now);
    expect(values.length).toBeGreaterThan(3);
    expect(Math.min(...values)).toBeLessThan(truth.geometry.sliceCount / 2);
    // The bar shows while loading and goes once every slice is in (series-complete needs all 220).
    await expect.poll(() => page.locator('[data-viewport-id="vp-1"] [role="progressbar"]').count()).toBe(0);
    await page.close();
  });

  it('MPR streams the CT as a volume: axial pixels before the volume completes, its own progress bar to the total', async () => {
    const { study, truth, SeriesInstanceUID } = currentCt();
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = recordProblems(page);
    await observe(page, SeriesInstanceUID);
    await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
    await clickStudy(page, study.StudyInstanceUID);
    // Switch as soon as the stack shows its first image: the volume streams the rest itself.
    await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await page.keyboard.press('m');
    expect(await page.locator('button.mpr-toggle').getAttribute('aria-pressed')).toBe('true');
    for (const orientation of ['axial', 'sagittal', 'coronal']) {
      const pane = page.locator(`[data-viewport-id="vp-1-${orientation}"][data-ready="true"]`);
      await pane.waitFor({ timeout: 60_000 });
      expect(await pane.getAttribute('data-site-id')).toBe('site-a');
      expect(await pane.getAttribute('data-study-uid')).toBe(study.StudyInstanceUID);
      expect(await pane.getAttribute('data-series-uid')).toBe(SeriesInstanceUID);
      await expect.poll(() => pane.innerText()).toContain('Northgate Cancer Centre');
    }
    await expect.poll(() => markTime(page, `cv:series-complete:${SeriesInstanceUID}`), { timeout: 60_000 }).toHaveLength(1);
    const [axialFirst] = await markTime(page, 'cv:first-image:vp-1-axial');
    const [complete] = await markTime(page, `cv:series-complete:${SeriesInstanceUID}`);
    expect(axialFirst).toBeLessThan(complete!);
    const seen = await observed(page);
    expect(seen.firstShown['vp-1-axial']?.seriesCompleteBefore).toBe(false);
    const volumeBar = seen.progress.filter(([, max]) => max === truth.geometry.sliceCount);
    expect(volumeBar.length).toBeGreaterThan(3);
    await expect.poll(() => page.locator('[role="progressbar"]').count()).toBe(0);
    expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);
    await page.close();
  });
});

describe('volume: MPR', () => {
  it('the sagittal view shows the lesion at its craniocaudal level: bright at the centre, lung-dark 22 mm above and below', async () => {
    const { study, truth, SeriesInstanceUID } = currentCt();
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
    await clickStudy(page, study.StudyInstanceUID);
    await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await page.locator('button.mpr-toggle').click();
    await page.locator('[data-viewport-id="vp-1-sagittal"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('[role="progressbar"]').count(), { timeout: 60_000 }).toBe(0);
    expect((await markTime(page, `cv:series-complete:${SeriesInstanceUID}`)).length).toBeGreaterThanOrEqual(1);

    const lesion = truth.lesion.centre;
    const layers = chestPhantom(truth.lesion.diameterMm);
    // 22 mm: this CT has an RT plan, whose isodose lines (80 % at 18.5 mm, 50 % at 25 mm from the
    // lesion) are drawn on the planes too; the samples stay 3 mm clear of them.
    const above: Vec3 = [lesion[0], lesion[1], lesion[2] + 22];
    const below: Vec3 = [lesion[0], lesion[1], lesion[2] - 22];
    expect([huAt(layers, above), huAt(layers, below)]).toEqual([-850, -850]); // truth: lung on both sides

    // Place the crosshairs from the coronal view at the lesion's x, 10 mm above it: the sagittal
    // plane moves through the lesion and no crosshair line crosses a sampled point.
    const coronalBox = (await page.locator('[data-viewport-id="vp-1-coronal"] canvas').first().boundingBox())!;
    const target = await page.evaluate((p) => window.crossview!.worldToCanvas('vp-1-coronal', p)!, [lesion[0], 0, lesion[2] + 10] as [number, number, number]);
    await page.mouse.click(coronalBox.x + target[0], coronalBox.y + target[1]);
    await page.keyboard.press('2'); // lung window W 1500 L -600
    await expect.poll(() => page.locator('[data-viewport-id="vp-1-sagittal"] .corner.bottomRight').innerText()).toContain('W 1500 L -600');
    await page.waitForTimeout(400);

    const sagittal = page.locator('[data-viewport-id="vp-1-sagittal"] canvas').first();
    const grey = async (point: Vec3) => {
      const box = (await sagittal.boundingBox())!;
      const at = await page.evaluate((p) => window.crossview!.worldToCanvas('vp-1-sagittal', p)!, point as [number, number, number]);
      expect(at[0]).toBeGreaterThan(0);
      expect(at[1]).toBeGreaterThan(0);
      const { r, g, b } = await sampleScreen(page, box.x + at[0], box.y + at[1]);
      return (r + g + b) / 3;
    };
    const lesionGrey = greyLevelFor(truth.lesion.hu, 1500, -600);
    const lungGrey = greyLevelFor(-850, 1500, -600);
    expect(lesionGrey - lungGrey).toBeGreaterThan(40);
    const tolerance = 10 + truth.noiseAmplitudeHu;
    expect(Math.abs((await grey(lesion)) - lesionGrey), 'lesion centre').toBeLessThanOrEqual(tolerance);
    expect(Math.abs((await grey(above)) - lungGrey), '22 mm above').toBeLessThanOrEqual(tolerance);
    expect(Math.abs((await grey(below)) - lungGrey), '22 mm below').toBeLessThanOrEqual(tolerance);
    // The volume holds the phantom's HU at the lesion centre.
    const hu = await page.evaluate((p) => window.crossview!.pixelValue('vp-1-sagittal', p), lesion as [number, number, number]);
    expect(Math.abs(hu! - truth.lesion.hu)).toBeLessThanOrEqual(truth.noiseAmplitudeHu + 1);

    // A 30 mm slab MIP keeps the lesion bright (nothing denser lies beside it in the lung).
    await page.getByLabel('Slab thickness in mm (number)').fill('30');
    await expect.poll(() => page.locator('[data-viewport-id="vp-1-sagittal"] .corner.bottomRight').innerText()).toContain('MIP 30 mm');
    await page.waitForTimeout(400);
    expect(Math.abs((await grey(lesion)) - lesionGrey)).toBeLessThanOrEqual(tolerance);
    await page.close();
  });
});

describe('volume: memory budget', () => {
  it('opening CT series 8 times in turn (and one MPR volume) keeps the image cache within the 200 MiB budget, with no crash', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = recordProblems(page);
    await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
    const cts = (['ct-current', 'ct-prior'] as const).map((key) => ({
      study: manifest.studies.find((s) => s.key === key)!,
      truth: manifest.ct.find((c) => c.studyKey === key)!,
    }));
    let openedBytes = 0;
    for (let opening = 0; opening < 8; opening++) {
      const { study, truth } = cts[opening % 2]!;
      const series = truth.SeriesInstanceUID;
      const before = (await markTime(page, `cv:series-complete:${series}`)).length;
      await page.locator(`[data-timeline-study="${study.StudyInstanceUID}"]`).waitFor({ timeout: 20_000 });
      await clickStudy(page, study.StudyInstanceUID);
      await page.locator(`[data-viewport-id="vp-1"][data-series-uid="${series}"][data-ready="true"]`).waitFor({ timeout: 60_000 });
      await expect.poll(() => markTime(page, `cv:series-complete:${series}`), { timeout: 90_000 }).toHaveLength(before + 1);
      if (opening === 4) {
        // Once, the same series as a volume: MPR on, streamed whole, then back to the stack.
        await page.keyboard.press('m');
        await page.locator('[data-viewport-id="vp-1-sagittal"][data-ready="true"]').waitFor({ timeout: 60_000 });
        await expect.poll(() => page.locator('[role="progressbar"]').count(), { timeout: 60_000 }).toBe(0);
        expect(await page.evaluate(() => window.crossview!.cacheBytes())).toBeLessThanOrEqual(BudgetMiB * MiB);
        await page.keyboard.press('m');
        await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 60_000 });
      }
      openedBytes += truth.geometry.rows * truth.geometry.columns * 2 * truth.geometry.sliceCount;
      const cache = await page.evaluate(() => ({ bytes: window.crossview!.cacheBytes(), budget: window.crossview!.cacheBudgetBytes() }));
      expect(cache.budget).toBe(BudgetMiB * MiB);
      expect(cache.bytes, `opening ${opening + 1}`).toBeLessThanOrEqual(BudgetMiB * MiB);
      expect(cache.bytes).toBeGreaterThan(0);
    }
    // Everything opened would not have fitted: the budget held because images were evicted.
    expect(openedBytes).toBeGreaterThan(3 * BudgetMiB * MiB);
    expect(await page.evaluate(() => document.querySelectorAll('[data-viewport-id]').length)).toBeGreaterThan(0);
    expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);
    await page.close();
  });
});
