/**
 * Identity across hospitals, on real Orthanc sites: the demo patient is found under every local
 * ID, the identity traps never join, a demographics-only record waits for a click, a server that
 * ignores matching keys leaks no other person, and hostile names stay text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoManifest } from '../src/demo/manifest';
import type { FaultProxy } from './support/faultProxy';
import { recordProblems } from './support/browser';
import { patientLaunchUrl, startStack, startStackWithFault, type Stack } from './support/stack';

function launchUrl(stack: Stack, nhsNumber: string): string {
  return patientLaunchUrl(stack.gateway.url, nhsNumber);
}

/** Waits until every site has answered and the widened search has finished. */
async function searchFinished(page: Page) {
  await page.locator('.timeline h2 .spinner').waitFor({ state: 'detached', timeout: 30_000 });
}

const mainRow = (page: Page, uid: string) => page.locator(`.timeline > ol > li[data-timeline-study="${uid}"]`);

describe('identity across hospitals', () => {
  let stack: Stack;
  let manifest: DemoManifest;
  beforeAll(async () => {
    stack = await startStack();
    manifest = stack.hospitals.manifest;
    // The gateway's background indexer has walked every site once.
    await stack.gateway.runIndexerOnce();
  });
  afterAll(async () => stack?.stop());

  it('links the patient at all three sites, finds the sequence-only and spaced NHS records, and never merges the traps', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(launchUrl(stack, manifest.patient.nhsNumber));
    await searchFinished(page);
    for (const study of manifest.studies.filter((s) => s.person === 'patient' && s.identityForm !== 'demographics-only')) {
      const site = manifest.sites.find((s) => s.key === study.siteKey)!;
      const row = mainRow(page, study.StudyInstanceUID);
      await row.waitFor({ timeout: 10_000 });
      expect(await row.getAttribute('data-site-id')).toBe(site.siteId);
      expect(await row.getAttribute('data-link-basis'), study.key).toBe('national-id');
    }
    for (const other of manifest.studies.filter((s) => s.person !== 'patient')) {
      expect(await page.locator(`[data-timeline-study="${other.StudyInstanceUID}"]`).count(), other.key).toBe(0);
    }
    await page.close();
  });

  it('shows the demographics-only record as a possible match that joins the timeline only after a click', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(launchUrl(stack, manifest.patient.nhsNumber));
    const record = manifest.studies.find((s) => s.identityForm === 'demographics-only')!;
    const possible = page.locator(`[data-possible-match="true"] [data-timeline-study="${record.StudyInstanceUID}"]`);
    await possible.waitFor({ timeout: 30_000 });
    expect(await mainRow(page, record.StudyInstanceUID).count()).toBe(0);
    await expect.poll(() => possible.innerText()).toContain('same birth date');
    await possible.locator('button.confirm-match').click();
    const linked = mainRow(page, record.StudyInstanceUID);
    await linked.waitFor({ timeout: 5_000 });
    expect(await linked.getAttribute('data-link-basis')).toBe('demographics-confirmed');
    expect(await possible.count()).toBe(0);
    await page.close();
  });

  it('shows a hostile PatientName and StudyDescription as text, running nothing', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = recordProblems(page);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    const hostile = manifest.hostile!;
    await page.goto(launchUrl(stack, hostile.person.nhsNumber));
    const study = manifest.studies.find((s) => s.person === 'hostile-name')!;
    await mainRow(page, study.StudyInstanceUID).waitFor({ timeout: 20_000 });
    // DICOM splits a PN at '=' into component groups: its Alphabetic group is the literal `<img src`.
    await expect.poll(() => page.locator('.patient-banner .patient-name').innerText()).toBe('<IMG SRC');
    await expect.poll(() => mainRow(page, study.StudyInstanceUID).innerText()).toContain('<script>alert(2)</script>');
    expect(await page.locator('.patient-banner img, .timeline img, .timeline script').count()).toBe(0);
    await page.waitForTimeout(500);
    expect(dialogs).toBe(0);
    expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);
    await page.close();
  });
});

