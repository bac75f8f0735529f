/**
 * Debian's Chromium driven by playwright-core: never a downloaded browser. WebGL comes from
 * SwiftShader, so rendering tests see the same pixels on any machine, GPU or not.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

export const CHROMIUM_PATH = '/usr/lib/chromium/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`launchChromium: ${CHROMIUM_PATH} is missing — install Debian's chromium (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist',
    ],
  });
}

/** Mean RGB of a (2r+1)² block around a page point, from a real screenshot of what the user sees. */
export async function sampleScreen(page: Page, x: number, y: number, radius = 1): Promise<{ r: number; g: number; b: number }> {
  const size = radius * 2 + 1;
  const shot = await page.screenshot({ clip: { x: Math.round(x) - radius, y: Math.round(y) - radius, width: size, height: size } });
  const png = PNG.sync.read(shot);
  let r = 0;
  let g = 0;
  let b = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    r += png.data[i * 4]!;
    g += png.data[i * 4 + 1]!;
    b += png.data[i * 4 + 2]!;
  }
  return { r: r / n, g: g / n, b: b / n };
}

/** Collects page errors and failed requests so a failing test says what the browser saw. */
export function recordProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('requestfailed', (request) => problems.push(`requestfailed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  return problems;
}
