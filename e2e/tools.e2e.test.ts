/**
 * Measurement tools against the phantom's known geometry and HU, and measurements as DICOM SR:
 * saved by STOW-RS to the study's own Orthanc, found there by QIDO, and back on the image after a
 * reload. Real Orthanc hospitals, the gateway and Debian's Chromium (startStack).
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoManifest, Vec3 } from '../src/demo/manifest';
import { startGateway } from '../src/server/index';
import { sampleScreen } from './support/browser';
import { startStack, type Stack } from './support/stack';
import { goToIndex, imageIndex, maximiseFirstCell, openCurrentCt as openCt, stackIndexOf } from './support/viewer';
import { TestSessionEnv } from './hospitals/testAccounts';

let stack: Stack;
let manifest: DemoManifest;

beforeAll(async () => {
  stack = await startStack();
  manifest = stack.hospitals.manifest;
});
afterAll(async () => {
  await stack?.stop();
});

type Observed = { toolName: string; referencedImageId?: string; stats: Record<string, unknown> };

/** Page pixel of a patient-space point on the slice on screen. */
async function screenPoint(page: Page, point: Vec3): Promise<{ x: number; y: number }> {
  const canvas = await page.evaluate((p) => window.crossview?.worldToCanvas('vp-1', p), point as [number, number, number]);
  if (!canvas) throw new Error('window.crossview.worldToCanvas gave nothing for vp-1');
  const box = (await page.locator('[data-viewport-id="vp-1"] .cs-element').boundingBox())!;
  return { x: box.x + canvas[0], y: box.y + canvas[1] };
}

