/**
 * One hospital failing must not cost the others: with site B's Orthanc stopped, or answering
 * ten seconds late, sites A and C still list their studies at once and B says what happened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoManifest } from '../src/demo/manifest';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';

function launchUrl(stack: Stack, manifest: DemoManifest): string {
  return patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber);
}

/**
 * Milliseconds from navigation start (the page's own clock) until every usual-form study of
 * sites A and C is listed. The browser has shown one page before, as a user's browser has.
 */
async function timeToSitesAandC(page: Page, stack: Stack, manifest: DemoManifest): Promise<number> {
  const warm = await stack.browser.newPage();
  await warm.goto(stack.gateway.url);
  await warm.close();
  await page.goto(launchUrl(stack, manifest));
  const uids = manifest.studies.filter((s) => s.person === 'patient' && !s.identityForm && s.siteKey !== 'b').map((s) => s.StudyInstanceUID);
  await page.waitForFunction((wanted) => wanted.every((uid) => document.querySelector(`[data-timeline-study="${uid}"]`)), uids, { timeout: 15_000, polling: 20 });
  return page.evaluate(() => performance.now());
}

/** The gateway has been up a moment: it knows each site's last status. */
async function warmSiteList(stack: Stack) {
  await fetch(`${stack.gateway.url}/api/sites`);
}

describe('site B is down', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    await stack.hospitals.stopSite('b');
    await warmSiteList(stack);
  });
  afterAll(async () => stack?.stop());

  it('lists A and C within the timeout plus one second, and marks B down with its error', async () => {
    const manifest = stack.hospitals.manifest;
    const page = await stack.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const elapsed = await timeToSitesAandC(page, stack, manifest);
    expect(elapsed).toBeLessThan(4000 + 1000);
    const chip = page.locator('[data-site-status="site-b"]');
    await expect.poll(() => chip.getAttribute('data-state'), { timeout: 6_000 }).toBe('down');
    await expect.poll(() => chip.innerText()).toMatch(/not reachable|did not answer/);
    for (const study of manifest.studies.filter((s) => s.siteKey === 'b')) {
      expect(await page.locator(`[data-timeline-study="${study.StudyInstanceUID}"]`).count()).toBe(0);
    }
    expect(await page.locator('[data-site-status="site-a"]').getAttribute('data-state')).toBe('ok');
    await page.close();
  });
});

describe('site B answers ten seconds late', () => {
  let stack: Stack;
  let slow: FaultProxy;
  beforeAll(async () => {
    stack = await startStack({
      configure: async (config, hospitals) => {
        const siteB = hospitals.sites.find((s) => s.key === 'b')!;
        slow = await startFaultProxy(siteB.dicomwebUrl, { delayMs: 10_000 });
        return { ...config, sites: config.sites.map((s) => (s.id === siteB.siteId ? { ...s, dicomweb: { url: slow.dicomwebUrl } } : s)) };
      },
    });
    await warmSiteList(stack);
  });
  afterAll(async () => {
    await stack?.stop();
    await slow?.close();
  });

  it('lists A and C within 2 s, and B ends down after its 4 s timeout', async () => {
    const manifest = stack.hospitals.manifest;
    const page = await stack.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const elapsed = await timeToSitesAandC(page, stack, manifest);
    expect(elapsed).toBeLessThan(2000);
    const chip = page.locator('[data-site-status="site-b"]');
    await expect.poll(() => chip.getAttribute('data-state'), { timeout: 8_000 }).toBe('down');
    await expect.poll(() => chip.innerText()).toContain('did not answer within 4.0 s');
    await page.close();
  });
});
