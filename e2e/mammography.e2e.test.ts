/**
 * Mammography 4-up on real Orthanc hospitals: the screening patient's current study (site A)
 * hangs with mg-4up, R CC / L CC over R MLO / L MLO, the right views mirrored. Every stored
 * image has the chest wall along its left edge (the demo's test pattern: a bright half-ellipse
 * on black), so on screen the right views must show the breast against their RIGHT edge and the
 * left views against their LEFT edge: chest walls facing each other. Read from real screenshots.
 * The CC prior stage then puts her site-C prior under the current CC views.
 */
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoManifest, DemoStudy, MammogramTruth } from '../src/demo/manifest';
import { recordProblems } from './support/browser';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';

let stack: Stack;
let manifest: DemoManifest;
let page: Page;
let problems: string[];

beforeAll(async () => {
  stack = await startStack();
  manifest = stack.hospitals.manifest;
  page = await stack.newPage({ viewport: { width: 1400, height: 1000 } });
  problems = recordProblems(page);
});
afterAll(async () => {
  await stack?.stop();
});

const study = (key: 'mg-current' | 'mg-prior'): DemoStudy => manifest.studies.find((s) => s.key === key)!;
const siteOf = (s: DemoStudy) => manifest.sites.find((site) => site.key === s.siteKey)!;
const view = (studyKey: MammogramTruth['studyKey'], laterality: 'R' | 'L', position: 'CC' | 'MLO'): MammogramTruth =>
  manifest.screening!.images.find((i) => i.studyKey === studyKey && i.Laterality === laterality && i.ViewPosition === position)!;

/** Where the breast lies in one cell, read from a screenshot column by column. */
interface BreastOnScreen {
  /** The side of the shown breast that is full height: the chest wall. */
  chestWall: 'left' | 'right';
  /** Page x of the chest-wall edge and of the nipple end. */
  chestWallX: number;
  nippleX: number;
  /** Bright height at the chest wall and at the nipple end, as fractions of the tallest column. */
  chestWallHeight: number;
  nippleHeight: number;
  /** The tallest bright column as a fraction of the canvas height. */
  tallest: number;
  canvas: { x: number; width: number };
}

/**
 * Screenshots the images area with everything drawn over the canvases hidden (site badges,
 * corner text, SVG annotations), then measures the bright (breast) columns of each cell's canvas.
 * Marker blocks are a few pixels tall, so a 5 % height threshold leaves them out.
 */
async function breastsOnScreen(viewportIds: string[]): Promise<Map<string, BreastOnScreen>> {
  await page.evaluate(() => {
    for (const element of document.querySelectorAll<HTMLElement>('body *')) {
      if (element.tagName !== 'CANVAS' && !element.querySelector('canvas')) element.style.visibility = 'hidden';
    }
  });
  const shot = PNG.sync.read(await page.screenshot());
  await page.evaluate(() => {
    for (const element of document.querySelectorAll<HTMLElement>('body *')) element.style.visibility = '';
  });
  const found = new Map<string, BreastOnScreen>();
  for (const id of viewportIds) {
    const box = await page.locator(`.viewport[data-viewport-id="${id}"] canvas`).first().boundingBox();
    if (!box) throw new Error(`${id} has no canvas on screen`);
    const x0 = Math.ceil(box.x);
    const y0 = Math.ceil(box.y);
    const width = Math.floor(box.width) - 1;
    const height = Math.floor(box.height) - 1;
    const counts = Array.from({ length: width }, (_, dx) => {
      let bright = 0;
      for (let dy = 0; dy < height; dy++) {
        const i = ((y0 + dy) * shot.width + x0 + dx) * 4;
        if ((shot.data[i]! + shot.data[i + 1]! + shot.data[i + 2]!) / 3 > 40) bright += 1;
      }
      return bright;
    });
    const tallest = Math.max(...counts);
    const columns = counts.flatMap((count, dx) => (count >= 0.05 * tallest ? [dx] : []));
    const lo = columns[0] ?? 0;
    const hi = columns[columns.length - 1] ?? 0;
    // The outermost screen column of an image edge is a blend with the black around it: take
    // the tallest of the first few columns in from each end.
    const heightNear = (edge: number, inward: 1 | -1) => Math.max(...[0, 1, 2, 3].map((k) => counts[edge + k * inward] ?? 0)) / Math.max(1, tallest);
    const right = heightNear(hi, -1) > heightNear(lo, 1);
    found.set(id, {
      chestWall: right ? 'right' : 'left',
      chestWallX: x0 + (right ? hi : lo),
      nippleX: x0 + (right ? lo : hi),
      chestWallHeight: right ? heightNear(hi, -1) : heightNear(lo, 1),
      nippleHeight: right ? heightNear(lo, 1) : heightNear(hi, -1),
      tallest: tallest / height,
      canvas: { x: x0, width },
    });
  }
  return found;
}