async function dragBetween(page: Page, from: Vec3, to: Vec3) {
  const a = await screenPoint(page, from);
  const b = await screenPoint(page, to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  for (let step = 1; step <= 10; step++) await page.mouse.move(a.x + ((b.x - a.x) * step) / 10, a.y + ((b.y - a.y) * step) / 10);
  await page.mouse.up();
  await page.waitForTimeout(300);
}

/** The length tool's label as drawn in the SVG annotation layer. */
async function lengthTextOnImage(page: Page): Promise<string | undefined> {
  const lines = await page.locator('[data-viewport-id="vp-1"] svg tspan').allTextContents();
  return lines.map((line) => line.trim()).find((line) => /^\d+\.\d+ mm$/.test(line));
}

async function annotations(page: Page): Promise<Observed[]> {
  return page.evaluate(() => window.crossview?.annotations('vp-1') ?? []);
}

async function srSeriesAtSiteA(StudyInstanceUID: string): Promise<unknown[]> {
  const response = await fetch(`${stack.hospitals.sites[0]!.dicomwebUrl}/studies/${StudyInstanceUID}/series?Modality=SR`, { headers: { Accept: 'application/dicom+json' } });
  if (response.status === 204) return [];
  const series = (await response.json()) as Record<string, { Value?: unknown[] }>[];
  // Orthanc may ignore the key: keep SR series only, and only ours (the demo's report SRs are not).
  return series.filter((s) => s['00080060']?.Value?.[0] === 'SR' && s['0008103E']?.Value?.[0] === 'Crossview measurements');
}

describe('tools: measurements on the phantom, saved as SR', () => {
  it('the length tool measures the 20 mm phantom lesion as 20 ± 1 mm, the ellipse ROI mean is the lesion HU ± 5, and both come back after saving and a reload', async () => {
    // A reading-room display: the 5 mm ROI's area tolerance assumes about 2 screen pixels per mm.
    const page = await stack.newPage({ viewport: { width: 1400, height: 1100 } });
    const ct = await openCt(page, stack.gateway.url, manifest);
    await maximiseFirstCell(page);
    const truth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
    const { centre, diameterMm, hu } = truth.lesion;
    expect(diameterMm).toBe(20);
    await goToIndex(page, stackIndexOf(truth, centre));

    // The toolbar shows W/L active.
    const toolbar = page.locator('[role="toolbar"][aria-label="Viewer tools"]');
    expect(await toolbar.locator('[data-tool="windowLevel"]').getAttribute('aria-pressed')).toBe('true');
    const r = diameterMm / 2;
    // Elliptical ROI drawn from the lesion centre outward (semi-axes 5 mm, well inside r = 10 mm),
    // drawn first so that its start is not on the length line (a press there would grab the line).
    await page.keyboard.press('e');
    await expect.poll(() => toolbar.locator('[data-tool="ellipse"]').getAttribute('aria-pressed')).toBe('true');
    await dragBetween(page, centre, [centre[0] + 5, centre[1] + 5, centre[2]]);
    await expect.poll(async () => (await annotations(page)).find((a) => a.toolName === 'EllipticalROI')?.stats.mean).toBeTypeOf('number');
    const roi = (await annotations(page)).find((a) => a.toolName === 'EllipticalROI')!;
    expect(Math.abs(Number(roi.stats.mean) - hu), `ROI mean ${String(roi.stats.mean)} vs lesion ${hu} HU`).toBeLessThanOrEqual(5);
    expect(roi.stats.modalityUnit).toBe('HU');
    for (const stat of ['stdDev', 'min', 'max', 'area']) expect(roi.stats[stat], stat).toBeTypeOf('number');
    expect(Math.abs(Number(roi.stats.area) - Math.PI * 25)).toBeLessThan(8); // mm², a 5 mm circle

    // L picks the length tool and the toolbar shows it active; drawn edge to edge, clear of the ROI.
    await page.keyboard.press('l');
    await expect.poll(() => toolbar.locator('[data-tool="length"]').getAttribute('aria-pressed')).toBe('true');
    expect(await toolbar.locator('[data-tool="length"]').getAttribute('title')).toContain('(L');

    await dragBetween(page, [centre[0] - r, centre[1], centre[2]], [centre[0] + r, centre[1], centre[2]]);
    await expect.poll(async () => (await annotations(page)).filter((a) => a.toolName === 'Length').length).toBe(1);
    const length = (await annotations(page)).find((a) => a.toolName === 'Length')!;
    expect(length.stats.unit).toBe('mm');
    expect(Math.abs(Number(length.stats.length) - 20)).toBeLessThanOrEqual(1);
    // The same number is written on the image.
    await expect.poll(() => lengthTextOnImage(page)).toMatch(/^(19|20|21)(\.\d+)? mm$/);

    // Escape hands the left button back to window/level.
    await page.keyboard.press('Escape');
    await expect.poll(() => toolbar.locator('[data-tool="windowLevel"]').getAttribute('aria-pressed')).toBe('true');

    // Save: an SR lands in the study at site A's own Orthanc.
    expect(await srSeriesAtSiteA(ct.StudyInstanceUID)).toHaveLength(0);
    await toolbar.locator('[data-action="save-measurements"]').click();
    await expect.poll(() => page.locator('[data-measurements-message]').textContent(), { timeout: 20_000 }).toMatch(/2 measurements saved to/);
    expect(await page.locator('[data-measurements-message]').getAttribute('data-measurements-message')).toBe('ok');
    await expect.poll(async () => (await srSeriesAtSiteA(ct.StudyInstanceUID)).length, { timeout: 10_000 }).toBe(1);

    // Reload and reopen: the length and the ROI are back on the lesion slice.
    await page.reload();
    await page.locator(`[data-timeline-study="${ct.StudyInstanceUID}"] button.study`).click();
    await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 60_000 });
    // The SR lookup starts when the study is selected, ahead of the image downloads: no long wait.
    await expect.poll(async () => (await annotations(page)).map((a) => a.toolName).sort(), { timeout: 10_000 }).toEqual(['EllipticalROI', 'Length']);
    await expect.poll(() => page.locator('[data-measurements-message]').textContent()).toBe('2 saved measurements loaded');
    await goToIndex(page, stackIndexOf(truth, centre));
    await expect.poll(async () => Number((await annotations(page)).find((a) => a.toolName === 'Length')?.stats.length), { timeout: 10_000 }).toBeCloseTo(Number(length.stats.length), 0);
    await expect.poll(() => lengthTextOnImage(page)).toMatch(/^(19|20|21)(\.\d+)? mm$/);
    await page.close();
  });

  it('rotate and flip move the orientation markers; cine plays and pauses; the length tool measures the 40 mm sphere as 40 ± 1 mm; the probe reads the lesion HU; a drawn 60° angle reads 60 ± 1°; the rectangle ROI mean is the lesion HU ± 5 with the drawn area', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    await openCt(page, stack.gateway.url, manifest);
    await maximiseFirstCell(page);
    const markers = page.locator('[data-viewport-id="vp-1"] [aria-label="Orientation markers"]');
    // Axial as stored: anterior at the top, patient right on the screen left.
    await expect.poll(() => markers.getAttribute('data-orientation')).toBe('A L P R');
    await page.keyboard.press('t'); // rotate 90°: every marker moves one edge round
    await expect.poll(() => markers.getAttribute('data-orientation')).toMatch(/^(R A L P|L P R A)$/);
    const [top, right, bottom, left] = (await markers.getAttribute('data-orientation'))!.split(' ');
    await page.keyboard.press('h'); // flip horizontally: the left and right markers swap
    await expect.poll(() => markers.getAttribute('data-orientation')).toBe(`${top} ${left} ${bottom} ${right}`);
    await page.keyboard.press('r'); // reset
    await expect.poll(() => markers.getAttribute('data-orientation')).toBe('A L P R');

    const before = await imageIndex(page);
    await page.keyboard.press('c');
    await expect.poll(() => page.locator('[data-action="cine"]').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => imageIndex(page), { timeout: 5_000 }).not.toBe(before);
    await page.keyboard.press('c');
    await expect.poll(() => page.locator('[data-action="cine"]').getAttribute('aria-pressed')).toBe('false');
    await page.waitForTimeout(500); // a slice asked for just before the pause may still land
    const stopped = await imageIndex(page);
    await page.waitForTimeout(700);
    expect(await imageIndex(page)).toBe(stopped);
    const truth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
    const toolbar = page.locator('[role="toolbar"][aria-label="Viewer tools"]');

    // The 40 mm calibration sphere, measured edge to edge through its centre with the length tool.
    const sphere = truth.calibrationSphere!;
    expect(sphere.diameterMm).toBe(40);
    await goToIndex(page, stackIndexOf(truth, sphere.centre));
    const along = (dx: number): Vec3 => [sphere.centre[0] + dx, sphere.centre[1], sphere.centre[2]];
    const r = sphere.diameterMm / 2;
    // The image on screen really holds a 40 mm object there: soft tissue just inside both edges, lung just outside.
    const valueAt = (p: Vec3) => page.evaluate((q) => window.crossview!.pixelValue('vp-1', q), p as [number, number, number]);
    for (const dx of [-(r - 1.5), r - 1.5]) expect(Math.abs((await valueAt(along(dx)))! - sphere.hu), `inside at ${dx} mm`).toBeLessThanOrEqual(truth.noiseAmplitudeHu);
    for (const dx of [-(r + 1.5), r + 1.5]) expect((await valueAt(along(dx)))!, `outside at ${dx} mm`).toBeLessThan(-800);
    await page.keyboard.press('l');
    await expect.poll(() => toolbar.locator('[data-tool="length"]').getAttribute('aria-pressed')).toBe('true');
    // Measurements saved by the test above come back on the lesion slice: count what this test adds.
    const lengthsBefore = (await annotations(page)).filter((a) => a.toolName === 'Length').map((a) => JSON.stringify(a));
    await dragBetween(page, along(-r), along(r));
    await expect.poll(async () => (await annotations(page)).filter((a) => a.toolName === 'Length').length).toBe(lengthsBefore.length + 1);
    const sphereLength = Number((await annotations(page)).find((a) => a.toolName === 'Length' && !lengthsBefore.includes(JSON.stringify(a)))!.stats.length);
    expect(Math.abs(sphereLength - 40), `length ${sphereLength} mm`).toBeLessThanOrEqual(1);
    await expect.poll(() => lengthTextOnImage(page)).toMatch(/^(39|40|41)(\.\d+)? mm$/);

    // Two slices above the lesion centre (still through the lesion, radius √(10² − 3²) ≈ 9.5 mm there):
    // the measurements the test above saved come back on the centre slice, where a press could grab them.
    const lesion = truth.lesion;
    const centre: Vec3 = [lesion.centre[0], lesion.centre[1], lesion.centre[2] + 2 * truth.geometry.sliceStep];
    expect(2 * truth.geometry.sliceStep).toBeLessThan(lesion.diameterMm / 2 - 5);
    await goToIndex(page, stackIndexOf(truth, centre));
    // Probe (D) on the lesion reads its HU.
    await page.keyboard.press('d');
    const at = await screenPoint(page, centre);
    await page.mouse.click(at.x, at.y);
    await expect.poll(async () => (await annotations(page)).find((a) => a.toolName === 'Probe')?.stats.value, { timeout: 5_000 }).toBeTypeOf('number');
    const probe = (await annotations(page)).find((a) => a.toolName === 'Probe')!;
    expect(Math.abs(Number(probe.stats.value) - truth.lesion.hu)).toBeLessThanOrEqual(truth.noiseAmplitudeHu + 1);

    // An angle between known points, clear of the lesion (A, then the vertex, then a click on C).
    const vertex: Vec3 = [20, -40, centre[2]];
    const armA: Vec3 = [vertex[0] + 80, vertex[1], vertex[2]];
    const armC: Vec3 = [vertex[0] + 80 * Math.cos(Math.PI / 3), vertex[1] - 80 * Math.sin(Math.PI / 3), vertex[2]];
    const degreesBetween = (a: Vec3, v: Vec3, c: Vec3) => {
      const [ux, uy, vx, vy] = [a[0] - v[0], a[1] - v[1], c[0] - v[0], c[1] - v[1]];
      return (Math.acos((ux * vx + uy * vy) / (Math.hypot(ux, uy) * Math.hypot(vx, vy))) * 180) / Math.PI;
    };
    expect(degreesBetween(armA, vertex, armC)).toBeCloseTo(60, 6);
    await page.keyboard.press('a');
    await expect.poll(() => toolbar.locator('[data-tool="angle"]').getAttribute('aria-pressed')).toBe('true');
    await dragBetween(page, armA, vertex);
    const v = await screenPoint(page, vertex);
    const c = await screenPoint(page, armC);
    for (let step = 1; step <= 10; step++) await page.mouse.move(v.x + ((c.x - v.x) * step) / 10, v.y + ((c.y - v.y) * step) / 10);
    await page.mouse.click(c.x, c.y);
    await expect.poll(async () => (await annotations(page)).find((a) => a.toolName === 'Angle')?.stats.angle, { timeout: 5_000 }).toBeTypeOf('number');
    const angle = Number((await annotations(page)).find((a) => a.toolName === 'Angle')!.stats.angle);
    expect(Math.abs(angle - 60), `angle ${angle}°`).toBeLessThanOrEqual(1);

    // Rectangle ROI (B) inside the lesion: a 10 mm square about its centre (corners 7.1 mm out, inside r ≈ 9.5 mm).
    await page.keyboard.press('b');
    await expect.poll(() => toolbar.locator('[data-tool="rectangle"]').getAttribute('aria-pressed')).toBe('true');
    await dragBetween(page, [centre[0] - 5, centre[1] - 5, centre[2]], [centre[0] + 5, centre[1] + 5, centre[2]]);
    await expect.poll(async () => (await annotations(page)).find((a) => a.toolName === 'RectangleROI')?.stats.mean, { timeout: 5_000 }).toBeTypeOf('number');
    const rectangle = (await annotations(page)).find((a) => a.toolName === 'RectangleROI')!;
    expect(Math.abs(Number(rectangle.stats.mean) - truth.lesion.hu), `ROI mean ${String(rectangle.stats.mean)} vs lesion ${truth.lesion.hu} HU`).toBeLessThanOrEqual(5);
    expect(rectangle.stats.modalityUnit).toBe('HU');
    expect(Math.abs(Number(rectangle.stats.area) - 100), `area ${String(rectangle.stats.area)} mm²`).toBeLessThan(10);

    await page.close();
  });

  it('touch: one finger scrolls slices and a pinch zooms; the scale bar matches the zoom; invert turns the lung bright', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 }, hasTouch: true });
    await openCt(page, stack.gateway.url, manifest);
    await maximiseFirstCell(page);
    const truth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
    const { centre } = truth.lesion;
    const box = (await page.locator('[data-viewport-id="vp-1"] .cs-element').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: { x: number; y: number }[]) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map((p, id) => ({ ...p, id })) });

    // Drag-scrolling skips slices not yet loaded (Cornerstone debounces them): let the series land.
    await expect.poll(() => page.locator('[data-viewport-id="vp-1"] .load-progress').count(), { timeout: 60_000 }).toBe(0);
    const before = await imageIndex(page);
    await touch('touchStart', [{ x: cx, y: cy }]);
    for (let step = 1; step <= 12; step++) await touch('touchMove', [{ x: cx, y: cy + step * 12 }]);
    await touch('touchEnd', []);
    await expect.poll(() => imageIndex(page), { timeout: 5_000 }).not.toBe(before);

    // Zoom shows as a longer screen distance between two fixed patient points.
    const span = async () => {
      const a = await screenPoint(page, [centre[0] - 10, centre[1], centre[2]]);
      const b = await screenPoint(page, [centre[0] + 10, centre[1], centre[2]]);
      return Math.hypot(b.x - a.x, b.y - a.y);
    };
    const spanBefore = await span();
    await touch('touchStart', [{ x: cx - 30, y: cy }, { x: cx + 30, y: cy }]);
    for (let step = 1; step <= 12; step++) await touch('touchMove', [{ x: cx - 30 - step * 10, y: cy }, { x: cx + 30 + step * 10, y: cy }]);
    await touch('touchEnd', []);
    await expect.poll(span, { timeout: 5_000 }).toBeGreaterThan(spanBefore * 1.3);

    // Scale bar: a round length whose drawn width matches the zoom (worldToCanvas is the ruler).
    const label = await page.locator('[data-viewport-id="vp-1"] [data-scale-bar]').getAttribute('data-scale-bar');
    expect(label).toMatch(/^\d+ (cm|mm)$/);
    const barMm = Number(label!.split(' ')[0]) * (label!.endsWith('cm') ? 10 : 1);
    const barPx = (await page.locator('[data-viewport-id="vp-1"] [data-scale-bar] > div').boundingBox())!.width;
    expect(Math.abs(barPx - (barMm * (await span())) / 20)).toBeLessThanOrEqual(3);

    // Invert (I): the lung, dark in the lung window, turns bright.
    await page.keyboard.press('r');
    await page.keyboard.press('2');
    await goToIndex(page, stackIndexOf(truth, centre));
    const lung = truth.landmarks.find((l) => l.name === 'lung')!;
    const lungAt = await screenPoint(page, [lung.point[0], lung.point[1], centre[2]]);
    const dark = await sampleScreen(page, lungAt.x, lungAt.y);
    await page.keyboard.press('i');
    await page.waitForTimeout(300);
    const bright = await sampleScreen(page, lungAt.x, lungAt.y);
    expect(Math.abs(dark.g + bright.g - 255), `grey ${dark.g} then ${bright.g}`).toBeLessThanOrEqual(12);

    await page.close();
  });
});

