/**
 * Hanging acceptance (issue #6): opening the demo patient's current CT hangs the CT compare
 * protocol with the prior CT chosen from another hospital, each cell naming its hospital; the
 * second stage shows both in lung windows (screen grey levels at a lung landmark of the prior);
 * a study dragged from the timeline onto a cell replaces what it shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoManifest, Vec3 } from '../src/demo/manifest';
import { greyLevelFor } from '../src/imaging/presets';
import { recordProblems, sampleScreen } from './support/browser';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';
import { goToIndex, stackIndexOf } from './support/viewer';

let stack: Stack;
let manifest: DemoManifest;
let page: Page;
let problems: string[];

beforeAll(async () => {
  stack = await startStack();
  manifest = stack.hospitals.manifest;
  page = await stack.newPage({ viewport: { width: 1600, height: 900 } });
  problems = recordProblems(page);
});
afterAll(async () => {
  await stack?.stop();
});

const study = (key: string) => manifest.studies.find((s) => s.key === key)!;
const siteOf = (key: string) => manifest.sites.find((s) => s.key === study(key).siteKey)!;
const cell = (id: string) => page.locator(`[data-viewport-id="${id}"]`);

async function screenGreyAt(viewportId: string, point: Vec3): Promise<number> {
  const canvasPoint = await page.evaluate(([id, p]) => window.crossview?.worldToCanvas(id, p), [viewportId, point] as [string, [number, number, number]]);
  if (!canvasPoint) throw new Error(`window.crossview.worldToCanvas gave nothing for ${viewportId}`);
  const box = (await cell(viewportId).locator('canvas').first().boundingBox())!;
  const { r, g, b } = await sampleScreen(page, box.x + canvasPoint[0], box.y + canvasPoint[1]);
  return (r + g + b) / 3;
}

describe('hanging protocols: current CT beside the prior from another hospital', () => {
  it("hangs the demo patient's current CT beside the prior CT from site B, both site badges visible; the second stage shows lung windows", async () => {
    const current = study('ct-current');
    const prior = study('ct-prior');
    await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
    await page.locator(`[data-timeline-study="${current.StudyInstanceUID}"] button.study`).click();
    const grid = page.locator('section.viewer-grid');
    await expect.poll(() => grid.getAttribute('data-protocol-id'), { timeout: 30_000 }).toBe('ct-compare');
    expect(await grid.getAttribute('data-stage-index')).toBe('0');

    await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-viewport-id="vp-2"][data-ready="true"]').waitFor({ timeout: 60_000 });
    expect(await cell('vp-1').getAttribute('data-study-uid')).toBe(current.StudyInstanceUID);
    expect(await cell('vp-1').getAttribute('data-site-id')).toBe(siteOf('ct-current').siteId);
    expect(await cell('vp-1').getAttribute('data-role')).toBe('current');
    expect(await cell('vp-2').getAttribute('data-study-uid')).toBe(prior.StudyInstanceUID);
    expect(await cell('vp-2').getAttribute('data-site-id')).toBe(siteOf('ct-prior').siteId);
    expect(await cell('vp-2').getAttribute('data-series-uid')).toBe(prior.series.find((s) => s.Modality === 'CT')!.SeriesInstanceUID);
    expect(await cell('vp-2').getAttribute('data-role')).toBe('prior');
    // Each cell says which hospital its images come from.
    expect(await cell('vp-1').locator('.viewport-site').innerText()).toContain(siteOf('ct-current').name);
    expect(await cell('vp-2').locator('.viewport-site').innerText()).toContain(siteOf('ct-prior').name);
    // The timeline marks what is hanging.
    expect(await page.locator(`[data-timeline-study="${current.StudyInstanceUID}"]`).getAttribute('data-hanging')).toBe('current');
    expect(await page.locator(`[data-timeline-study="${prior.StudyInstanceUID}"]`).getAttribute('data-hanging')).toBe('prior');
    expect(await page.locator(`[data-timeline-study="${study('mr-brain').StudyInstanceUID}"]`).getAttribute('data-hanging')).toBeNull();
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('cv:hanging-ready:ct-compare:0').length)).toBe(1);

    // Stage 1: soft tissue windows in both.
    for (const id of ['vp-1', 'vp-2']) await expect.poll(() => cell(id).locator('.corner.bottomRight').innerText()).toContain('W 400 L 40');

    // Stage 2 by its key: lung windows in both, and on screen in the prior at its lung landmark.
    await page.keyboard.press(']');
    await expect.poll(() => grid.getAttribute('data-stage-index')).toBe('1');
    expect(await grid.getAttribute('data-stage-id')).toBe('lung');
    expect(await page.locator('button[data-stage-button="1"]').getAttribute('aria-pressed')).toBe('true');
    for (const id of ['vp-1', 'vp-2']) await expect.poll(() => cell(id).locator('.corner.bottomRight').innerText()).toContain('W 1500 L -600');
    const truth = manifest.ct.find((c) => c.studyKey === 'ct-prior')!;
    for (const name of ['lung', 'soft-tissue'] as const) {
      const landmark = truth.landmarks.find((l) => l.name === name)!;
      await goToIndex(page, stackIndexOf(truth, landmark.point), 'vp-2');
      const grey = await screenGreyAt('vp-2', landmark.point);
      const expected = greyLevelFor(landmark.hu, 1500, -600);
      expect(Math.abs(grey - expected), `${name}: screen ${grey.toFixed(1)} vs lung-window ${expected.toFixed(1)}`).toBeLessThanOrEqual(8);
    }
    // The same series stayed in its cell across the stage change (no reload).
    expect(await page.evaluate(() => performance.getEntriesByName('cv:first-image:vp-2').length)).toBe(1);

    // Back with the button.
    await page.locator('button[data-stage-button="0"]').click();
    await expect.poll(() => grid.getAttribute('data-stage-index')).toBe('0');
    await expect.poll(() => cell('vp-2').locator('.corner.bottomRight').innerText()).toContain('W 400 L 40');
  });

  it("a study dragged from the timeline onto the prior's cell replaces it there, and the timeline follows", async () => {
    const mr = study('mr-brain');
    const source = page.locator(`[data-timeline-study="${mr.StudyInstanceUID}"] button.study`);
    await source.dragTo(cell('vp-2'));
    await expect.poll(() => cell('vp-2').getAttribute('data-study-uid'), { timeout: 30_000 }).toBe(mr.StudyInstanceUID);
    await page.locator('[data-viewport-id="vp-2"][data-ready="true"]').waitFor({ timeout: 60_000 });
    expect(await cell('vp-2').getAttribute('data-site-id')).toBe(siteOf('mr-brain').siteId);
    expect(await cell('vp-2').locator('.viewport-site').innerText()).toContain(siteOf('mr-brain').name);
    expect(await cell('vp-1').getAttribute('data-study-uid')).toBe(study('ct-current').StudyInstanceUID);
    expect(await page.locator(`[data-timeline-study="${mr.StudyInstanceUID}"]`).getAttribute('data-hanging')).toBe('prior');
    expect(await page.locator(`[data-timeline-study="${study('ct-prior').StudyInstanceUID}"]`).getAttribute('data-hanging')).toBeNull();
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });

  it('the protocol picker hangs RT planning: the CT with its structures beside the site-B MR thorax, scrolling together after link here; then the CT as three planes', async () => {
    const current = study('ct-current');
    const mr = study('mr-thorax');
    const mrTruth = manifest.mrThorax!;
    const ctTruth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
    await page.locator(`[data-timeline-study="${current.StudyInstanceUID}"] button.study`).click();
    const grid = page.locator('section.viewer-grid');
    await expect.poll(() => grid.getAttribute('data-protocol-id'), { timeout: 30_000 }).toBe('ct-compare');
    const offered = await page.locator('select[data-protocol-select] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(expect.arrayContaining(['ct-compare', 'rt-planning', 'single-series']));
    expect(offered).not.toContain('mg-4up'); // only protocols that apply to this study are offered
    await page.locator('select[data-protocol-select]').selectOption('rt-planning');
    await expect.poll(() => grid.getAttribute('data-protocol-id')).toBe('rt-planning');
    await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-viewport-id="vp-2"][data-ready="true"]').waitFor({ timeout: 60_000 });
    expect(await cell('vp-1').getAttribute('data-study-uid')).toBe(current.StudyInstanceUID);
    await cell('vp-1').locator('[data-rt-structure="GTV"]').waitFor({ timeout: 30_000 });
    // The most recent MR of the region from any site: the thorax at site B, not the head.
    expect(await cell('vp-2').getAttribute('data-study-uid')).toBe(mr.StudyInstanceUID);
    expect(await cell('vp-2').getAttribute('data-series-uid')).toBe(mrTruth.SeriesInstanceUID);
    expect(await cell('vp-2').locator('.viewport-site').innerText()).toContain(siteOf('mr-thorax').name);
    expect(await page.locator(`[data-timeline-study="${mr.StudyInstanceUID}"]`).getAttribute('data-hanging')).toBe('prior');

    // Different frames of reference: link at the nodule in both, then the MR follows the CT by anatomy.
    const mrIndexOf = (z: number) => mrTruth.sliceCount - 1 - Math.round((z - mrTruth.firstPosition[2]) / mrTruth.sliceStep);
    await goToIndex(page, stackIndexOf(ctTruth, ctTruth.lesion.centre), 'vp-1');
    await goToIndex(page, mrIndexOf(mrTruth.lesionCentre[2]), 'vp-2');
    const strip = page.locator('[data-sync-group="ct-mr"]');
    await strip.locator('[data-sync-action="link-here"]').click();
    await expect.poll(() => strip.getAttribute('data-sync-state')).toBe('linked');
    const mrBefore = Number(await cell('vp-2').getAttribute('data-image-index'));
    await goToIndex(page, stackIndexOf(ctTruth, ctTruth.lesion.centre) + 10, 'vp-1'); // 15 mm inferior
    await expect.poll(() => cell('vp-2').getAttribute('data-image-index').then(Number)).toBe(mrBefore + 3); // 15 mm = 3 MR slices

    await page.locator('button[data-stage-button="1"]').click();
    await expect.poll(() => grid.getAttribute('data-stage-index')).toBe('1');
    for (const plane of ['axial', 'sagittal', 'coronal']) {
      await page.locator(`[data-viewport-id="vp-1-${plane}"][data-ready="true"]`).waitFor({ timeout: 90_000 });
    }
    expect(await page.locator('[data-viewport-id="vp-2"]').count()).toBe(0);
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });
});
