/**
 * "Send to…" acceptance: the site-A current CT (220 slices, its SR and RT objects) sent from the
 * timeline to site C lands in site C's real Orthanc whole (QIDO counts per series match the
 * source's), every instance filed under site C's local ID with the NHS number kept and the A ID
 * in OriginalAttributesSequence. Then site C is killed mid-send: the dialog lists the failed
 * instances; site C restarted, Retry completes the study.
 *
 * Site C's storage is a temporary copy of the seeded snapshot (see e2e/hospitals/harness.ts), so
 * what this file stores there is gone when the stack stops; the last test checks the snapshot.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoStudy } from '../src/demo/manifest';
import { HOSPITALS_CACHE_DIR } from './hospitals/index';
import { snapshotDir, type SnapshotMeta } from './hospitals/storageCache';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';

type Dataset = Record<string, { Value?: unknown[] } | undefined>;

let stack: Stack;
let page: Page;
let ct: DemoStudy;

const site = (key: 'a' | 'b' | 'c') => stack.hospitals.sites.find((s) => s.key === key)!;
const orthancRoot = (key: 'a' | 'b' | 'c') => site(key).dicomwebUrl.replace(/\/dicom-web$/, '');
const text = (dataset: Dataset | undefined, tag: string) => dataset?.[tag]?.Value?.[0];

/** Instances per series of the study, asked of the hospital's Orthanc directly (QIDO-RS). */
async function seriesCounts(key: 'a' | 'c', studyUid: string): Promise<Record<string, number>> {
  const response = await fetch(`${site(key).dicomwebUrl}/studies/${studyUid}/series`);
  if (response.status === 204) return {};
  const series = (await response.json()) as Dataset[];
  const counts: Record<string, number> = {};
  for (const s of series) {
    const uid = String(text(s, '0020000E'));
    const instances = (await (await fetch(`${site(key).dicomwebUrl}/studies/${studyUid}/series/${uid}/instances`)).json()) as Dataset[];
    counts[uid] = instances.length;
  }
  return counts;
}

async function deleteStudyAtC(studyUid: string): Promise<void> {
  const lookup = (await (await fetch(`${orthancRoot('c')}/tools/lookup`, { method: 'POST', body: studyUid })).json()) as { ID: string; Type: string }[];
  for (const hit of lookup.filter((h) => h.Type === 'Study')) {
    const response = await fetch(`${orthancRoot('c')}/studies/${hit.ID}`, { method: 'DELETE' });
    expect(response.status).toBe(200);
  }
}

async function openSendToC(): Promise<void> {
  await page.locator(`[data-send-study="${ct.StudyInstanceUID}"]`).click();
  const dialog = page.locator(`[data-send-dialog="${ct.StudyInstanceUID}"]`);
  await dialog.waitFor();
  // Only other hospitals the reader may see are offered; never the study's own.
  expect(await dialog.locator('[data-send-target] option:not([disabled])').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['site-b', 'site-c']);
  await dialog.locator('[data-send-target]').selectOption('site-c');
  const siteC = stack.hospitals.manifest.sites.find((s) => s.key === 'c')!;
  await expect.poll(() => dialog.locator('[data-send-target-patient]').getAttribute('data-send-target-patient'), { timeout: 20_000 }).toBe(siteC.localPatientId);
}

beforeAll(async () => {
  stack = await startStack();
  ct = stack.hospitals.manifest.studies.find((s) => s.key === 'ct-current')!;
  page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(patientLaunchUrl(stack.gateway.url, stack.hospitals.manifest.patient.nhsNumber));
  await page.locator(`[data-send-study="${ct.StudyInstanceUID}"]`).waitFor({ timeout: 30_000 });
});
afterAll(async () => {
  await stack?.stop();
});

