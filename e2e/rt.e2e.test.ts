/**
 * RT review on the planning CT: the demo's RTSTRUCT and RTDOSE drawn over the current CT, checked
 * against the phantom's truth in real pixels (real Orthanc hospitals, the gateway, Debian's
 * Chromium). UI contract: the cell showing the CT lists each structure as
 * `[data-rt-structure="<ROIName>"]` with a visibility checkbox and its volume in cc (`data-rt-volume-cc`),
 * and shows the dose under the pointer in `[data-dose-readout]` (its value, e.g. `60.0 Gy`); isodose
 * lines use the default levels and colours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { DemoManifest, Vec3 } from '../src/demo/manifest';
import { DefaultIsodoseLevels } from '../src/imaging/isodose';
import { startStack, type Stack } from './support/stack';
import { goToIndex, openCurrentCt, stackIndexOf } from './support/viewer';

let stack: Stack;
let manifest: DemoManifest;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  manifest = stack.hospitals.manifest;
  page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
  await openCurrentCt(page, stack.gateway.url, manifest);
});

/** The slice through the GTV centre on screen (each test starts there; a no-op once it is). */
async function onLesionSlice(): Promise<void> {
  const truth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
  await goToIndex(page, stackIndexOf(truth, manifest.rt!.structureSet.gtv.centre));
}
afterAll(async () => {
  await stack?.stop();
});

/** Page pixel of a patient-space point on the slice on screen in vp-1. */
async function screenPoint(point: Vec3): Promise<{ x: number; y: number }> {
  const canvas = await page.evaluate((p) => window.crossview?.worldToCanvas('vp-1', p), point as [number, number, number]);
  if (!canvas) throw new Error('window.crossview.worldToCanvas gave nothing for vp-1');
  const box = (await page.locator('[data-viewport-id="vp-1"] .cs-element').boundingBox())!;
  return { x: box.x + canvas[0], y: box.y + canvas[1] };
}

/**
 * The overlay's colour, allowing for antialiasing over the grey image: bright enough, and of the
 * same hue once both are scaled to full brightness (grey never matches a saturated colour).
 */
function near(pixel: [number, number, number], color: readonly number[]): boolean {
  const top = Math.max(...pixel);
  const colorTop = Math.max(...color);
  if (top < 110 || colorTop === 0) return false;
  return pixel.every((v, k) => Math.abs((v * 255) / top - (color[k]! * 255) / colorTop) <= 60);
}
const hexColor = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/**
 * One screenshot of the screen round the GTV, and the slice's patient (x, y) → page pixel map
 * (affine: parallel projection), so many points are checked against one picture.
 */
interface Snapshot {
  /** Page pixels per mm on screen. */
  pxPerMm: number;
  /** Pixels within `radius` screen pixels of a patient point on the slice. */
  around(point: Vec3, radius: number): [number, number, number][];
}

/** The RGB pixels of a screenshot within `radius` of (x, y), clipped to the picture. */
function pixelsAround(png: PNG, x: number, y: number, radius: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let j = y - radius; j <= y + radius; j++) {
    for (let i = x - radius; i <= x + radius; i++) {
      if (i < 0 || j < 0 || i >= png.width || j >= png.height) continue;
      const k = 4 * (j * png.width + i);
      out.push([png.data[k]!, png.data[k + 1]!, png.data[k + 2]!]);
    }
  }
  return out;
}

