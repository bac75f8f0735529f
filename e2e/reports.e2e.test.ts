/**
 * Reports beside images, against three real Orthanc hospitals: the current CT's Basic Text SR
 * is shown as text with its author and site, the prior CT's encapsulated PDF opens from the bytes
 * the hospital holds, and the ultrasound, which has no report anywhere, says so — in the panel and
 * on its timeline row. Expected text and bytes are read from the demo files, not hard-coded.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoManifest, DemoStudy } from '../src/demo/manifest';
import { recordProblems } from './support/browser';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';

let stack: Stack;
let manifest: DemoManifest;

beforeAll(async () => {
  stack = await startStack();
  manifest = stack.hospitals.manifest;
});
afterAll(async () => {
  await stack?.stop();
});

type Natural = Record<string, unknown>;

async function readDemoFile(siteFolder: string, name: string): Promise<Natural> {
  const bytes = await readFile(join(stack.hospitals.demoDir, siteFolder, name));
  const file = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict);
}

const first = (value: unknown): Natural => (Array.isArray(value) ? (value[0] as Natural) : (value as Natural));
const personName = (value: unknown): string => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : String((v as { Alphabetic?: string }).Alphabetic ?? '');
};

function studyOf(key: string): DemoStudy {
  const study = manifest.studies.find((s) => s.key === key);
  if (!study) throw new Error(`reports e2e: the demo has no ${key} study`);
  return study;
}
const siteOf = (study: DemoStudy) => manifest.sites.find((s) => s.key === study.siteKey)!;

async function openStudy(study: DemoStudy): Promise<{ page: Page; problems: string[] }> {
  const page = await stack.newPage({ viewport: { width: 1600, height: 1000 } });
  const problems = recordProblems(page);
  await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
  await page.locator(`[data-timeline-study="${study.StudyInstanceUID}"] button.study`).click({ timeout: 30_000 });
  return { page, problems };
}


describe('reports beside images', () => {
  it('shows the current CT\'s SR text with its author, date and site, as a final report from site A', async () => {
    const ct = studyOf('ct-current');
    expect(ct.report).toBe('sr');
    const sr = await readDemoFile(siteOf(ct).folder, 'ct-current-sr-0001.dcm');
    const verifier = first(sr.VerifyingObserverSequence);
    const [family = '', given = ''] = personName(verifier.VerifyingObserverName).split('^');
    const containers = (sr.ContentSequence as Natural[]).filter((item) => item.ValueType === 'CONTAINER');
    const texts = containers.map((c) => String(first(c.ContentSequence).TextValue));
    expect(texts.length).toBeGreaterThanOrEqual(2);

    const { page, problems } = await openStudy(ct);
    const report = page.locator('aside.report-panel[data-report-state="final"]');
    await report.waitFor({ timeout: 30_000 });
    expect(await report.getAttribute('data-site-id')).toBe(siteOf(ct).siteId);
    const text = await report.innerText();
    for (const paragraph of texts) expect(text).toContain(paragraph);
    expect(await report.locator('.report-author').innerText()).toContain(family);
    expect(await report.locator('.report-author').innerText()).toContain(given);
    expect(await report.locator('.report-site').innerText()).toBe(siteOf(ct).name);
    expect(await report.locator('.report-date').innerText()).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}/);
    expect(await report.locator('.report-section-heading').allTextContents()).toEqual(['Findings', 'Impressions']);
    expect(await report.locator('.report-identity-warning').count()).toBe(0);
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
    await page.close();
  });

  it('opens the prior CT\'s PDF report: the viewer holds exactly the PDF the hospital stores, with a download link', async () => {
    const prior = studyOf('ct-prior');
    expect(prior.report).toBe('pdf');
    const dataset = await readDemoFile(siteOf(prior).folder, 'ct-prior-pdf-0001.dcm');
    const document = Array.isArray(dataset.EncapsulatedDocument) ? dataset.EncapsulatedDocument[0] : dataset.EncapsulatedDocument;
    const stored = new Uint8Array(document as ArrayBuffer).subarray(0, Number(dataset.EncapsulatedDocumentLength));
    expect(new TextDecoder().decode(stored.subarray(0, 5))).toBe('%PDF-');

    const { page } = await openStudy(prior);
    const report = page.locator(`aside.report-panel[data-site-id="${siteOf(prior).siteId}"][data-report-state]`);
    await report.waitFor({ timeout: 30_000 });
    expect(['final', 'preliminary']).toContain(await report.getAttribute('data-report-state'));
    expect(await report.locator('.report-title').innerText()).toBe(String(dataset.DocumentTitle));
    const viewer = report.locator('object.report-pdf-viewer[type="application/pdf"]');
    await viewer.waitFor({ timeout: 30_000 });
    const url = await viewer.getAttribute('data');
    expect(url).toMatch(/^blob:/);
    const download = report.getByRole('link', { name: 'Download report (PDF)' });
    expect(await download.getAttribute('href')).toBe(url);
    const shown = await page.evaluate(async (blobUrl) => {
      const response = await fetch(blobUrl);
      return { type: response.headers.get('content-type'), bytes: Array.from(new Uint8Array(await response.arrayBuffer())) };
    }, url!);
    expect(shown.type).toBe('application/pdf');
    expect(Uint8Array.from(shown.bytes)).toEqual(stored);
    await page.close();
  });

  it('says "No report at any site" beside the ultrasound, which has no report at any site', async () => {
    const us = studyOf('us-abdomen');
    expect(us.report).toBe('none');
    const { page } = await openStudy(us);
    const report = page.locator('aside.report-panel[data-report-state="missing"]');
    await report.waitFor({ timeout: 30_000 });
    expect(await report.getAttribute('data-site-id')).toBe(siteOf(us).siteId);
    expect(await report.locator('.report-missing-label').innerText()).toBe('No report at any site');
    expect(await report.locator('.report-not-checked').count()).toBe(0);
    await page.close();
  });

  it('the ultrasound row on the timeline says "No report at any site"; the CT rows name their reports', async () => {
    const page = await stack.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
    const row = (key: string) => page.locator(`[data-timeline-study="${studyOf(key).StudyInstanceUID}"]`);
    await expect.poll(() => row('us-abdomen').innerText(), { timeout: 30_000 }).toContain('No report at any site');
    await expect.poll(() => row('ct-current').innerText(), { timeout: 30_000 }).toContain('Final report');
    await expect.poll(() => row('ct-prior').innerText(), { timeout: 30_000 }).toMatch(/(Final|Preliminary) report/);
    await page.close();
  });
});
