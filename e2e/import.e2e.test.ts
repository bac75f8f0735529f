/**
 * Importing local files (issue #7): the generated outside-hospital CD is opened in Chromium while
 * the demo patient is on screen, then "Import to…" site A. The CD carries the NHS number, so the
 * gateway matches the patient at site A by it; the dialog shows the basis and the attribute
 * changes, and imports only after the user confirms. Site A's Orthanc, asked directly, then holds
 * the study under the A local ID with the NHS number kept, and the patient's timeline lists it at
 * site A. Then site C is stopped before the commit: every instance is listed as not stored, nothing
 * is claimed, and once site C is back the same staging is stored.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../src/contracts/index';
import type { DemoCdTruth, DemoManifest } from '../src/demo/manifest';
import { recordProblems } from './support/browser';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';

let stack: Stack;
let manifest: DemoManifest;
let cd: DemoCdTruth;
let page: Page;
let problems: string[];

beforeAll(async () => {
  stack = await startStack();
  manifest = stack.hospitals.manifest;
  if (!manifest.cd) throw new Error('the demo manifest has no CD (generator version 8 or later writes one)');
  cd = manifest.cd;
  page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
  problems = recordProblems(page);
  await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
  const anyStudy = manifest.studies.find((s) => s.key === 'ct-current')!;
  await page.locator(`[data-timeline-study="${anyStudy.StudyInstanceUID}"]`).waitFor({ timeout: 30_000 });
  await page.locator('input[data-local-files-input="folder"]').setInputFiles(join(stack.hospitals.demoDir, cd.folder));
  await page.locator(`[data-import-study="${cd.StudyInstanceUID}"]`).waitFor({ timeout: 30_000 });
});
afterAll(async () => {
  await stack?.stop();
});

const siteOf = (key: 'a' | 'c') => manifest.sites.find((s) => s.key === key)!;
const orthancUrl = (key: 'a' | 'c') => stack.hospitals.sites.find((s) => s.key === key)!.dicomwebUrl;
const text = (dataset: DicomJsonDataset | undefined, tag: string) => dataset?.[tag]?.Value?.[0];

/** The CD's study at a site's Orthanc, asked directly (not through the gateway). */
async function cdStudyAt(key: 'a' | 'c'): Promise<DicomJsonDataset[]> {
  const response = await fetch(`${orthancUrl(key)}/studies?StudyInstanceUID=${cd.StudyInstanceUID}&includefield=00100020,00100021,00201208`, { headers: { accept: 'application/dicom+json' } });
  const body = await response.text();
  return body.trim() ? (JSON.parse(body) as DicomJsonDataset[]) : [];
}

async function openImportTo(siteId: string) {
  await page.locator(`[data-import-study="${cd.StudyInstanceUID}"]`).click();
  const dialog = page.locator(`[data-import-dialog="${cd.StudyInstanceUID}"]`);
  await dialog.locator('[data-import-target]').selectOption(siteId);
  await dialog.locator('[data-import-match-basis]').waitFor({ timeout: 30_000 });
  return dialog;
}

describe('importing a CD into a hospital', () => {
  it('import to site A matches the patient by NHS number, imports after confirmation, and the study is at site A under the A local ID and in the timeline', async () => {
    const siteA = siteOf('a');
    expect(await cdStudyAt('a')).toEqual([]);
    const dialog = await openImportTo('site-a');
    expect(await dialog.locator('[data-import-match-basis]').getAttribute('data-import-match-basis')).toBe('national-id');
    expect(await dialog.innerText()).toContain(manifest.patient.nhsNumber);
    const idChange = await dialog.locator('[data-import-change="PatientID"]').innerText();
    expect(idChange).toContain(cd.PatientID);
    expect(idChange).toContain(siteA.localPatientId);
    expect(await dialog.locator('[data-import-change="IssuerOfPatientID"]').innerText()).toContain(siteA.issuer);
    // Nothing happens without the user's word that this is the patient.
    expect(await dialog.locator('[data-import-start]').isDisabled()).toBe(true);
    await dialog.locator('[data-import-confirm]').click();
    await dialog.locator('[data-import-start]').click();
    await dialog.and(page.locator('[data-import-state="done"]')).waitFor({ timeout: 60_000 });
    expect(await dialog.locator('[data-import-stored]').getAttribute('data-import-stored')).toBe(String(cd.files.length));

    const [study] = await cdStudyAt('a');
    expect(text(study, '00100020')).toBe(siteA.localPatientId);
    expect(text(study, '00100021')).toBe(siteA.issuer);
    expect(text(study, '00201208')).toBe(cd.files.length);
    const first = cd.files[0]!;
    const metadata = await fetch(`${orthancUrl('a')}/studies/${cd.StudyInstanceUID}/series/${first.SeriesInstanceUID}/instances/${first.SOPInstanceUID}/metadata`, { headers: { accept: 'application/dicom+json' } });
    const [instance] = (await metadata.json()) as DicomJsonDataset[];
    const others = (instance?.['00101002']?.Value ?? []) as DicomJsonDataset[];
    expect(others.some((o) => text(o, '00100020') === manifest.patient.nhsNumber && text(o, '00100021') === 'NHS')).toBe(true);

    // The patient's timeline now lists the study at site A (beside the local copy).
    const atSiteA = page.locator(`[data-timeline-study="${cd.StudyInstanceUID}"][data-site-id="site-a"]`);
    await atSiteA.waitFor({ timeout: 30_000 });
    expect(await atSiteA.getAttribute('data-link-basis')).toBe('national-id');
    await dialog.locator('[data-import-close]').click();
  });

  it('site C down at the commit: every instance is listed as not stored and nothing is said to have landed; back up, the same staging is stored', async () => {
    const siteC = siteOf('c');
    const dialog = await openImportTo('site-c');
    expect(await dialog.locator('[data-import-match-basis]').getAttribute('data-import-match-basis')).toBe('national-id');
    await dialog.locator('[data-import-confirm]').click();
    await stack.hospitals.stopSite('c');
    try {
      await dialog.locator('[data-import-start]').click();
      await dialog.and(page.locator('[data-import-state="failed"]')).waitFor({ timeout: 90_000 });
      expect(await dialog.locator('[data-import-failures]').getAttribute('data-import-failures')).toBe(String(cd.files.length));
      expect(await dialog.locator('[data-import-landed]').count()).toBe(0);
      expect(await dialog.locator('[data-import-note]').innerText()).toContain('Nothing was stored');
      expect(await dialog.locator('[data-import-failed]').first().innerText()).toMatch(/HTTP 50[234]/);
    } finally {
      await stack.hospitals.startSite('c');
    }
    expect(await cdStudyAt('c')).toEqual([]);
    await dialog.locator('[data-import-commit-again]').click();
    await dialog.and(page.locator('[data-import-state="done"]')).waitFor({ timeout: 60_000 });
    const [study] = await cdStudyAt('c');
    expect(text(study, '00100020')).toBe(siteC.localPatientId);
    expect(text(study, '00201208')).toBe(cd.files.length);
    expect(problems.filter((p) => !p.includes('favicon') && !/50[234]/.test(p))).toEqual([]);
  });
});
