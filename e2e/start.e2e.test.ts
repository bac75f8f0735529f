/**
 * `npm start` with no configuration and no Orthanc: the gateway serves the embedded demo from
 * local folders, prints the link that opens the demo patient, and that link shows every hospital's
 * studies and the CT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, recordProblems } from './support/browser';
import { ensureDemoData } from '../src/demo/index';
import type { DemoManifest } from '../src/demo/manifest';

let server: ChildProcess;
let launchUrl: string;
let browser: Browser;
let manifest: DemoManifest;
const output: string[] = [];

beforeAll(async () => {
  manifest = (await ensureDemoData()).manifest;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
  delete env.CROSSVIEW_CONFIG;
  server = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  launchUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 120 s:\n${output.join('')}`)), 120_000);
    const read = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /Crossview is running at (\S+)/.exec(output.join(''));
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout?.on('data', read);
    server.stderr?.on('data', read);
    server.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output.join('')}`)));
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
});

describe('npm start: embedded demo without Orthanc', () => {
  it('prints the demo patient link, and it shows studies from all three simulated hospitals and the CT', async () => {
    expect(launchUrl).toContain(`patientID=${manifest.patient.nhsNumber}^^^NHS`);
    expect(output.join('')).toContain('embedded demo');
    expect(output.join('')).toContain('Demo sign-in: username "demo", password "demo"');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = recordProblems(page);
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 401) refused.push(`${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(launchUrl);
    // The demo's sign-in page names its one account; a wrong password is refused, then demo/demo opens the launch link.
    const hint = page.locator('[data-demo-account]');
    await hint.waitFor({ timeout: 20_000 });
    expect(await hint.innerText()).toMatch(/username demo, password demo/);
    await page.fill('input[name="username"]', 'demo');
    await page.fill('input[name="password"]', 'not-the-password');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.locator('[data-sign-in-error]').textContent(), { timeout: 10_000 }).toContain('Wrong username or password');
    await page.fill('input[name="password"]', 'demo');
    await page.click('button[type="submit"]');
    for (const study of manifest.studies.filter((s) => s.person === 'patient' && !s.identityForm)) {
      const site = manifest.sites.find((s) => s.key === study.siteKey)!;
      const row = page.locator(`[data-timeline-study="${study.StudyInstanceUID}"]`);
      await row.waitFor({ timeout: 20_000 });
      expect(await row.getAttribute('data-site-id')).toBe(site.siteId);
    }
    const ct = manifest.studies.find((s) => s.key === 'ct-current')!;
    await page.locator(`[data-timeline-study="${ct.StudyInstanceUID}"] button.study`).click();
    const viewport = page.locator('[data-viewport-id="vp-1"][data-ready="true"]');
    await viewport.waitFor({ timeout: 60_000 });
    expect(await viewport.getAttribute('data-site-id')).toBe('site-a');
    await expect.poll(() => page.locator('[data-viewport-id="vp-1"] .corner.bottomLeft').innerText()).toMatch(/Im \d+\/220/);
    // The only refusals come before sign-in (who is signed in, the site list asked for beside it,
    // the wrong password), never a site's.
    expect(refused).toContain('POST /api/session');
    expect(refused.filter((r) => !['GET /api/session', 'POST /api/session', 'GET /api/sites'].includes(r))).toEqual([]);
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await page.close();
  });
});
