/**
 * Synchronised comparison of the demo patient's current CT (site A, 220 × 1.5 mm) with the prior
 * (site B, 120 × 2.5 mm, another FrameOfReferenceUID and a table offset), hung side by side by the
 * CT protocol: link at the lesion, scroll, window, unlink. Expectations come from the demo
 * manifest's truth. Real Orthanc hospitals, the gateway and Debian's Chromium (startStack).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { CtPhantomTruth, DemoManifest, Vec3 } from '../src/demo/manifest';
import { CtWindowPresets, greyLevelFor } from '../src/imaging/presets';
import { recordProblems, sampleScreen } from './support/browser';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';
import { stackIndexOf } from './support/viewer';

let stack: Stack;
let manifest: DemoManifest;
let page: Page;
let problems: string[];

const softTissue = CtWindowPresets.find((p) => p.id === 'soft-tissue')!;
const lung = CtWindowPresets.find((p) => p.id === 'lung')!;

beforeAll(async () => {
  stack = await startStack();
  manifest = stack.hospitals.manifest;
  page = await stack.newPage({ viewport: { width: 1600, height: 900 } });
  problems = recordProblems(page);
});
afterAll(async () => {
  await stack?.stop();
});

const cell = (viewportId: string): Locator => page.locator(`.viewport[data-viewport-id="${viewportId}"]`);
const strip = (): Locator => page.locator('[data-sync-group="ct-pair"]');

async function imageIndex(viewportId: string): Promise<number> {
  return Number(await cell(viewportId).getAttribute('data-image-index'));
}

/** z of a stack index: the viewer shows the most superior slice first (see stackIndexOf). */
function zOf(truth: CtPhantomTruth, index: number): number {
  const { firstPosition, sliceStep, sliceCount } = truth.geometry;
  return firstPosition[2] + (sliceCount - 1 - index) * sliceStep;
}

/** Clicks a cell (making it the active one) near its edge, away from the image and its tools. */
async function activate(viewportId: string) {
  await cell(viewportId).click({ position: { x: 8, y: 60 } });
  await expect.poll(() => cell(viewportId).getAttribute('data-active')).toBe('true');
}

/**
 * Arrow keys to the target slice of the active cell; presses merged by Cornerstone's scroll
 * debounce while slices load are made up for in further rounds.
 */
async function goTo(viewportId: string, target: number) {
  await activate(viewportId);
  for (let round = 0; round < 4; round++) {
    const current = await imageIndex(viewportId);
    if (current === target) break;
    const key = target > current ? 'ArrowDown' : 'ArrowUp';
    for (let i = 0; i < Math.abs(target - current); i++) await page.keyboard.press(key);
    const reached = await expect
      .poll(() => imageIndex(viewportId), { timeout: 5_000 })
      .toBe(target)
      .then(() => true, () => false);
    if (reached) break;
  }
  await expect.poll(() => imageIndex(viewportId), { timeout: 15_000 }).toBe(target);
}

async function canvasOf(viewportId: string, point: Vec3): Promise<[number, number]> {
  const canvas = await page.evaluate(([id, p]) => window.crossview?.worldToCanvas(id, p), [viewportId, point] as [string, [number, number, number]]);
  if (!canvas) throw new Error(`window.crossview.worldToCanvas gave nothing for ${viewportId}`);
  return canvas;
}

