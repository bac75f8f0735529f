/**
 * What the harness reads from a page: Crossview's own performance marks, the JS heap after a
 * forced GC (CDP), the Cornerstone cache size, the WebGL renderer, the wheel scroll rate, and
 * what a click on a study hangs.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';

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
 * image index has moved, then the next. Every step must show another slice; at either end of the
 * series the wheel turns back (a series shorter than `slices`, or one hung mid-way, still gives
 * `slices` frames). Playwright's own wheel would add a DevTools round trip per step; this times
 * only the viewer (event → Cornerstone → React attribute).
 */
export async function wheelScrollRate(page: Page, slices: number, sliceCount: number): Promise<number> {
  await page.locator('[data-viewport-id="vp-1"] .cs-element').first().hover();
  const result = await page.evaluate(async ({ count, total }) => {
    const pane = document.querySelector('[data-viewport-id="vp-1"]');
    const element = pane?.querySelector('.cs-element');
    if (!pane || !element) return { error: 'no viewport element' };
    const box = element.getBoundingClientRect();
    const target = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) ?? element;
    // No named helpers in here: tsx would wrap them in a `__name` call the page does not have.
    let wheel = 1;
    // Which way the index goes for a positive wheel: learnt from the first step.
    let sense = 0;
    let moved = 0;
    const began = performance.now();
    for (let i = 0; i < count; i++) {
      const before = Number(pane.getAttribute('data-image-index'));
      const next = before + sense * wheel;
      if (sense !== 0 && (next < 0 || next > total - 1)) wheel = -wheel;
      target.dispatchEvent(new WheelEvent('wheel', { deltaY: 100 * wheel, deltaMode: 0, clientX: box.x + box.width / 2, clientY: box.y + box.height / 2, bubbles: true, cancelable: true }));
      const waitedFrom = performance.now();
      while (Number(pane.getAttribute('data-image-index')) === before) {
        if (performance.now() - waitedFrom > 5_000) return { error: `step ${i}: the slice index stayed at ${before} of ${total}` };
        await new Promise<number>((r) => requestAnimationFrame(r));
      }
      const step = Number(pane.getAttribute('data-image-index')) - before;
      if (sense === 0) sense = Math.sign(step) * wheel;
      moved += Math.abs(step);
    }
    return { ms: performance.now() - began, moved };
  }, { count: slices, total: sliceCount });
  if ('error' in result) throw new Error(`wheelScrollRate: ${result.error}`);
  if (result.moved !== slices) throw new Error(`wheelScrollRate: ${slices} wheel steps moved ${result.moved} slices`);
  return (slices / result.ms) * 1000;
}

export interface HungCell {
  viewportId: string;
  studyUid: string;
  seriesUid: string;
  role: string;
}

export interface Hanging {
  protocolId: string;
  stageIndex: number;
  /** Page clock (from navigation start) at the click event. */
  clickMs: number;
  /** Page clock at the first `cv:hanging-ready:` mark after the click. */
  readyMs: number;
  /** The filled cells of the hung stage, in viewport order. */
  cells: HungCell[];
}

/**
 * Clicks `target` (a study on the timeline) and waits for the first `cv:hanging-ready:<protocol>:<stage>`
 * mark made after the click (each hanging marks anew, often under the same name); then reads the
 * grid's filled cells. The click time is taken in the page, by a capturing listener, so both
 * times are on the page's clock and no DevTools round trip is counted.
 */
export async function clickAndWaitForHanging(page: Page, target: Locator, timeoutMs = 120_000): Promise<Hanging> {
  await page.evaluate(() => {
    const w = window as unknown as { benchClickAt?: number };
    w.benchClickAt = undefined;
    document.addEventListener('click', () => (w.benchClickAt = performance.now()), { capture: true, once: true });
  });
  await target.click();
  const handle = await page.waitForFunction(
    () => {
      const clickAt = (window as unknown as { benchClickAt?: number }).benchClickAt;
      if (clickAt === undefined) return undefined;
      const mark = performance.getEntriesByType('mark').find((m) => m.name.startsWith('cv:hanging-ready:') && m.startTime >= clickAt);
      return mark ? { name: mark.name, readyMs: mark.startTime, clickMs: clickAt } : undefined;
    },
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  const mark = (await handle.jsonValue())!;
  const [protocolId, stage] = [mark.name.slice('cv:hanging-ready:'.length, mark.name.lastIndexOf(':')), mark.name.slice(mark.name.lastIndexOf(':') + 1)];
  const cells = await page.evaluate(() =>
    [...document.querySelectorAll('section.viewer-grid .viewport[data-viewport-id]:not(.empty)')]
      .map((el) => ({
        viewportId: el.getAttribute('data-viewport-id') ?? '',
        studyUid: el.getAttribute('data-study-uid') ?? '',
        seriesUid: el.getAttribute('data-series-uid') ?? '',
        role: el.getAttribute('data-role') ?? '',
      }))
      .sort((a, b) => Number(a.viewportId.slice(3)) - Number(b.viewportId.slice(3))),
  );
  return { protocolId, stageIndex: Number(stage), clickMs: mark.clickMs, readyMs: mark.readyMs, cells };
}
