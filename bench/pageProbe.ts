/**
 * What the harness reads from a page: Crossview's own performance marks, the JS heap after a
 * forced GC (CDP), the Cornerstone cache size, the WebGL renderer, and the wheel scroll rate.
 */
import type { BrowserContext, Page } from 'playwright-core';

export async function markTime(page: Page, name: string, timeoutMs = 120_000): Promise<number> {
  await page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { timeout: timeoutMs, polling: 50 });
  return page.evaluate((n) => performance.getEntriesByName(n)[0]!.startTime, name);
}

/** Used JS heap in bytes after a full garbage collection, from the DevTools protocol. */
export async function heapAfterGc(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    return usage.usedSize;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

export async function cacheBytes(page: Page): Promise<number> {
  return page.evaluate(() => window.crossview?.cacheBytes() ?? NaN);
}

/** The WebGL renderer string Chromium reports (SwiftShader when there is no GPU). */
export async function webglRenderer(page: Page): Promise<string> {
  return page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
    if (!gl) return 'no WebGL';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  });
}

/**
 * Frames per second over `slices` wheel steps on viewport vp-1 of a loaded series, measured in the
 * page: a wheel event on the viewport's element, then (each animation frame) wait until the shown
 * image index has moved, then the next. Playwright's own wheel would add a DevTools round trip
 * per step; this times only the viewer (event → Cornerstone → React attribute).
 */
export async function wheelScrollRate(page: Page, slices: number): Promise<number> {
  await page.locator('.cs-element').first().hover();
  const result = await page.evaluate(async (count) => {
    const pane = document.querySelector('[data-viewport-id="vp-1"]');
    const element = pane?.querySelector('.cs-element');
    if (!pane || !element) return { error: 'no viewport element' };
    const box = element.getBoundingClientRect();
    const target = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) ?? element;
    // No named helpers in here: tsx would wrap them in a `__name` call the page does not have.
    const start = Number(pane.getAttribute('data-image-index'));
    const began = performance.now();
    for (let i = 0; i < count; i++) {
      const before = Number(pane.getAttribute('data-image-index'));
      target.dispatchEvent(new WheelEvent('wheel', { deltaY: 100, deltaMode: 0, clientX: box.x + box.width / 2, clientY: box.y + box.height / 2, bubbles: true, cancelable: true }));
      const waitedFrom = performance.now();
      while (Number(pane.getAttribute('data-image-index')) === before) {
        if (performance.now() - waitedFrom > 5_000) return { error: `step ${i}: the slice index stayed at ${before}` };
        await new Promise<number>((r) => requestAnimationFrame(r));
      }
    }
    return { ms: performance.now() - began, moved: Math.abs(Number(pane.getAttribute('data-image-index')) - start) };
  }, slices);
  if ('error' in result) throw new Error(`wheelScrollRate: ${result.error}`);
  if (result.moved < slices) throw new Error(`wheelScrollRate: ${slices} wheel steps moved ${result.moved} slices`);
  return (slices / result.ms) * 1000;
}
