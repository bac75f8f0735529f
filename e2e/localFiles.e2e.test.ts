/**
 * Local files (issue #7): the generated outside-hospital CD (a DICOMDIR, CT, CR and US files, one
 * truncated copy and one non-DICOM file) is opened in Chromium through the folder input while the
 * demo patient is on screen, then dropped again as a .zip through a real drop event. Everything is
 * read in the browser: the study shows marked as local files (no hospital), the two corrupt files
 * are listed with their reasons, and the CT's decoded values match the generator's truth.
 */
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFilesLabel } from '../src/contracts/index';
import type { DemoCdTruth, DemoManifest } from '../src/demo/manifest';
import { recordProblems, sampleScreen } from './support/browser';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';
import { walkFiles } from '../src/demo/testFixtures';

let stack: Stack;
let manifest: DemoManifest;
let cd: DemoCdTruth;
let cdDir: string;
let page: Page;
let problems: string[];


beforeAll(async () => {
  stack = await startStack();
  manifest = stack.hospitals.manifest;
  if (!manifest.cd) throw new Error('the demo manifest has no CD (generator version 8 or later writes one)');
  cd = manifest.cd;
  cdDir = join(stack.hospitals.demoDir, cd.folder);
  page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
  problems = recordProblems(page);
  await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
  const anyStudy = manifest.studies.find((s) => s.key === 'ct-current')!;
  await page.locator(`[data-timeline-study="${anyStudy.StudyInstanceUID}"]`).waitFor({ timeout: 30_000 });
});
afterAll(async () => {
  await stack?.stop();
});

/** The decoded value (HU) under a patient-space point of vp-1. */
function pixelValue(point: [number, number, number]): Promise<number | undefined> {
  return page.evaluate((p) => window.crossview?.pixelValue('vp-1', p), point);
}

async function expectCdShown(pathPrefix: string) {
  const row = page.locator(`[data-timeline-study="${cd.StudyInstanceUID}"]`);
  await row.waitFor({ timeout: 30_000 });
  expect(await row.getAttribute('data-site-id')).toBe('local');
  const rowText = await row.innerText();
  expect(rowText).toContain(LocalFilesLabel);
  expect(rowText).toContain(cd.StudyDescription);
  for (const site of manifest.sites) expect(rowText).not.toContain(site.name);

  for (const corrupt of cd.corrupt) {
    const name = corrupt.file.slice(corrupt.file.lastIndexOf('/') + 1);
    const item = page.locator(`[data-local-file-error="${name}"]`);
    await item.waitFor({ timeout: 10_000 });
    const text = await item.innerText();
    expect(text).toContain(`${pathPrefix}${corrupt.file}`);
    expect(text).toContain(`: ${corrupt.reasonStartsWith}`);
  }
  expect(await page.locator('[data-local-file-error]').count()).toBe(cd.corrupt.length);

  const ct = cd.series.find((s) => s.Modality === 'CT')!;
  const viewport = page.locator('[data-viewport-id="vp-1"][data-ready="true"]');
  await viewport.waitFor({ timeout: 60_000 });
  expect(await viewport.getAttribute('data-site-id')).toBe('local');
  expect(await viewport.getAttribute('data-study-uid')).toBe(cd.StudyInstanceUID);
  expect(await viewport.getAttribute('data-series-uid')).toBe(ct.SeriesInstanceUID);
  await expect.poll(() => viewport.innerText()).toContain(LocalFilesLabel);
  // The stack shows its middle slice first (highest z first: index 2 of 5 is InstanceNumber 3).
  expect(await viewport.getAttribute('data-image-index')).toBe(String(ct.instanceCount - cd.probe.instanceNumber));
  await expect.poll(() => pixelValue(cd.probe.point), { timeout: 10_000 }).toBe(cd.probe.hu);
  // Air outside the body, a corner pixel of the same slice: −1000 HU within the noise (±3).
  const corner: [number, number, number] = [cd.probe.point[0] - cd.probe.column * 1.5625, cd.probe.point[1] - cd.probe.row * 1.5625, cd.probe.point[2]];
  const air = await pixelValue(corner);
  expect(air).toBeGreaterThanOrEqual(-1003);
  expect(air).toBeLessThanOrEqual(-997);
}

describe('local files: a CD opened in the browser', () => {
  it('a CD folder on the folder input shows its study as local files, lists the two corrupt files with reasons, and its CT shows the generator\'s HU', async () => {
    await page.locator('input[data-local-files-input="folder"]').setInputFiles(cdDir);
    await expectCdShown(`${cd.folder}/`);
    // The hospital timeline is still there beside it.
    const hospitalCt = manifest.studies.find((s) => s.key === 'ct-current')!;
    expect(await page.locator(`[data-timeline-study="${hospitalCt.StudyInstanceUID}"]`).getAttribute('data-site-id')).toBe('site-a');

    // The JPEG baseline ultrasound from the CD, chosen from the local study's series list.
    const us = cd.series.find((s) => s.Modality === 'US')!;
    await page.locator(`section.local-files [data-series-uid="${us.SeriesInstanceUID}"] button`).click();
    await page.locator(`[data-viewport-id="vp-1"][data-series-uid="${us.SeriesInstanceUID}"][data-ready="true"]`).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(300);
    const box = (await page.locator('[data-viewport-id="vp-1"] canvas').first().boundingBox())!;
    // The 640×480 picture is fitted and centred: its centre is liver speckle, (20, 240) lies outside the 35° sector.
    const scale = Math.min(box.width / 640, box.height / 480);
    const sector = await sampleScreen(page, box.x + box.width / 2, box.y + box.height / 2, 8);
    const background = await sampleScreen(page, box.x + box.width / 2 - 300 * scale, box.y + box.height / 2, 4);
    expect(sector.g, `sector ${JSON.stringify(sector)}`).toBeGreaterThan(25);
    expect(Math.abs(sector.r - sector.g)).toBeLessThan(6);
    expect(background.r + background.g + background.b, `background ${JSON.stringify(background)}`).toBeLessThan(10);
  });

  it('the same CD dropped on the page as a .zip is unpacked in the browser and shown the same way', async () => {
    await page.locator('section.local-files button', { hasText: 'Close' }).click();
    await expect.poll(() => page.locator(`[data-timeline-study="${cd.StudyInstanceUID}"]`).count()).toBe(0);
    const files = await walkFiles(cdDir);
    const archive = zipSync(Object.fromEntries(await Promise.all(files.map(async (file) => [relative(cdDir, file), new Uint8Array(await readFile(file))] as const))));
    await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'cd.zip', { type: 'application/zip' }));
      document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, Buffer.from(archive).toString('base64'));
    await expectCdShown('cd.zip/');
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });
});
