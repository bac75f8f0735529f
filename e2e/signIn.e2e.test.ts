/**
 * One sign-in in the browser: the launch link waits behind the sign-in page and then opens the
 * patient; a clinician sees only the sites her account allows; site B's password, held by the
 * gateway, never reaches the browser in any response; sign-out ends the session; and a gateway
 * with sign-in switched off says so on every screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startGateway, type Gateway } from '../src/server/index';
import { TestAccounts, workstationConfig, type TestAccount } from './hospitals/testAccounts';
import { startBasicAuthProxy, type BasicAuthProxy } from './support/basicAuthProxy';
import { recordProblems } from './support/browser';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';

const SiteBPassword = 'rdh-pacs-Secret-9038';
const SiteBPasswordBase64 = Buffer.from(`crossview:${SiteBPassword}`).toString('base64');

let stack: Stack;
let proxyB: BasicAuthProxy | undefined;

beforeAll(async () => {
  stack = await startStack({
    configure: async (config, hospitals) => {
      const siteB = hospitals.sites.find((s) => s.key === 'b')!;
      proxyB = await startBasicAuthProxy(siteB.dicomwebUrl, { username: 'crossview', password: SiteBPassword });
      const url = proxyB.dicomwebUrl;
      return { ...config, sites: config.sites.map((s) => (s.id === siteB.siteId ? { ...s, dicomweb: { url }, auth: { type: 'basic' as const, username: 'crossview', password: SiteBPassword } } : s)) };
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await proxyB?.close();
});

async function signInThroughPage(page: Page, account: TestAccount) {
  await page.locator('[data-sign-in]').waitFor({ timeout: 20_000 });
  await page.fill('input[name="username"]', account.username);
  await page.fill('input[name="password"]', account.password);
  await page.click('button[type="submit"]');
}

describe('signing in in the browser', () => {
  it("opens the launch link after sign-in, shows site B's studies through its password, and never lets that password into the browser", async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const problems = recordProblems(page);
    const leaks: string[] = [];
    let scanned = 0;
    page.on('response', (response) => {
      void (async () => {
        const headers = JSON.stringify(await response.allHeaders());
        const body = await response.body().catch(() => Buffer.alloc(0));
        scanned++;
        for (const secret of [SiteBPassword, SiteBPasswordBase64]) {
          if (headers.includes(secret) || body.includes(secret)) leaks.push(`${new URL(response.url()).pathname}: ${secret === SiteBPassword ? 'password' : 'basic credentials'}`);
        }
      })();
    });
    const manifest = stack.hospitals.manifest;
    await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
    // No demo account is offered by a real config.
    await page.locator('[data-sign-in]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-demo-account]').count()).toBe(0);
    await signInThroughPage(page, TestAccounts.reader);
    expect(await page.locator('[data-signed-in]').getAttribute('data-signed-in', { timeout: 20_000 })).toBe('reader');

    const priorCt = manifest.studies.find((s) => s.key === 'ct-prior')!;
    const row = page.locator(`[data-timeline-study="${priorCt.StudyInstanceUID}"]`).first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute('data-site-id')).toBe('site-b');
    await row.locator('button.study').click();
    const cell = page.locator('[data-viewport-id="vp-1"][data-ready="true"]');
    await cell.waitFor({ timeout: 60_000 });
    expect(await cell.getAttribute('data-site-id')).toBe('site-b');
    expect(proxyB!.refused()).toBe(0);

    // The session cookie is httpOnly: the page's scripts cannot read it; nothing is kept in storage.
    const fromPage = await page.evaluate(() => ({ cookie: document.cookie, local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }), html: document.documentElement.outerHTML }));
    expect(fromPage.cookie).not.toContain('cv_session');
    for (const text of Object.values(fromPage)) expect(text).not.toContain(SiteBPassword);
    await expect.poll(() => scanned, { timeout: 10_000 }).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);

    // Sign-out: back to the sign-in page, and the browser no longer holds the session cookie.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('[data-sign-in]').waitFor({ timeout: 20_000 });
    expect((await context.request.get(`${stack.gateway.url}/api/sites`)).status()).toBe(401);
    await context.close();
  });

  it('shows a clinician only the sites her account allows, and a wrong password says so', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const manifest = stack.hospitals.manifest;
    await page.goto(patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber));
    await signInThroughPage(page, { ...TestAccounts.clinician, password: 'not-her-password' });
    await expect.poll(() => page.locator('[data-sign-in-error]').textContent(), { timeout: 10_000 }).toBe('Wrong username or password');
    await signInThroughPage(page, TestAccounts.clinician);
    const ct = manifest.studies.find((s) => s.key === 'ct-current')!;
    await page.locator(`[data-timeline-study="${ct.StudyInstanceUID}"]`).first().waitFor({ timeout: 30_000 });
    await page.locator('.timeline h2 .spinner').waitFor({ state: 'detached', timeout: 30_000 });
    const siteIds = await page.locator('[data-site-status]').evaluateAll((els) => els.map((el) => el.getAttribute('data-site-status')));
    expect(siteIds.sort()).toEqual(['site-a', 'site-c']);
    const rowSites = await page.locator('[data-timeline-study]').evaluateAll((els) => els.map((el) => el.getAttribute('data-site-id')));
    expect(rowSites.length).toBeGreaterThan(0);
    expect(rowSites).not.toContain('site-b');
    await context.close();
  });

  it('says on screen when sign-in is switched off (a loopback workstation gateway)', async () => {
    let workstation: Gateway | undefined;
    try {
      workstation = await startGateway({ config: workstationConfig(stack.hospitals.config), port: 0, staticDir: 'dist', log: () => {} });
      const page = await stack.browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(workstation.url);
      const banner = page.locator('[data-no-sign-in]');
      await banner.waitFor({ timeout: 20_000 });
      expect(await banner.innerText()).toMatch(/No sign-in: .*anyone using this computer/);
      expect(await page.locator('[data-sign-in]').count()).toBe(0);
      await page.close();
    } finally {
      await workstation?.close();
    }
  });
});