describe('send a study to another hospital', () => {
  it('Send to site C puts every instance of the site-A CT and its SR into site C under the C local ID with the NHS number kept', async () => {
    const { manifest } = stack.hospitals;
    const siteA = manifest.sites.find((s) => s.key === 'a')!;
    const siteC = manifest.sites.find((s) => s.key === 'c')!;
    expect(await seriesCounts('c', ct.StudyInstanceUID)).toEqual({});
    const source = await seriesCounts('a', ct.StudyInstanceUID);
    expect(source).toEqual(Object.fromEntries(ct.series.map((s) => [s.SeriesInstanceUID, s.instanceCount])));

    await openSendToC();
    const started = Date.now();
    await page.locator('[data-send-start]').click();
    const dialog = page.locator(`[data-send-dialog="${ct.StudyInstanceUID}"]`);
    await dialog.and(page.locator('[data-send-state="done"]')).waitFor({ timeout: 110_000 });
    console.log(`send: ${Object.values(source).reduce((a, b) => a + b, 0)} instances site A → site C in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const total = Object.values(source).reduce((a, b) => a + b, 0);
    expect(await dialog.locator('[data-send-progress]').getAttribute('data-send-progress')).toBe(`${total}/${total}`);

    expect(await seriesCounts('c', ct.StudyInstanceUID)).toEqual(source);
    const stored = (await (await fetch(`${site('c').dicomwebUrl}/studies/${ct.StudyInstanceUID}/metadata`)).json()) as Dataset[];
    expect(stored).toHaveLength(total);
    const sr = ct.series.find((s) => s.Modality === 'SR')!;
    expect(stored.filter((d) => text(d, '0020000E') === sr.SeriesInstanceUID)).toHaveLength(1);
    for (const dataset of stored) {
      expect(text(dataset, '00100020')).toBe(siteC.localPatientId);
      expect(text(dataset, '00100021')).toBe(siteC.issuer);
      const others = (dataset['00101002']?.Value ?? []) as Dataset[];
      expect(others.some((o) => text(o, '00100020') === manifest.patient.nhsNumber && text(o, '00100021') === 'NHS')).toBe(true);
      const original = (dataset['04000561']?.Value ?? []) as Dataset[];
      const modified = (original.at(-1)?.['04000550']?.Value ?? []) as Dataset[];
      expect(text(modified[0], '00100020')).toBe(siteA.localPatientId);
      expect(text(original.at(-1), '04000565')).toBe('COERCE');
    }
  });

  it('site C killed mid-send leaves the rest failed with the reason; restarted, Retry completes the study', async () => {
    if (await page.locator('[data-send-close]').count()) await page.locator('[data-send-close]').click();
    await deleteStudyAtC(ct.StudyInstanceUID);
    expect(await seriesCounts('c', ct.StudyInstanceUID)).toEqual({});
    const source = await seriesCounts('a', ct.StudyInstanceUID);
    const total = Object.values(source).reduce((a, b) => a + b, 0);

    await openSendToC();
    await page.locator('[data-send-start]').click();
    const dialog = page.locator(`[data-send-dialog="${ct.StudyInstanceUID}"]`);
    // Some instances have landed: now the hospital goes away.
    await expect.poll(async () => Number(await dialog.locator('[data-send-progress]').getAttribute('data-sent', { timeout: 1000 }).catch(() => '0')), { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(20);
    await stack.hospitals.stopSite('c');
    try {
      await dialog.and(page.locator('[data-send-state="failed"]')).waitFor({ timeout: 60_000 });
      const sent = Number(await dialog.locator('[data-send-progress]').getAttribute('data-sent'));
      const failures = Number(await dialog.locator('[data-send-failures]').getAttribute('data-send-failures'));
      expect(sent).toBeGreaterThanOrEqual(20);
      expect(failures).toBeGreaterThan(0);
      expect(sent + failures).toBe(total);
      expect(await dialog.locator('[data-send-failures] li').first().innerText()).toMatch(/storing at the target: HTTP 50[24]/);
    } finally {
      await stack.hospitals.startSite('c');
    }
    await dialog.locator('[data-send-retry]').click();
    await dialog.and(page.locator('[data-send-state="done"]')).waitFor({ timeout: 110_000 });
    expect(await dialog.locator('[data-send-progress]').getAttribute('data-send-progress')).toBe(`${total}/${total}`);
    expect(await seriesCounts('c', ct.StudyInstanceUID)).toEqual(source);
  });

  it('what was sent stays in this stack: the seeded site-C snapshot is unchanged, only its temporary copy grew', async () => {
    const { manifest } = stack.hospitals;
    const snapshot = snapshotDir({ seed: manifest.seed, generatorVersion: manifest.generatorVersion, transferSyntax: 'as-generated', siteKey: 'c' });
    const meta = JSON.parse(await readFile(join(snapshot, 'meta.json'), 'utf8')) as SnapshotMeta;
    const files = async (dir: string) => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).length;
    const total = ct.series.reduce((n, s) => n + s.instanceCount, 0);
    expect(site('c').storageDir.startsWith(HOSPITALS_CACHE_DIR)).toBe(false);
    expect(await files(join(snapshot, 'storage'))).toBe(meta.instanceCount);
    expect(await files(site('c').storageDir)).toBeGreaterThanOrEqual(meta.instanceCount + total);
  });
});