async function snapshot(halfWidthMm: number): Promise<Snapshot> {
  const { centre } = manifest.rt!.structureSet.gtv;
  const c = await screenPoint(centre);
  const ex = await screenPoint([centre[0] + 1, centre[1], centre[2]]);
  const ey = await screenPoint([centre[0], centre[1] + 1, centre[2]]);
  const pxPerMm = Math.hypot(ex.x - c.x, ex.y - c.y);
  const half = Math.ceil(halfWidthMm * pxPerMm) + 4;
  const clip = { x: Math.round(c.x) - half, y: Math.round(c.y) - half, width: 2 * half + 1, height: 2 * half + 1 };
  const png = PNG.sync.read(await page.screenshot({ clip }));
  return {
    pxPerMm,
    around: (point, radius) => {
      const [dx, dy] = [point[0] - centre[0], point[1] - centre[1]];
      const x = Math.round(c.x + dx * (ex.x - c.x) + dy * (ey.x - c.x)) - clip.x;
      const y = Math.round(c.y + dx * (ex.y - c.y) + dy * (ey.y - c.y)) - clip.y;
      return pixelsAround(png, x, y, radius);
    },
  };
}

/** Points round the GTV on the lesion slice at `radiusMm` from its centre, every 45°. */
function ring(radiusMm: number): Vec3[] {
  const { centre } = manifest.rt!.structureSet.gtv;
  return Array.from({ length: 8 }, (_, k) => [centre[0] + radiusMm * Math.cos((k * Math.PI) / 4), centre[1] + radiusMm * Math.sin((k * Math.PI) / 4), centre[2]] as Vec3);
}

/** How many ring points have a pixel of `color` within `radius` screen pixels. */
function ringHits(shot: Snapshot, radiusMm: number, color: readonly number[], radius: number): number {
  return ring(radiusMm).filter((point) => shot.around(point, radius).some((pixel) => near(pixel, color))).length;
}

