/**
 * The real stack the bench drives: three Orthanc hospitals holding the bench dataset (not the
 * demo), the gateway in front of them serving the built app, and Debian's Chromium. Each
 * hospital's first load goes through STOW-RS and is snapshotted under `.cache/bench/hospitals`
 * (the test harness's seeded storage cache), so later runs start from a copy.
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { startGateway, type Gateway } from '../src/server/index';
import { launchHospitals, type Hospitals } from '../e2e/hospitals/harness';
import { launchChromium } from '../e2e/support/browser';
import { CacheRoot, type BenchData } from './benchData';

export interface BenchStack {
  hospitals: Hospitals;
  gateway: Gateway;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startBenchStack(data: BenchData): Promise<BenchStack> {
  const staticDir = resolve('dist');
  if (!existsSync(resolve(staticDir, 'index.html'))) throw new Error('bench: dist/ is missing — run `npx vite build` first');
  const hospitals = await launchHospitals({
    manifest: data.manifest,
    demoDir: data.hospitalsDir,
    siteKeys: data.manifest.sites.map((s) => s.key),
    // The dataset's folder name carries its version and source digest: a new dataset, new snapshots.
    transferSyntax: basename(data.dir),
    cacheRoot: join(CacheRoot, 'hospitals'),
    siteFolder: async (site) => join(data.hospitalsDir, site.folder),
  });
  let gateway: Gateway | undefined;
  try {
    gateway = await startGateway({ config: hospitals.config, port: 0, staticDir });
    const browser = await launchChromium();
    const started = { gateway, browser };
    return {
      hospitals,
      ...started,
      async stop() {
        await started.browser.close().catch(() => {});
        await started.gateway.close().catch(() => {});
        await hospitals.stop();
      },
    };
  } catch (error) {
    await gateway?.close();
    await hospitals.stop();
    throw error;
  }
}