/** The breast is against the `side` edge of what the cell shows: full height there, tapering away. */
function expectChestWall(breast: BreastOnScreen | undefined, side: 'left' | 'right', label: string) {
  expect(breast, label).toBeDefined();
  const b = breast!;
  expect(b.tallest, `${label}: a breast-sized bright region`).toBeGreaterThan(0.4);
  expect(b.chestWall, `${label}: chest wall side`).toBe(side);
  expect(b.chestWallHeight, `${label}: full height at the chest wall`).toBeGreaterThan(0.8);
  expect(b.nippleHeight, `${label}: tapering to the nipple`).toBeLessThan(0.4);
  // The chest wall is on that half of the canvas (the image is centred in its cell).
  const middle = b.canvas.x + b.canvas.width / 2;
  expect(side === 'right' ? b.chestWallX > middle : b.chestWallX < middle, `${label}: chest wall on the ${side} half`).toBe(true);
}

async function readyCells(count: number) {
  await expect.poll(() => page.locator('.viewer-grid .viewport[data-ready="true"]').count(), { timeout: 60_000 }).toBe(count);
  // One more frame, so what was drawn is what the screenshot sees.
  await page.waitForTimeout(300);
}

async function cell(viewportId: string) {
  const element = page.locator(`.viewport[data-viewport-id="${viewportId}"]`);
  const attr = (name: string) => element.getAttribute(name);
  return {
    series: await attr('data-series-uid'),
    study: await attr('data-study-uid'),
    site: await attr('data-site-id'),
    role: await attr('data-role'),
    mirrored: await attr('data-mirrored'),
    badge: await element.locator('.viewport-site').innerText(),
  };
}