/** A mouse drag from the middle of a cell's image with one button (right: zoom, middle: pan). */
async function dragOn(viewportId: string, button: 'right' | 'middle', by: [number, number]) {
  const box = (await cell(viewportId).locator('.cs-element').boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down({ button });
  for (let step = 1; step <= 10; step++) await page.mouse.move(x + (by[0] * step) / 10, y + (by[1] * step) / 10);
  await page.mouse.up({ button });
  await page.waitForTimeout(200);
}

/** Screen grey level at a patient-space point on the slice a cell shows. */
async function greyAt(viewportId: string, point: Vec3): Promise<number> {
  const canvas = await canvasOf(viewportId, point);
  const box = (await cell(viewportId).locator('.cs-element').boundingBox())!;
  return (await sampleScreen(page, box.x + canvas[0], box.y + canvas[1], 1)).r;
}

describe('sync: current and prior CT across frames of reference', () => {
  it('after "link here" on the lesion slice in both, scrolling the current by 20 mm moves the prior by 20 mm of anatomy; W/L, zoom and pan on one apply to the other; unlinking stops it', async () => {
    const current = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
    const prior = manifest.ct.find((c) => c.studyKey === 'ct-prior')!;
    expect(current.geometry.FrameOfReferenceUID).not.toBe(prior.geometry.FrameOfReferenceUID);
    const currentStudy = manifest.studies.find((s) => s.key === 'ct-current')!;
    const priorStudy = manifest.studies.find((s) => s.key === 'ct-prior')!;

    await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
    await page.locator(`[data-timeline-study="${currentStudy.StudyInstanceUID}"] button.study`).click();
    for (const id of ['vp-1', 'vp-2']) await page.locator(`.viewport[data-viewport-id="${id}"][data-ready="true"]`).waitFor({ timeout: 90_000 });
    expect(await cell('vp-1').getAttribute('data-series-uid')).toBe(current.SeriesInstanceUID);
    expect(await cell('vp-2').getAttribute('data-series-uid')).toBe(prior.SeriesInstanceUID);
    expect(await cell('vp-2').getAttribute('data-study-uid')).toBe(priorStudy.StudyInstanceUID);

    // Different frames of reference: not linked, and scrolling one leaves the other.
    await expect.poll(() => strip().getAttribute('data-sync-state')).toBe('unlinked');
    const currentLesion = stackIndexOf(current, current.lesion.centre);
    const priorLesion = stackIndexOf(prior, prior.lesion.centre);
    const priorBeforeLink = await imageIndex('vp-2');
    await goTo('vp-1', currentLesion);
    await page.waitForTimeout(500);
    expect(await imageIndex('vp-2')).toBe(priorBeforeLink);
    await goTo('vp-2', priorLesion);
    await page.waitForTimeout(500);
    expect(await imageIndex('vp-1')).toBe(currentLesion);

    await strip().locator('[data-sync-action="link-here"]').click();
    await expect.poll(() => strip().getAttribute('data-sync-state')).toBe('linked');

    // W/L: the lung preset on the current reaches the prior (its soft-tissue landmark, on screen now).
    expect(await strip().locator('[data-sync-kind="window"]').getAttribute('aria-pressed')).toBe('true');
    const landmark = prior.landmarks.find((l) => l.name === 'soft-tissue')!;
    const softGrey = greyLevelFor(landmark.hu, softTissue.windowWidth, softTissue.windowCenter);
    const lungGrey = greyLevelFor(landmark.hu, lung.windowWidth, lung.windowCenter);
    expect(Math.abs(softGrey - lungGrey)).toBeGreaterThan(40);
    await page.waitForTimeout(300);
    expect(Math.abs((await greyAt('vp-2', landmark.point)) - softGrey)).toBeLessThanOrEqual(6);
    await activate('vp-1');
    await page.keyboard.press(lung.key);
    await expect.poll(async () => Math.abs((await greyAt('vp-2', landmark.point)) - lungGrey), { timeout: 5_000 }).toBeLessThanOrEqual(4);

    // Zoom (right drag) and pan (middle drag) on the current: the prior's image scales and moves alike.
    const [a, b] = [prior.landmarks.find((l) => l.name === 'air')!.point, prior.landmarks.find((l) => l.name === 'bone')!.point];
    const [ca, cb] = [current.landmarks.find((l) => l.name === 'air')!.point, current.landmarks.find((l) => l.name === 'bone')!.point];
    const span = async (id: string, p: Vec3, q: Vec3) => {
      const [pc, qc] = [await canvasOf(id, p), await canvasOf(id, q)];
      return Math.hypot(pc[0] - qc[0], pc[1] - qc[1]);
    };
    const [priorSpan0, currentSpan0] = [await span('vp-2', a, b), await span('vp-1', ca, cb)];
    await dragOn('vp-1', 'right', [0, 120]);
    const currentZoom = (await span('vp-1', ca, cb)) / currentSpan0;
    expect(Math.abs(currentZoom - 1)).toBeGreaterThan(0.2);
    await expect.poll(async () => Math.abs((await span('vp-2', a, b)) / priorSpan0 - currentZoom), { timeout: 5_000 }).toBeLessThan(0.03);
    const [priorAt0, currentAt0] = [await canvasOf('vp-2', a), await canvasOf('vp-1', ca)];
    await dragOn('vp-1', 'middle', [60, 40]);
    const currentAt1 = await canvasOf('vp-1', ca);
    const shift = [currentAt1[0] - currentAt0[0], currentAt1[1] - currentAt0[1]] as const;
    expect(Math.hypot(shift[0], shift[1])).toBeGreaterThan(30);
    await expect
      .poll(async () => {
        const priorAt1 = await canvasOf('vp-2', a);
        return Math.hypot(priorAt1[0] - priorAt0[0] - shift[0], priorAt1[1] - priorAt0[1] - shift[1]);
      }, { timeout: 5_000 })
      .toBeLessThan(2);

    // Scroll the current 20 mm towards the feet (13 slices of 1.5 mm = 19.5 mm).
    const steps = Math.round(20 / current.geometry.sliceStep);
    const currentMoved = zOf(current, currentLesion) - zOf(current, currentLesion + steps);
    expect(currentMoved).toBeCloseTo(19.5, 5);
    const halfPriorSlice = prior.geometry.sliceStep / 2;
    const priorZ0 = zOf(prior, priorLesion);
    await goTo('vp-1', currentLesion + steps);
    await expect.poll(async () => Math.abs(priorZ0 - zOf(prior, await imageIndex('vp-2')) - 20), { timeout: 10_000 }).toBeLessThanOrEqual(halfPriorSlice);
    const priorLinked = await imageIndex('vp-2');
    expect(priorLinked).toBeGreaterThan(priorLesion);

    // Unlink: the current scrolls on alone.
    await strip().locator('[data-sync-action="unlink"]').click();
    await expect.poll(() => strip().getAttribute('data-sync-state')).toBe('unlinked');
    await goTo('vp-1', currentLesion + steps + 10);
    await page.waitForTimeout(800);
    expect(await imageIndex('vp-2')).toBe(priorLinked);
    expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);
  });
});
