/**
 * Driving the single viewport (`vp-1`) as a user would, for e2e tests: open the current CT from
 * the timeline and move to the slice that holds a patient-space point, with the keyboard.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { CtPhantomTruth, DemoManifest, Vec3 } from '../../src/demo/manifest';
import { patientLaunchUrl } from './stack';

/** Stack index the viewer gives a slice: furthest along the axial normal (+z, superior) first. */
export function stackIndexOf(truth: CtPhantomTruth, point: Vec3): number {
  const { firstPosition, sliceStep, sliceCount } = truth.geometry;
  return sliceCount - 1 - Math.round((point[2] - firstPosition[2]) / sliceStep);
}

export async function imageIndex(page: Page, viewportId = 'vp-1'): Promise<number> {
  return Number(await page.locator(`[data-viewport-id="${viewportId}"]`).getAttribute('data-image-index'));
}

/**
 * Arrow keys to the target slice, then a moment for it to render before pixels are read. Presses
 * that land while a slice is still loading can be merged by Cornerstone's scroll debounce, so the
 * remaining distance is pressed again until the index settles on the target.
 */
export async function goToIndex(page: Page, target: number, viewportId = 'vp-1'): Promise<void> {
  const element = page.locator(`[data-viewport-id="${viewportId}"] .cs-element`);
  // Keys go to the active cell of the grid: make this one active first (a click does).
  if ((await page.locator(`[data-viewport-id="${viewportId}"]`).getAttribute('data-active')) !== 'true') await element.click();
  await element.hover();
  for (let round = 0; round < 4; round++) {
    const current = await imageIndex(page, viewportId);
    if (current === target) break;
    const key = target > current ? 'ArrowDown' : 'ArrowUp';
    for (let i = 0; i < Math.abs(target - current); i++) await page.keyboard.press(key);
    const reached = await expect
      .poll(() => imageIndex(page, viewportId), { timeout: 5_000 })
      .toBe(target)
      .then(() => true, () => false);
    if (reached) break;
  }
  await expect.poll(() => imageIndex(page, viewportId), { timeout: 15_000 }).toBe(target);
  await page.waitForTimeout(300);
}

/** Launches the demo patient from the EHR link and opens the current CT; resolves when it shows. */
export async function openCurrentCt(page: Page, gatewayUrl: string, manifest: DemoManifest) {
  const ct = manifest.studies.find((s) => s.key === 'ct-current')!;
  await page.goto(patientLaunchUrl(gatewayUrl, manifest.patient.nhsNumber));
  await page.locator(`[data-timeline-study="${ct.StudyInstanceUID}"] button.study`).click();
  await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 60_000 });
  return ct;
}

/**
 * Shows `vp-1` alone over the grid (key F), as a reader does before measuring: tools then work at
 * the image scale of a full-size viewport. Resolves once the other cells are gone and vp-1 is ready.
 */
export async function maximiseFirstCell(page: Page): Promise<void> {
  await page.locator('[data-viewport-id="vp-1"] .cs-element').hover();
  await page.keyboard.press('f');
  await expect.poll(() => page.locator('.viewport[data-viewport-id]:not([data-viewport-id="vp-1"])').count()).toBe(0);
  await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 30_000 });
  // The canvas follows the cell's new size a frame or more later: wait until the image scale
  // (canvas pixels per mm) has settled, so points computed now are where the mouse will land.
  const scale = () =>
    page.evaluate(() => {
      // Cornerstone sizes the canvas's backing store to the element when it resizes.
      const element = document.querySelector<HTMLElement>('[data-viewport-id="vp-1"] .cs-element');
      const canvas = element?.querySelector('canvas');
      if (!element || !canvas || Math.abs(canvas.width - Math.round(element.clientWidth * devicePixelRatio)) > 2) return 0;
      const a = window.crossview?.worldToCanvas('vp-1', [0, 0, 0]);
      const b = window.crossview?.worldToCanvas('vp-1', [100, 0, 0]);
      return a && b ? Math.round(Math.hypot(b[0] - a[0], b[1] - a[1]) * 10) / 1000 : 0;
    });
  let previous = -1;
  await expect
    .poll(
      async () => {
        const now = await scale();
        const settled = now > 0 && now === previous;
        previous = now;
        return settled;
      },
      { timeout: 15_000, interval: 400 },
    )
    .toBe(true);
}