describe('mammography hanging', () => {
  it('hangs her current mammogram 4-up with the right views mirrored: chest walls face each other, each cell with its hospital', async () => {
    const current = study('mg-current');
    const prior = study('mg-prior');
    await page.goto(patientLaunchUrl(stack.gateway.url, manifest.screening!.person.nhsNumber));
    const row = (s: DemoStudy) => page.locator(`.timeline [data-timeline-study="${s.StudyInstanceUID}"]`).first();
    await row(prior).waitFor({ timeout: 30_000 });
    await page.locator('.timeline h2 .spinner').waitFor({ state: 'detached', timeout: 30_000 });
    // She is not the demo patient: none of the demo patient's studies are on her timeline.
    const ct = manifest.studies.find((s) => s.key === 'ct-current')!;
    expect(await page.locator(`[data-timeline-study="${ct.StudyInstanceUID}"]`).count()).toBe(0);
    await row(current).locator('button.study').click();

    const grid = page.locator('section.viewer-grid');
    await expect.poll(() => grid.getAttribute('data-protocol-id'), { timeout: 30_000 }).toBe('mg-4up');
    expect(await grid.getAttribute('data-stage-index')).toBe('0');
    await readyCells(4);
    await page.waitForFunction(() => performance.getEntriesByName('cv:hanging-ready:mg-4up:0').length > 0, undefined, { timeout: 30_000 });
    expect(await row(current).getAttribute('data-hanging')).toBe('current');

    const siteA = siteOf(current);
    const expected = [
      ['vp-1', view('mg-current', 'R', 'CC'), 'true'],
      ['vp-2', view('mg-current', 'L', 'CC'), 'false'],
      ['vp-3', view('mg-current', 'R', 'MLO'), 'true'],
      ['vp-4', view('mg-current', 'L', 'MLO'), 'false'],
    ] as const;
    for (const [id, image, mirrored] of expected) {
      const shown = await cell(id);
      expect([shown.series, shown.study, shown.site, shown.role, shown.mirrored], `${id} ${image.Laterality} ${image.ViewPosition}`).toEqual([
        image.SeriesInstanceUID, current.StudyInstanceUID, siteA.siteId, 'current', mirrored,
      ]);
      expect(shown.badge, id).toContain(siteA.name);
    }

    const breasts = await breastsOnScreen(['vp-1', 'vp-2', 'vp-3', 'vp-4']);
    expectChestWall(breasts.get('vp-1'), 'right', 'vp-1 R CC');
    expectChestWall(breasts.get('vp-2'), 'left', 'vp-2 L CC');
    expectChestWall(breasts.get('vp-3'), 'right', 'vp-3 R MLO');
    expectChestWall(breasts.get('vp-4'), 'left', 'vp-4 L MLO');
    // Facing each other across the middle of the grid: each row's chest walls sit between its nipples.
    for (const [right, left] of [['vp-1', 'vp-2'], ['vp-3', 'vp-4']] as const) {
      const r = breasts.get(right)!;
      const l = breasts.get(left)!;
      expect(r.nippleX < r.chestWallX && r.chestWallX < l.chestWallX && l.chestWallX < l.nippleX, `${right} and ${left} face each other`).toBe(true);
    }
    expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);
  });

  it('the "CC: current over prior" stage puts her site-C prior CC views, mirrored the same way, under the current ones', async () => {
    const current = study('mg-current');
    const prior = study('mg-prior');
    await page.locator('button[data-stage-button="1"]').click();
    const grid = page.locator('section.viewer-grid');
    await expect.poll(() => grid.getAttribute('data-stage-index'), { timeout: 10_000 }).toBe('1');
    expect(await page.locator('button[data-stage-button="1"]').getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(async () => page.locator(`.viewer-grid .viewport[data-ready="true"][data-study-uid="${prior.StudyInstanceUID}"]`).count(), { timeout: 60_000 })
      .toBe(2);
    await readyCells(4);
    await page.waitForFunction(() => performance.getEntriesByName('cv:hanging-ready:mg-4up:1').length > 0, undefined, { timeout: 30_000 });

    // The timeline marks the prior now that it is on screen.
    await expect.poll(() => page.locator(`.timeline [data-timeline-study="${prior.StudyInstanceUID}"]`).first().getAttribute('data-hanging')).toBe('prior');
    const siteA = siteOf(current);
    const siteC = siteOf(prior);
    const expected = [
      ['vp-1', view('mg-current', 'R', 'CC'), current, siteA, 'current', 'true'],
      ['vp-2', view('mg-current', 'L', 'CC'), current, siteA, 'current', 'false'],
      ['vp-3', view('mg-prior', 'R', 'CC'), prior, siteC, 'prior', 'true'],
      ['vp-4', view('mg-prior', 'L', 'CC'), prior, siteC, 'prior', 'false'],
    ] as const;
    for (const [id, image, s, site, role, mirrored] of expected) {
      const shown = await cell(id);
      expect([shown.series, shown.study, shown.site, shown.role, shown.mirrored], `${id} ${image.studyKey} ${image.Laterality} ${image.ViewPosition}`).toEqual([
        image.SeriesInstanceUID, s.StudyInstanceUID, site.siteId, role, mirrored,
      ]);
      expect(shown.badge, id).toContain(site.name);
    }
    const breasts = await breastsOnScreen(['vp-1', 'vp-2', 'vp-3', 'vp-4']);
    expectChestWall(breasts.get('vp-3'), 'right', 'vp-3 prior R CC');
    expectChestWall(breasts.get('vp-4'), 'left', 'vp-4 prior L CC');
    expectChestWall(breasts.get('vp-1'), 'right', 'vp-1 current R CC');
    expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);
  });
});
