/**
 * One hospital failing must not cost the others: with site B's Orthanc stopped, or answering
 * ten seconds late, sites A and C still list their studies at once and B says what happened.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoManifest } from '../src/demo/manifest';
import { startGateway, type Gateway } from '../src/server/index';
import type { Fault, GarbageFrames } from './support/faultProxy';
import { patientLaunchUrl, startStack, startStackWithFault, type Stack } from './support/stack';
import { signInForFetch, TestSessionEnv } from './hospitals/testAccounts';

function launchUrl(stack: Stack, manifest: DemoManifest): string {
  return patientLaunchUrl(stack.gateway.url, manifest.patient.nhsNumber);
}

/**
 * Milliseconds from navigation start (the page's own clock) until every usual-form study of
 * sites A and C is listed. The browser has shown one page before, as a user's browser has.
 */
async function timeToSitesAandC(page: Page, stack: Stack, manifest: DemoManifest): Promise<number> {
  const warm = await stack.newPage();
  await warm.goto(stack.gateway.url);
  await warm.close();
  await page.goto(launchUrl(stack, manifest));
  const uids = manifest.studies.filter((s) => s.person === 'patient' && !s.identityForm && s.siteKey !== 'b').map((s) => s.StudyInstanceUID);
  await page.waitForFunction((wanted) => wanted.every((uid) => document.querySelector(`[data-timeline-study="${uid}"]`)), uids, { timeout: 15_000, polling: 20 });
  return page.evaluate(() => performance.now());
}

/** The gateway has been up a moment: it knows each site's last status. */
async function warmSiteList(stack: Stack) {
  const { cookie } = await signInForFetch(stack.gateway.url);
  const res = await fetch(`${stack.gateway.url}/api/sites`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`warmSiteList: HTTP ${res.status}`);
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
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
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
  beforeAll(async () => {
    ({ stack } = await startStackWithFault('b', { delayMs: 10_000 }));
    await warmSiteList(stack);
  });
  afterAll(async () => stack?.stop());

  it('lists A and C within 2 s, and B ends down after its 4 s timeout', async () => {
    const manifest = stack.hospitals.manifest;
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const elapsed = await timeToSitesAandC(page, stack, manifest);
    expect(elapsed).toBeLessThan(2000);
    const chip = page.locator('[data-site-status="site-b"]');
    await expect.poll(() => chip.getAttribute('data-state'), { timeout: 8_000 }).toBe('down');
    await expect.poll(() => chip.innerText()).toContain('did not answer within 4.0 s');
    await page.close();
  });
});

/** Opens a study from the timeline in a fresh page and waits for its first image. */
async function openStudy(stack: Stack, StudyInstanceUID: string): Promise<Page> {
  const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(launchUrl(stack, stack.hospitals.manifest));
  await page.locator(`[data-timeline-study="${StudyInstanceUID}"] button.study`).click();
  await page.locator(`[data-viewport-id="vp-1"][data-study-uid="${StudyInstanceUID}"][data-ready="true"]`).waitFor({ timeout: 60_000 });
  return page;
}

/** After a failure at site B, site A's current CT still opens and shows its first image cleanly. */
async function expectSiteAStillOpens(page: Page, stack: Stack) {
  const current = stack.hospitals.manifest.studies.find((s) => s.key === 'ct-current')!;
  await page.locator(`[data-timeline-study="${current.StudyInstanceUID}"] button.study`).click();
  const viewport = page.locator(`[data-viewport-id="vp-1"][data-study-uid="${current.StudyInstanceUID}"]`);
  await viewport.and(page.locator('[data-ready="true"]')).waitFor({ timeout: 60_000 });
  expect(await viewport.getAttribute('data-site-id')).toBe('site-a');
  expect(await viewport.locator('[role="alert"]').count()).toBe(0);
}

describe('site B is killed while its CT streams', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Frames 150 ms late, so the series is still streaming when the hospital goes away.
    ({ stack } = await startStackWithFault('b', { frameDelayMs: 150 }));
  });
  afterAll(async () => stack?.stop());

  it('keeps the slices it has, says how many could not be loaded from site B, and site A still opens', async () => {
    const manifest = stack.hospitals.manifest;
    const prior = manifest.studies.find((s) => s.key === 'ct-prior')!;
    const siteB = manifest.sites.find((s) => s.key === 'b')!;
    expect(prior.siteKey).toBe('b');
    const page = await openStudy(stack, prior.StudyInstanceUID);
    await stack.hospitals.stopSite('b');
    const viewport = page.locator('[data-viewport-id="vp-1"]');
    const warning = viewport.locator('.viewport-warning[role="alert"]');
    await expect.poll(() => warning.innerText().catch(() => ''), { timeout: 30_000 }).toMatch(new RegExp(`^\\d+ of \\d+ images could not be loaded from ${siteB.name}$`));
    const [failed, total] = (await warning.innerText()).match(/\d+/g)!.map(Number);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(total!);
    // Loading has ended (every slice loaded or failed); the slice on screen is still there.
    await expect.poll(() => viewport.locator('[role="progressbar"]').count(), { timeout: 30_000 }).toBe(0);
    expect(await viewport.getAttribute('data-ready')).toBe('true');
    expect(await viewport.getAttribute('data-site-id')).toBe(siteB.siteId);
    await expectSiteAStillOpens(page, stack);
    await page.close();
  });
});

