/**
 * A department adds a hanging protocol without code: a JSON file written into the folder the
 * gateway's config names (`hanging.protocolFolder`) is chosen for the next study it matches,
 * while the gateway keeps running and the app is not rebuilt. A broken file beside it is reported
 * by the gateway and does not stop the good one. Against three real Orthanc hospitals; the
 * ultrasound and its site are read from the demo manifest.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { HangingProtocolListSchema, HangingProtocolsPath } from '../src/contracts/index';
import type { DemoManifest, DemoStudy } from '../src/demo/manifest';
import { recordProblems } from './support/browser';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';
import { signInForFetch } from './hospitals/testAccounts';

/** The README's example: the current ultrasound beside the most recent earlier one from any site. */
const usReview = {
  id: 'dept-us-review',
  name: 'US: current + prior',
  studyRules: [{ attribute: 'ModalitiesInStudy', oneOf: ['US'], weight: 5, required: true }],
  priors: { select: { kind: 'most-recent' }, relevance: { modality: 'same', bodyPart: 'overlapping' } },
  displaySets: [
    { id: 'current-us', required: true, seriesRules: [{ attribute: 'Modality', oneOf: ['US'], required: true }] },
    { id: 'prior-us', study: 'prior', seriesRules: [{ attribute: 'Modality', oneOf: ['US'], required: true }] },
  ],
  stages: [
    {
      id: 'current-prior',
      name: 'Current + prior',
      layout: { kind: 'grid', rows: 1, columns: 2 },
      viewports: [{ displaySet: 'current-us' }, { displaySet: 'prior-us' }],
    },
  ],
};
const declaredCells = usReview.stages[0]!.layout.rows * usReview.stages[0]!.layout.columns;

let stack: Stack;
let manifest: DemoManifest;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cv-department-protocols-'));
  stack = await startStack({ configure: (config) => ({ ...config, hanging: { protocolFolder: folder } }) });
  manifest = stack.hospitals.manifest;
});
afterAll(async () => {
  await stack?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function ultrasound(): DemoStudy {
  const study = manifest.studies.find((s) => s.key === 'us-abdomen');
  if (!study) throw new Error('hangingFolder e2e: the demo has no us-abdomen study');
  return study;
}
const siteIdOf = (study: DemoStudy) => manifest.sites.find((s) => s.key === study.siteKey)!.siteId;

const grid = (page: Page) => page.locator('section.viewer-grid');
const cells = (page: Page) => page.locator('section.viewer-grid .viewport[data-viewport-id]');

async function openPatient(page: Page): Promise<void> {
  await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
}

/** Clicks the study's timeline row and waits until the grid hangs `protocolId`. */
async function hang(page: Page, study: DemoStudy, protocolId: string): Promise<void> {
  await page.locator(`[data-timeline-study="${study.StudyInstanceUID}"] button.study`).click({ timeout: 30_000 });
  await expect.poll(() => grid(page).getAttribute('data-protocol-id'), { timeout: 30_000 }).toBe(protocolId);
}

/** The first cell shows the ultrasound's one series from its own hospital. */
async function expectUltrasoundInFirstCell(page: Page, study: DemoStudy): Promise<void> {
  const first = page.locator('section.viewer-grid .viewport[data-viewport-id="vp-1"]');
  await page.locator('section.viewer-grid .viewport[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 30_000 });
  expect(await first.getAttribute('data-series-uid')).toBe(study.series[0]!.SeriesInstanceUID);
  expect(await first.getAttribute('data-study-uid')).toBe(study.StudyInstanceUID);
  expect(await first.getAttribute('data-site-id')).toBe(siteIdOf(study));
}

describe('department hanging protocols from the configured folder', () => {
  it('a protocol JSON written into the folder is chosen for the ultrasound it matches on the next click, with its declared cells, without restart or rebuild', async () => {
    const us = ultrasound();
    expect(us.series.map((s) => s.Modality)).toEqual(['US']);
    // No earlier ultrasound of the patient anywhere: the protocol's prior cell stays empty.
    const earlierUs = manifest.studies.filter((s) => s.person === 'patient' && s.ModalitiesInStudy.includes('US') && s.StudyDate < us.StudyDate);
    expect(earlierUs).toEqual([]);

    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = recordProblems(page);
    try {
      await openPatient(page);
      await hang(page, us, 'single-series');
      await expect.poll(() => cells(page).count()).toBe(1);
      await expectUltrasoundInFirstCell(page, us);

      await writeFile(join(folder, 'dept-us-review.json'), JSON.stringify(usReview, null, 2));
      await hang(page, us, 'dept-us-review');
      expect(await grid(page).getAttribute('data-stage-id')).toBe('current-prior');
      await expect.poll(() => cells(page).count()).toBe(declaredCells);
      await expectUltrasoundInFirstCell(page, us);
      const first = page.locator('section.viewer-grid .viewport[data-viewport-id="vp-1"]');
      expect(await first.getAttribute('data-display-set')).toBe('current-us');
      expect(await first.getAttribute('data-role')).toBe('current');
      const second = page.locator('section.viewer-grid .viewport[data-viewport-id="vp-2"]');
      expect(await second.getAttribute('class')).toMatch(/\bempty\b/);
      expect((await second.textContent())?.trim()).not.toBe('');
      expect(await page.locator(`[data-timeline-study="${us.StudyInstanceUID}"][data-hanging="current"]`).count()).toBe(1);
      expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a broken JSON file beside it is reported by the gateway and the good protocol still hangs the study', async () => {
    const us = ultrasound();
    await writeFile(join(folder, 'dept-us-review.json'), JSON.stringify(usReview, null, 2));
    await writeFile(join(folder, 'broken.json'), '{ "id": "broken", "stages": [');

    const { cookie } = await signInForFetch(stack.gateway.url);
    const res = await fetch(`${stack.gateway.url}${HangingProtocolsPath}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const list = HangingProtocolListSchema.parse(await res.json());
    expect(list.protocols.map((p) => p.id)).toEqual(['dept-us-review']);
    expect(list.errors.map((e) => e.file)).toEqual(['broken.json']);
    expect(list.errors[0]!.errors[0]).toMatch(/^broken\.json: not valid JSON \(/);

    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = recordProblems(page);
    try {
      await openPatient(page);
      await hang(page, us, 'dept-us-review');
      await expect.poll(() => cells(page).count()).toBe(declaredCells);
      await expectUltrasoundInFirstCell(page, us);
      expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
