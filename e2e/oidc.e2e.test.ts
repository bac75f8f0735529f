/**
 * Signing in with the organisation's OpenID Connect provider in Chromium: the launch link waits
 * behind "Sign in with …", the provider's own login and consent pages, and back to the patient
 * with only the sites the provider's claims grant. Cancelling at the provider says so on the
 * sign-in page. The provider is a real `oidc-provider` on loopback (PKCE required).
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { parseConfig } from '../src/contracts/index';
import { startGateway, type Gateway } from '../src/server/index';
import { findFreePort } from './hospitals/orthanc';
import { startOidcProvider, type TestOidcProvider } from './support/oidcProvider';
import { patientLaunchUrl, startStack, type Stack } from './support/stack';

let stack: Stack;
let provider: TestOidcProvider;
let gateway: Gateway;

beforeAll(async () => {
  stack = await startStack();
  const port = await findFreePort();
  const redirectUri = `http://127.0.0.1:${port}/api/session/oidc/callback`;
  provider = await startOidcProvider({
    redirectUri,
    accounts: { 'sub-jsmith': { preferred_username: 'jsmith', name: 'Dr Jo Smith', crossview_roles: ['clinician'], crossview_sites: ['site-a', 'site-c'] } },
  });
  const parsed = parseConfig({
    ...stack.hospitals.config,
    auth: { mode: 'oidc', oidc: { issuer: provider.issuer, clientId: provider.clientId, redirectUri, scope: 'openid profile', displayName: 'Trust Login' } },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  gateway = await startGateway({ config: parsed.config, port, staticDir: resolve('dist'), log: () => {} });
});

afterAll(async () => {
  await gateway?.close();
  await provider?.close();
  await stack?.stop();
});

async function toProvider(page: Page): Promise<void> {
  const button = page.locator('[data-oidc-sign-in]');
  await button.waitFor({ timeout: 20_000 });
  expect(await button.textContent()).toBe('Sign in with Trust Login');
  // No password is typed into Crossview itself.
  expect(await page.locator('input[name="password"]').count()).toBe(0);
  await button.click();
  await page.waitForURL((url) => url.origin === provider.issuer, { timeout: 20_000 });
}

describe('signing in with OpenID Connect in the browser', () => {
  it("opens the launch link after the provider's login and consent, with only the sites its claims grant", async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const manifest = stack.hospitals.manifest;
    const launch = patientLaunchUrl(gateway.url, manifest.patient.nhsNumber);
    await page.goto(launch);
    await toProvider(page);
    await page.fill('input[name="login"]', 'sub-jsmith');
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    await page.locator('input[name="prompt"][value="consent"]').waitFor({ state: 'attached', timeout: 20_000 });
    await page.click('button[type="submit"]');

    expect(await page.locator('[data-signed-in]').getAttribute('data-signed-in', { timeout: 30_000 })).toBe('jsmith');
    expect(page.url()).toBe(launch);
    const ct = manifest.studies.find((s) => s.key === 'ct-current')!;
    await page.locator(`[data-timeline-study="${ct.StudyInstanceUID}"]`).first().waitFor({ timeout: 30_000 });
    await page.locator('.timeline h2 .spinner').waitFor({ state: 'detached', timeout: 30_000 });
    const siteIds = await page.locator('[data-site-status]').evaluateAll((els) => els.map((el) => el.getAttribute('data-site-status')));
    expect(siteIds.sort()).toEqual(['site-a', 'site-c']);
    const rowSites = await page.locator('[data-timeline-study]').evaluateAll((els) => els.map((el) => el.getAttribute('data-site-id')));
    expect(rowSites.length).toBeGreaterThan(0);
    expect(rowSites).not.toContain('site-b');
    // The session is the gateway's httpOnly cookie; the page's scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('cv_session');
    await context.close();
  });

  it('says on the sign-in page when the person cancels at the provider', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${gateway.url}/`);
    await toProvider(page);
    await page.click('a:has-text("Cancel")');
    const error = page.locator('[data-sign-in-error]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toMatch(/did not sign you in/);
    expect(await page.locator('[data-signed-in]').count()).toBe(0);
    await context.close();
  });
});