describe('RT structures and dose on the planning CT', () => {
  it('lists the structures with their volumes from the contours, the GTV within 5 % of the phantom sphere', async () => {
    const rt = manifest.rt!;
    for (const roi of rt.structureSet.rois) {
      await expect.poll(() => page.locator(`[data-rt-structure="${roi.ROIName}"]`).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    }
    const gtv = page.locator('[data-rt-structure="GTV"]').first();
    expect(await gtv.locator('input[type="checkbox"]').isChecked()).toBe(true);
    // The volume as shown (e.g. "4.1 cc") and as the cell states it in data-rt-volume-cc.
    expect(await gtv.textContent()).toMatch(/\d+\.\d cc/);
    const volume = Number(await gtv.locator('[data-rt-volume-cc]').getAttribute('data-rt-volume-cc'));
    expect(Math.abs(volume - rt.structureSet.gtv.volumeCc) / rt.structureSet.gtv.volumeCc).toBeLessThan(0.05);
  });

  it('draws the GTV contour in its file colour at the lesion boundary, not just inside or outside it; unticking GTV hides it', async () => {
    await onLesionSlice();
    const { radiusMm } = manifest.rt!.structureSet.gtv;
    const red = manifest.rt!.structureSet.rois.find((r) => r.ROIName === 'GTV')!.ROIDisplayColor;
    const onBoundary = async () => ringHits(await snapshot(radiusMm + 8), radiusMm, red, 2);
    await expect.poll(onBoundary, { timeout: 10_000 }).toBe(8);
    // Clear of the 2 px line and its antialiasing: 6 screen pixels (and at least 3 mm) in and out.
    const shot = await snapshot(radiusMm + 8);
    const margin = Math.max(3, 6 / shot.pxPerMm);
    expect(margin).toBeLessThan(radiusMm - 1);
    expect(ringHits(shot, radiusMm - margin, red, 1)).toBe(0);
    expect(ringHits(shot, radiusMm + margin, red, 1)).toBe(0);

    await page.locator('[data-rt-structure="GTV"] input[type="checkbox"]').first().uncheck();
    await expect.poll(onBoundary, { timeout: 5_000 }).toBe(0);
    await page.locator('[data-rt-structure="GTV"] input[type="checkbox"]').first().check();
    await expect.poll(onBoundary, { timeout: 5_000 }).toBe(8);
  });

  it('the probe on the GTV centre reads the known maximum dose in Gy', async () => {
    await onLesionSlice();
    const { centre, maxGy } = manifest.rt!.dose;
    const { x, y } = await screenPoint(centre);
    await page.mouse.move(x, y);
    // The readout's attribute holds the dose under the pointer only ("60.0 Gy"; empty off the grid).
    const readGy = async () => Number(/^(\d+(?:\.\d+)?) Gy$/.exec((await page.locator('[data-dose-readout]').first().getAttribute('data-dose-readout')) ?? '')?.[1] ?? NaN);
    await expect.poll(readGy, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(Math.abs((await readGy()) - maxGy) / maxGy).toBeLessThan(0.01);
    // 20 mm further out the readout falls to what the profile gives there (well under half).
    const outside = await screenPoint([centre[0] + 30, centre[1], centre[2]]);
    await page.mouse.move(outside.x, outside.y);
    await expect.poll(readGy, { timeout: 5_000 }).toBeLessThan(maxGy / 2);
  });

  it('the 50 % isodose line crosses the expected radius ± 1 dose voxel all round the GTV', async () => {
    await onLesionSlice();
    const { centre, radius50Mm, gridSpacingMm } = manifest.rt!.dose;
    const fifty = hexColor(DefaultIsodoseLevels.find((l) => l.value === 50 && l.unit === '%')!.color);
    const voxel = gridSpacingMm[0];
    // The pointer off the image, so nothing of it is in the picture.
    await page.mouse.move(0, 0);
    const shot = await snapshot(radius50Mm + 2 * voxel);
    for (let k = 0; k < 8; k++) {
      const angle = (k * Math.PI) / 4 + 0.1;
      // Radii (0.5 mm steps over ±2 voxels of the truth) where the 50 % colour is on screen along this direction.
      const radii: number[] = [];
      for (let d = -2 * voxel; d <= 2 * voxel; d += 0.5) {
        const r = radius50Mm + d;
        if (shot.around([centre[0] + r * Math.cos(angle), centre[1] + r * Math.sin(angle), centre[2]], 0).some((pixel) => near(pixel, fifty))) radii.push(r);
      }
      expect(radii.length, `50 % line not found at ${k * 45}°`).toBeGreaterThan(0);
      for (const r of radii) expect(Math.abs(r - radius50Mm), `50 % line at ${r} mm, ${k * 45}°`).toBeLessThanOrEqual(voxel);
    }
  });

  it('isodose levels typed in the panel are drawn: "30 Gy" puts its line on the 50 % radius in its own colour, the old lines go; a bad entry says why', async () => {
    await onLesionSlice();
    const { centre, radius50Mm, gridSpacingMm, maxGy } = manifest.rt!.dose;
    const voxel = gridSpacingMm[0];
    const field = page.locator('[data-viewport-id="vp-1"] input[data-isodose-levels]');
    expect(await field.inputValue()).toBe('95 %, 80 %, 50 %, 20 %');
    await field.fill('50 cGy');
    await field.press('Enter');
    await expect.poll(() => page.locator('[data-viewport-id="vp-1"] .rt-isodose [role="alert"]').textContent()).toBe('"cGy" is not a number, "%" or "Gy"');
    // Half the maximum, written in Gy: the same radius as the 50 % line (prescription = maximum here).
    await field.fill(`${maxGy / 2} Gy`);
    await field.press('Enter');
    await expect.poll(() => page.locator('[data-viewport-id="vp-1"] [data-isodose-level]').evaluateAll((els) => els.map((el) => el.getAttribute('data-isodose-level')))).toEqual([`${maxGy / 2} Gy`]);
    expect(await page.locator('[data-viewport-id="vp-1"] .rt-isodose [role="alert"]').count()).toBe(0);
    await page.mouse.move(0, 0);
    const shot = await snapshot(radius50Mm + 2 * voxel);
    const typedColour = hexColor('#ff8c00');
    const fifty = hexColor(DefaultIsodoseLevels.find((l) => l.value === 50 && l.unit === '%')!.color);
    let cyan = 0;
    for (let k = 0; k < 8; k++) {
      const angle = (k * Math.PI) / 4 + 0.1;
      const radii: number[] = [];
      for (let d = -2 * voxel; d <= 2 * voxel; d += 0.5) {
        const r = radius50Mm + d;
        const pixels = shot.around([centre[0] + r * Math.cos(angle), centre[1] + r * Math.sin(angle), centre[2]], 0);
        if (pixels.some((pixel) => near(pixel, typedColour))) radii.push(r);
        if (pixels.some((pixel) => near(pixel, fifty))) cyan++;
      }
      expect(radii.length, `${maxGy / 2} Gy line not found at ${k * 45}°`).toBeGreaterThan(0);
      for (const r of radii) expect(Math.abs(r - radius50Mm), `${maxGy / 2} Gy line at ${r} mm, ${k * 45}°`).toBeLessThanOrEqual(voxel);
    }
    expect(cyan, 'the 50 % line is no longer drawn').toBe(0);
    // Back to the department's defaults for any test after this one.
    await field.fill('95 80 50 20 %');
    await field.press('Enter');
    await expect.poll(() => page.locator('[data-viewport-id="vp-1"] [data-isodose-level]').count()).toBe(4);
  });
});

describe('RT structures and dose on the MPR planes of the planning CT', () => {
  /**
   * One screenshot round `centre` in an MPR pane, and the plane's (e1, e2) mm → page pixel map
   * (affine: parallel projection), so many points are checked against one picture.
   */
  async function planeSnapshot(viewportId: string, centre: Vec3, e1: Vec3, e2: Vec3, halfWidthMm: number) {
    const box = (await page.locator(`[data-viewport-id="${viewportId}"] .cs-element`).boundingBox())!;
    const at = async (p: Vec3) => {
      const c = await page.evaluate(([id, q]) => window.crossview?.worldToCanvas(id, q), [viewportId, p] as [string, [number, number, number]]);
      if (!c) throw new Error(`window.crossview.worldToCanvas gave nothing for ${viewportId}`);
      return { x: box.x + c[0], y: box.y + c[1] };
    };
    const plus = (k: number, e: Vec3): Vec3 => [centre[0] + k * e[0], centre[1] + k * e[1], centre[2] + k * e[2]];
    const [c, a, b] = [await at(centre), await at(plus(1, e1)), await at(plus(1, e2))];
    const pxPerMm = Math.hypot(a.x - c.x, a.y - c.y);
    const half = Math.ceil(halfWidthMm * pxPerMm) + 4;
    const clip = { x: Math.round(c.x) - half, y: Math.round(c.y) - half, width: 2 * half + 1, height: 2 * half + 1 };
    const png = PNG.sync.read(await page.screenshot({ clip }));
    return {
      pxPerMm,
      /** Pixels within `radius` screen pixels of the plane point centre + u·e1 + v·e2 (mm). */
      around: (u: number, v: number, radius: number): [number, number, number][] => {
        const x = Math.round(c.x + u * (a.x - c.x) + v * (b.x - c.x)) - clip.x;
        const y = Math.round(c.y + u * (a.y - c.y) + v * (b.y - c.y)) - clip.y;
        return pixelsAround(png, x, y, radius);
      },
    };
  }
  const [e1, e2]: [Vec3, Vec3] = [[0, 1, 0], [0, 0, 1]];
  const sagittal = 'vp-1-sagittal';
  /** On the sagittal plane: how many of 8 points at `radiusMm` round the centre have `color` within `radius` px. */
  const planeRingHits = (shot: Awaited<ReturnType<typeof planeSnapshot>>, radiusMm: number, color: readonly number[], radius: number) =>
    Array.from({ length: 8 }, (_, k) => (k * Math.PI) / 4).filter((t) => shot.around(radiusMm * Math.cos(t), radiusMm * Math.sin(t), radius).some((pixel) => near(pixel, color))).length;

  it('the sagittal plane through the GTV shows its contour at the lesion boundary and the 50 % isodose at its radius ± 1 voxel; unticking GTV hides it there', async () => {
    const { centre, radiusMm } = manifest.rt!.structureSet.gtv;
    const { radius50Mm, gridSpacingMm } = manifest.rt!.dose;
    const red = manifest.rt!.structureSet.rois.find((r) => r.ROIName === 'GTV')!.ROIDisplayColor;
    await page.locator('button.mpr-toggle').click();
    await page.locator(`[data-viewport-id="${sagittal}"][data-ready="true"]`).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('[role="progressbar"]').count(), { timeout: 60_000 }).toBe(0);
    // "Go" on the GTV puts every plane through its centre (and centres it in each pane).
    await page.locator('.rt-panel [data-rt-structure="GTV"] button').click();
    await page.mouse.move(0, 0);
    const shotOf = () => planeSnapshot(sagittal, centre, e1, e2, radius50Mm + 2 * gridSpacingMm[0]);
    const onBoundary = async () => planeRingHits(await shotOf(), radiusMm, red, 2);
    await expect.poll(onBoundary, { timeout: 10_000 }).toBe(8);
    const shot = await shotOf();
    const margin = Math.max(3, 6 / shot.pxPerMm);
    expect(margin).toBeLessThan(radiusMm - 1);
    expect(planeRingHits(shot, radiusMm - margin, red, 1)).toBe(0);
    expect(planeRingHits(shot, radiusMm + margin, red, 1)).toBe(0);

    const fifty = hexColor(DefaultIsodoseLevels.find((l) => l.value === 50 && l.unit === '%')!.color);
    const voxel = gridSpacingMm[0];
    for (let k = 0; k < 8; k++) {
      const angle = (k * Math.PI) / 4 + 0.1;
      const radii: number[] = [];
      for (let d = -2 * voxel; d <= 2 * voxel; d += 0.5) {
        const r = radius50Mm + d;
        if (shot.around(r * Math.cos(angle), r * Math.sin(angle), 0).some((pixel) => near(pixel, fifty))) radii.push(r);
      }
      expect(radii.length, `50 % line not found at ${k * 45}° on the sagittal plane`).toBeGreaterThan(0);
      for (const r of radii) expect(Math.abs(r - radius50Mm), `50 % line at ${r} mm, ${k * 45}° on the sagittal plane`).toBeLessThanOrEqual(voxel);
    }

    // The probe reads the dose on the plane under the pointer.
    const { maxGy } = manifest.rt!.dose;
    const box = (await page.locator(`[data-viewport-id="${sagittal}"] .cs-element`).boundingBox())!;
    const at = await page.evaluate(([id, p]) => window.crossview!.worldToCanvas(id, p)!, [sagittal, [...centre]] as [string, [number, number, number]]);
    await page.mouse.move(box.x + at[0], box.y + at[1]);
    const readGy = async () => Number(/^(\d+(?:\.\d+)?) Gy$/.exec((await page.locator('[data-dose-readout]').first().getAttribute('data-dose-readout')) ?? '')?.[1] ?? NaN);
    await expect.poll(readGy, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(Math.abs((await readGy()) - maxGy) / maxGy).toBeLessThan(0.01);
    await page.mouse.move(0, 0);

    await page.locator('.rt-panel [data-rt-structure="GTV"] input[type="checkbox"]').first().uncheck();
    await expect.poll(onBoundary, { timeout: 5_000 }).toBe(0);
    await page.locator('.rt-panel [data-rt-structure="GTV"] input[type="checkbox"]').first().check();
    await expect.poll(onBoundary, { timeout: 5_000 }).toBe(8);
    // Back to the stack for any test after this one.
    await page.locator('button.mpr-toggle').click();
    await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 60_000 });
  });
});
