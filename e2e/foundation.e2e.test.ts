/**
 * Foundation acceptance: an EHR launch by NHS number lists the demo patient's studies from three
 * real Orthanc hospitals, the CT opens, and what is on screen is the phantom's true HU windowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { greyLevelFor } from '../src/imaging/presets';
import type { DemoManifest, Vec3 } from '../src/demo/manifest';
import { recordProblems, sampleScreen } from './support/browser';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';
import { goToIndex, imageIndex, openCurrentCt as openCt, stackIndexOf } from './support/viewer';

let stack: Stack;
let manifest: DemoManifest;

beforeAll(async () => {
  stack = await startStack();
  manifest = stack.hospitals.manifest;
});
afterAll(async () => {
  await stack?.stop();
});

function launchUrl(): string {
  return patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber);
}

async function screenGreyAt(page: Page, point: Vec3): Promise<number> {
  const canvasPoint = await page.evaluate((p) => window.crossview?.worldToCanvas('vp-1', p), point as [number, number, number]);
  if (!canvasPoint) throw new Error('window.crossview.worldToCanvas gave nothing for vp-1');
  const box = await page.locator('[data-viewport-id="vp-1"] canvas').first().boundingBox();
  if (!box) throw new Error('viewport canvas has no box');
  const { r, g, b } = await sampleScreen(page, box.x + canvasPoint[0], box.y + canvasPoint[1]);
  expect(Math.abs(r - g)).toBeLessThan(3); // a greyscale image stays grey on screen
  expect(Math.abs(g - b)).toBeLessThan(3);
  return (r + g + b) / 3;
}

describe('foundation: first diagnostic image', () => {
  it('the IID URL lists the demo patient studies from all three Orthanc sites with their names, and the CT marks cv:first-image', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = recordProblems(page);
    await page.goto(launchUrl());
    const patientStudies = manifest.studies.filter((s) => s.person === 'patient' && !s.identityForm);
    for (const study of patientStudies) {
      const site = manifest.sites.find((s) => s.key === study.siteKey)!;
      const row = page.locator(`[data-timeline-study="${study.StudyInstanceUID}"]`);
      await row.waitFor({ timeout: 20_000 });
      expect(await row.getAttribute('data-site-id')).toBe(site.siteId);
      expect(await row.getAttribute('data-link-basis')).toBe('national-id');
      await expect.poll(() => row.innerText()).toContain(site.name);
    }
    expect(new Set(patientStudies.map((s) => s.siteKey))).toEqual(new Set(['a', 'b', 'c']));
    // Identity traps share a local ID or name + birth date with the patient: never listed.
    for (const trap of manifest.studies.filter((s) => s.person !== 'patient')) {
      expect(await page.locator(`[data-timeline-study="${trap.StudyInstanceUID}"]`).count()).toBe(0);
    }
    for (const site of manifest.sites) {
      expect(await page.locator(`[data-site-status="${site.siteId}"]`).getAttribute('data-state')).toBe('ok');
    }

    const ct = manifest.studies.find((s) => s.key === 'ct-current')!;
    await page.locator(`[data-timeline-study="${ct.StudyInstanceUID}"] button.study`).click();
    const viewport = page.locator('[data-viewport-id="vp-1"][data-ready="true"]');
    await viewport.waitFor({ timeout: 60_000 });
    expect(await viewport.getAttribute('data-study-uid')).toBe(ct.StudyInstanceUID);
    expect(await viewport.getAttribute('data-site-id')).toBe('site-a');
    expect(await viewport.getAttribute('data-series-uid')).toBe(ct.series.find((s) => s.Modality === 'CT')!.SeriesInstanceUID);
    const marks = await page.evaluate(() => performance.getEntriesByName('cv:first-image:vp-1').length);
    expect(marks).toBe(1);
    await expect.poll(() => viewport.innerText()).toContain('Northgate Cancer Centre');
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
    await page.close();
  });

  it('with the lung preset, screen grey levels at the lesion, lung and bone match the window applied to the phantom HU; scrolling past the lesion leaves it', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    await openCt(page, stack.gateway.url, manifest);
    const truth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
    await page.keyboard.press('2');
    await expect.poll(() => page.locator('[data-viewport-id="vp-1"] .corner.bottomRight').innerText()).toContain('W 1500 L -600');

    for (const name of ['lesion', 'lung', 'bone'] as const) {
      const landmark = truth.landmarks.find((l) => l.name === name)!;
      await goToIndex(page, stackIndexOf(truth, landmark.point));
      const grey = await screenGreyAt(page, landmark.point);
      const expected = greyLevelFor(landmark.hu, 1500, -600);
      expect(Math.abs(grey - expected), `${name}: screen ${grey.toFixed(1)} vs expected ${expected.toFixed(1)}`).toBeLessThanOrEqual(8);
    }

    // Back on the lesion, ten wheel steps move exactly ten slices and out of the 3-D lesion.
    const lesion = truth.lesion;
    const lesionIndex = stackIndexOf(truth, lesion.centre);
    await goToIndex(page, lesionIndex);
    const before = await imageIndex(page);
    await page.locator('[data-viewport-id="vp-1"] .cs-element').hover();
    // One notch at a time, as a hand turns a wheel: each notch must move exactly one slice.
    // (Chromium coalesces wheel events the page has not yet taken, so notches are not fired blind.)
    for (let i = 1; i <= 10; i++) {
      await page.mouse.wheel(0, 100);
      await expect.poll(() => imageIndex(page), { timeout: 5_000 }).toBe(before + i);
    }
    expect(10 * truth.geometry.sliceStep).toBeGreaterThan(lesion.diameterMm / 2);
    await page.waitForTimeout(300);
    const greyAfter = await screenGreyAt(page, lesion.centre);
    const lungGrey = greyLevelFor(-850, 1500, -600);
    const lesionGrey = greyLevelFor(lesion.hu, 1500, -600);
    expect(Math.abs(greyAfter - lesionGrey)).toBeGreaterThan(40);
    expect(Math.abs(greyAfter - lungGrey)).toBeLessThanOrEqual(8 + truth.noiseAmplitudeHu);
    await page.close();
  });

  it('left drag changes window/level, right drag zooms and middle drag pans', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    await openCt(page, stack.gateway.url, manifest);
    const corner = page.locator('[data-viewport-id="vp-1"] .corner.bottomRight');
    await expect.poll(() => corner.innerText()).toMatch(/W \d+ L -?\d+/);
    const windowBefore = await corner.innerText();
    const box = (await page.locator('[data-viewport-id="vp-1"] .cs-element').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const drag = async (button: 'left' | 'right' | 'middle', dx: number, dy: number) => {
      await page.mouse.move(cx, cy);
      await page.mouse.down({ button });
      for (let i = 1; i <= 10; i++) await page.mouse.move(cx + (dx * i) / 10, cy + (dy * i) / 10);
      await page.mouse.up({ button });
    };
    await drag('left', 120, 60);
    await expect.poll(() => corner.innerText()).not.toBe(windowBefore);

    const probe: [number, number, number] = [100, 0, -6];
    const at = () => page.evaluate((p) => window.crossview!.worldToCanvas('vp-1', p)!, probe);
    const origin: [number, number, number] = [0, 0, -6];
    const atOrigin = () => page.evaluate((p) => window.crossview!.worldToCanvas('vp-1', p)!, origin);
    const spanBefore = (await at())[0] - (await atOrigin())[0];
    await drag('right', 0, -150);
    await expect.poll(async () => (await at())[0] - (await atOrigin())[0]).not.toBeCloseTo(spanBefore, 0);
    const originBefore = await atOrigin();
    await drag('middle', 80, 40);
    await expect.poll(async () => (await atOrigin())[0] - originBefore[0]).toBeGreaterThan(40);
    await page.close();
  });

  it('requestType=STUDY opens that study directly', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const prior = manifest.studies.find((s) => s.key === 'ct-prior')!;
    await page.goto(`${stack.gateway.url}/IHEInvokeImageDisplay?requestType=STUDY&studyUID=${prior.StudyInstanceUID}`);
    const viewport = page.locator('[data-viewport-id="vp-1"][data-ready="true"]');
    await viewport.waitFor({ timeout: 60_000 });
    expect(await viewport.getAttribute('data-study-uid')).toBe(prior.StudyInstanceUID);
    expect(await viewport.getAttribute('data-site-id')).toBe('site-b');
    await page.close();
  });
});
