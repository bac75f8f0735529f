/**
 * The audit trail seen from the browser: opening the demo CT in the real app writes lines the
 * admin's audit page lists and filters; a clinician has no link to it and is refused there.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { TestAccounts } from './hospitals/testAccounts';
import { recordProblems } from './support/browser';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';

let stack: Stack;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crossview-audit-e2e-'));
  stack = await startStack({ configure: (config) => ({ ...config, audit: { path: join(dir, 'audit.jsonl') } }) });
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function rows(page: Page): Promise<{ action: string; cells: string[] }[]> {
  await page.locator('[data-audit-count]').waitFor({ timeout: 20_000 });
  return page.locator('[data-audit-row]').evaluateAll((elements) =>
    elements.map((row) => ({ action: row.getAttribute('data-audit-action') ?? '', cells: [...row.querySelectorAll('td')].map((td) => td.textContent ?? '') })),
  );
}

describe('audit log page', () => {
  it('lists the lines opening the demo CT wrote, filters them by patient and action, and is only for admins', async () => {
    const { manifest } = stack.hospitals;
    const ct = manifest.studies.find((s) => s.key === 'ct-current')!;
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const problems = recordProblems(page);
    await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
    await page.locator(`[data-timeline-study="${ct.StudyInstanceUID}"] button.study`).click();
    await page.locator('[data-viewport-id="vp-1"][data-ready="true"]').waitFor({ timeout: 60_000 });

    // Leaving the viewer aborts its frame requests still under way: problems are counted until then.
    expect(problems).toEqual([]);
    await page.locator('[data-audit-link]').click();
    await page.waitForURL(/\/audit$/);
    const all = await rows(page);
    const ctRows = all.filter((row) => row.cells[5] === ct.StudyInstanceUID);
    // One line per action for the CT in this session, however many frames the viewer fetched.
    expect(ctRows.filter((row) => row.action === 'retrieve')).toHaveLength(1);
    expect(ctRows.filter((row) => row.action === 'study-open')).toHaveLength(1);
    for (const row of ctRows) {
      expect(row.cells[1]).toBe(TestAccounts.reader.username);
      expect(row.cells[2]).toBe('site-a');
      expect(row.cells[4]).toContain(manifest.patient.nhsNumber);
    }
    expect(all.some((row) => row.action === 'search' && row.cells[4]!.includes(manifest.patient.nhsNumber))).toBe(true);

    await page.fill('input[name="patientId"]', manifest.patient.nhsNumber);
    await page.selectOption('select[name="action"]', 'retrieve');
    await page.click('.audit-filters button[type="submit"]');
    await expect.poll(async () => (await rows(page)).map((row) => row.action)).toEqual(expect.arrayContaining(['retrieve']));
    const filtered = await rows(page);
    expect(filtered.every((row) => row.action === 'retrieve' && row.cells[4]!.includes(manifest.patient.nhsNumber))).toBe(true);
    expect(filtered.map((row) => row.cells[5])).toContain(ct.StudyInstanceUID);
    await page.close();

    const clinician = await stack.newPage({ viewport: { width: 1200, height: 800 } }, TestAccounts.clinician);
    await clinician.goto(stack.gateway.url);
    await clinician.locator('[data-signed-in]').waitFor({ timeout: 20_000 });
    expect(await clinician.locator('[data-audit-link]').count()).toBe(0);
    await clinician.goto(`${stack.gateway.url}/audit`);
    await clinician.locator('[data-audit-error="forbidden"]').waitFor({ timeout: 20_000 });
    expect(await clinician.locator('[data-audit-row]').count()).toBe(0);
    await clinician.close();
  });
});