describe('image errors', () => {
  it('a slice the site fails to send shows its error in the viewport, and the message goes when the next good slice renders', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const ct = manifest.studies.find((s) => s.key === 'ct-current')!;
    const truth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
    // Stack index 115 (superior first) is InstanceNumber sliceCount − 115; its frames and instance answer 500.
    const broken = 115;
    const InstanceNumber = truth.geometry.sliceCount - broken;
    const query = `${stack.hospitals.sites[0]!.dicomwebUrl}/studies/${ct.StudyInstanceUID}/series/${truth.SeriesInstanceUID}/instances?InstanceNumber=${InstanceNumber}`;
    const found = (await (await fetch(query, { headers: { Accept: 'application/dicom+json' } })).json()) as Record<string, { Value?: unknown[] }>[];
    const SOPInstanceUID = found.find((i) => Number(i['00200013']?.Value?.[0]) === InstanceNumber)?.['00080018']?.Value?.[0];
    expect(SOPInstanceUID).toBeTypeOf('string');
    await page.route(`**/instances/${String(SOPInstanceUID)}/**`, (route) => route.fulfill({ status: 500, body: 'broken on purpose' }));
    await page.route(`**/instances/${String(SOPInstanceUID)}`, (route) => route.fulfill({ status: 500, body: 'broken on purpose' }));
    try {
      await openCt(page, stack.gateway.url, manifest);
      await goToIndex(page, broken - 1);
      const error = page.locator('[data-viewport-id="vp-1"] .viewport-message.error[role="alert"]');
      expect(await error.count()).toBe(0);
      // Onto the broken slice: the viewport says why (its index never reports, the slice never showed).
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => error.textContent(), { timeout: 10_000 }).toContain('HTTP 500');
      // On to a good slice: it renders and the message goes.
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => imageIndex(page), { timeout: 10_000 }).toBe(broken + 1);
      await expect.poll(() => error.count(), { timeout: 5_000 }).toBe(0);
      expect(Math.abs((await page.evaluate((p) => window.crossview!.pixelValue('vp-1', p), truth.landmarks[0]!.point as [number, number, number]))! - -1000)).toBeLessThanOrEqual(truth.noiseAmplitudeHu);
    } finally {
      await page.close();
    }
  });
});