describe('searching from the start page', () => {
  let stack: Stack;
  let manifest: DemoManifest;
  beforeAll(async () => {
    stack = await startStack();
    manifest = stack.hospitals.manifest;
  });
  afterAll(async () => stack?.stop());

  it('finds the patient from one hospital\'s local ID and, through the NHS number it carries, at every site', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(stack.gateway.url);
    await page.getByRole('tab', { name: 'Hospital ID' }).click();
    const siteB = manifest.sites.find((s) => s.key === 'b')!;
    await page.getByLabel('Hospital', { exact: true }).selectOption(siteB.siteId);
    await page.getByLabel('Local patient ID').fill(siteB.localPatientId);
    await page.getByRole('button', { name: 'Search' }).click();
    await searchFinished(page);
    for (const study of manifest.studies.filter((s) => s.person === 'patient' && !s.identityForm)) {
      const row = mainRow(page, study.StudyInstanceUID);
      await row.waitFor({ timeout: 10_000 });
      expect(await row.getAttribute('data-link-basis'), study.key).toBe(study.siteKey === 'b' ? 'issuer-id' : 'national-id');
    }
    for (const other of manifest.studies.filter((s) => s.person !== 'patient')) {
      expect(await page.locator(`[data-timeline-study="${other.StudyInstanceUID}"]`).count(), other.key).toBe(0);
    }
    await page.close();
  });

  it('a name and birth date search offers possible matches only, and links what is confirmed', async () => {
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(stack.gateway.url);
    await page.getByRole('tab', { name: 'Name + birth date' }).click();
    const [family = '', given = ''] = manifest.patient.PatientName.split('^');
    const dob = manifest.patient.PatientBirthDate;
    await page.getByLabel('Family and given name').fill(`${family} ${given}`);
    await page.getByLabel('Birth date').fill(`${dob.slice(6, 8)}/${dob.slice(4, 6)}/${dob.slice(0, 4)}`);
    await page.getByRole('button', { name: 'Search' }).click();
    await searchFinished(page);
    const ct = manifest.studies.find((s) => s.key === 'ct-current')!;
    const possible = page.locator(`[data-possible-match="true"] [data-timeline-study="${ct.StudyInstanceUID}"]`);
    await possible.waitFor({ timeout: 10_000 });
    expect(await page.locator('.timeline > ol > li').count()).toBe(0);
    await possible.locator('button.confirm-match').click();
    await expect.poll(() => mainRow(page, ct.StudyInstanceUID).getAttribute('data-link-basis')).toBe('demographics-confirmed');
    await page.close();
  });
});

describe('a site that ignores query keys', () => {
  let stack: Stack;
  let proxy: FaultProxy;
  beforeAll(async () => {
    ({ stack, proxy } = await startStackWithFault('c', { ignoreQueryKeys: true }));
  });
  afterAll(async () => stack?.stop());

  it('returns every study it holds, and no other person appears', async () => {
    const manifest = stack.hospitals.manifest;
    // The proxy really does answer a patient query with everything at the site.
    const everything = (await (await fetch(`${proxy.dicomwebUrl}/studies?00101000=${manifest.patient.nhsNumber}`)).json()) as unknown[];
    expect(everything.length).toBe(manifest.studies.filter((s) => s.siteKey === 'c').length);
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(launchUrl(stack, manifest.patient.nhsNumber));
    await searchFinished(page);
    for (const study of manifest.studies.filter((s) => s.siteKey === 'c' && s.person === 'patient')) {
      await mainRow(page, study.StudyInstanceUID).waitFor({ timeout: 10_000 });
    }
    for (const other of manifest.studies.filter((s) => s.person !== 'patient')) {
      expect(await page.locator(`[data-timeline-study="${other.StudyInstanceUID}"]`).count(), other.key).toBe(0);
    }
    await page.close();
  });
});