describe('site B cuts frame answers off halfway', () => {
  let stack: Stack;
  beforeAll(async () => {
    ({ stack } = await startStackWithFault('b', { truncateFrames: true }));
  });
  afterAll(async () => stack?.stop());

  it('says in the viewport that the image could not be read, crashes nothing, and site A still opens', async () => {
    const manifest = stack.hospitals.manifest;
    const prior = manifest.studies.find((s) => s.key === 'ct-prior')!;
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(launchUrl(stack, manifest));
    await page.locator(`[data-timeline-study="${prior.StudyInstanceUID}"] button.study`).click();
    const viewport = page.locator(`[data-viewport-id="vp-1"][data-study-uid="${prior.StudyInstanceUID}"]`);
    await expect.poll(() => viewport.locator('.viewport-message.error[role="alert"]').innerText().catch(() => ''), { timeout: 30_000 }).not.toBe('');
    const message = await viewport.locator('.viewport-message.error[role="alert"]').innerText();
    // Never a blank canvas without a word: the reader is told the image failed, and where from.
    expect(message.length).toBeGreaterThan(10);
    expect(await viewport.getAttribute('data-ready')).toBe('false');
    expect(await viewport.getAttribute('data-site-id')).toBe('site-b');
    expect(errors).toEqual([]);
    await expectSiteAStillOpens(page, stack);
    await page.close();
  });
});

describe('site B answers frame requests with a well-formed 200 whose multipart body is garbage', () => {
  let stack: Stack;
  // Read by the proxy on every request: each step below sets the kind of garbage.
  const fault: Fault = {};
  beforeAll(async () => {
    ({ stack } = await startStackWithFault('b', fault));
  });
  afterAll(async () => stack?.stop());

  it('each kind (random bytes, native bytes labelled JPEG, no multipart framing) is an error in the viewport under site B, crashes nothing, and site A still opens', async () => {
    const manifest = stack.hospitals.manifest;
    const prior = manifest.studies.find((s) => s.key === 'ct-prior')!;
    const siteB = manifest.sites.find((s) => s.key === 'b')!;
    expect(prior.siteKey).toBe('b');
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const shown: Record<string, string> = {};
    for (const kind of ['random-bytes', 'mislabelled-syntax', 'no-boundary'] satisfies GarbageFrames[]) {
      fault.garbageFrames = kind;
      await page.goto(launchUrl(stack, manifest));
      await page.locator(`[data-timeline-study="${prior.StudyInstanceUID}"] button.study`).click();
      const viewport = page.locator(`[data-viewport-id="vp-1"][data-study-uid="${prior.StudyInstanceUID}"]`);
      const alert = viewport.locator('.viewport-message.error[role="alert"]');
      await expect.poll(() => alert.innerText().catch(() => ''), { timeout: 30_000, message: kind }).not.toBe('');
      shown[kind] = await alert.innerText();
      // The garbage never reaches the screen as an image, and the pane says which hospital it is from.
      expect(await viewport.getAttribute('data-ready'), kind).toBe('false');
      expect(await viewport.getAttribute('data-site-id'), kind).toBe(siteB.siteId);
      expect(await viewport.locator('.viewport-site').innerText(), kind).toContain(siteB.name);
    }
    console.log(`garbage multipart from ${siteB.name}:\n${Object.entries(shown).map(([kind, text]) => `  ${kind}: ${text}`).join('\n')}`);
    // Each says what was wrong with the answer in words, never a codec's bare exception number.
    expect(shown['random-bytes']).toMatch(/^The image could not be loaded: the site's answer holds [\d,]+ pixel values for a \d+×\d+ image$/);
    expect(shown['mislabelled-syntax']).toBe('The image could not be decoded: the site sent data that is not in the encoding it declared');
    expect(shown['no-boundary']).toBe("The image could not be loaded: the site's answer was malformed (no multipart mime header)");
    expect(errors).toEqual([]);
    fault.garbageFrames = undefined;
    await expectSiteAStillOpens(page, stack);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the gateway restarts during a session', () => {
  let stack: Stack;
  let restarted: Gateway | undefined;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await restarted?.close();
    await stack?.stop();
  });

  it('the viewer, loaded while it is down, says so in its pane and the timeline stays; once it is back, Try again opens the study with no reload', async () => {
    const manifest = stack.hospitals.manifest;
    const current = manifest.studies.find((s) => s.key === 'ct-current')!;
    const page = await stack.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(launchUrl(stack, manifest));
    const row = page.locator(`[data-timeline-study="${current.StudyInstanceUID}"] button.study`);
    await row.waitFor({ timeout: 15_000 });
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });

    const port = Number(new URL(stack.gateway.url).port);
    await stack.gateway.close();
    await row.click();
    const viewport = page.locator('[data-viewport-id="vp-1"]');
    await expect.poll(() => viewport.locator('[role="alert"]').first().innerText().catch(() => ''), { timeout: 20_000 }).toContain('the Crossview gateway did not answer');
    expect(await viewport.getAttribute('data-ready')).not.toBe('true');
    // The rest of the page stays: the timeline still lists the study.
    expect(await row.isVisible()).toBe(true);

    // Restarted as a deployment restarts: same config, same session key, so the user stays signed in.
    restarted = await startGateway({ config: stack.hospitals.config, port, staticDir: resolve('dist'), log: () => {}, env: TestSessionEnv });
    await viewport.getByRole('button', { name: 'Try again' }).click();
    await page.locator(`[data-viewport-id="vp-1"][data-study-uid="${current.StudyInstanceUID}"][data-ready="true"]`).waitFor({ timeout: 60_000 });
    expect(await viewport.locator('[role="alert"]').count()).toBe(0);
    expect(navigations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