describe('memory: a volume that cannot fit the budget', () => {
  it('with a 64 MiB image budget, MPR of the 220-slice CT warns with both sizes before loading and stays on the stack', async () => {
    // A second gateway over the same hospitals, configured with the smallest budget the config allows.
    const BudgetMiB = 64;
    // Same session key as the stack's gateway: the page signed in there is signed in here too.
    const gateway = await startGateway({ config: { ...stack.hospitals.config, viewer: { cacheBudgetMiB: BudgetMiB } }, port: 0, staticDir: resolve('dist'), log: () => {}, env: TestSessionEnv });
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await openCt(page, gateway.url, manifest);
      const truth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
      const { rows, columns, sliceCount } = truth.geometry;
      const volumeMiB = Math.ceil((rows * columns * sliceCount * 2) / (1024 * 1024)); // Int16 HU, as Cornerstone holds this CT
      expect(volumeMiB).toBeGreaterThan(BudgetMiB);
      await expect.poll(() => page.evaluate(() => window.crossview!.cacheBudgetBytes())).toBe(BudgetMiB * 1024 * 1024);

      await page.keyboard.press('m');
      const warning = page.locator('[data-viewport-id="vp-1"] .viewport-warning[role="status"]');
      await expect.poll(() => warning.textContent(), { timeout: 10_000 }).toBe(
        `This series needs ${volumeMiB} MiB as a volume, more than the ${BudgetMiB} MiB image memory budget: showing it as a stack instead.`,
      );
      expect(await page.locator('.mpr-toggle').getAttribute('aria-pressed')).toBe('false');
      await page.locator('[data-viewport-id="vp-1"][data-ready="true"] .cs-element').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-viewport-id="vp-1-sagittal"]').count()).toBe(0);
      // The stack still works within the budget: a lesion probe reads its HU.
      await goToIndex(page, stackIndexOf(truth, truth.lesion.centre));
      const hu = await page.evaluate((p) => window.crossview!.pixelValue('vp-1', p), truth.lesion.centre as [number, number, number]);
      expect(Math.abs(hu! - truth.lesion.hu)).toBeLessThanOrEqual(truth.noiseAmplitudeHu + 1);
      expect(await page.evaluate(() => window.crossview!.cacheBytes())).toBeLessThanOrEqual(BudgetMiB * 1024 * 1024);
    } finally {
      await page.close();
      await gateway.close();
    }
  });
});
