/**
 * The whole product for a browser test: three real Orthanc hospitals with the demo patient,
 * the gateway in front of them serving the built app, and Debian's Chromium.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { CrossviewConfig } from '../../src/contracts/index';
import { startGateway, type Gateway } from '../../src/server/index';
import { startHospitals, type Hospitals } from '../hospitals/index';
import { launchChromium } from './browser';

export interface Stack {
  hospitals: Hospitals;
  gateway: Gateway;
  browser: Browser;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Adjust the gateway's config (e.g. route a site through a fault proxy) before it starts. */
  configure?: (config: CrossviewConfig, hospitals: Hospitals) => CrossviewConfig | Promise<CrossviewConfig>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const staticDir = resolve('dist');
  if (!existsSync(resolve(staticDir, 'index.html'))) throw new Error('startStack: dist/ is missing — run `npx vite build` first (npm test does)');
  const hospitals = await startHospitals();
  let gateway: Gateway | undefined;
  let browser: Browser | undefined;
  try {
    const config = options.configure ? await options.configure(hospitals.config, hospitals) : hospitals.config;
    gateway = await startGateway({ config, port: 0, staticDir });
    browser = await launchChromium();
  } catch (error) {
    await gateway?.close();
    await hospitals.stop();
    throw error;
  }
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
}

/** The IHE Invoke Image Display link an EHR would open for a patient by NHS number. */
export function patientLaunchUrl(gatewayUrl: string, nhsNumber: string): string {
  return `${gatewayUrl}/IHEInvokeImageDisplay?requestType=PATIENT&patientID=${encodeURIComponent(`${nhsNumber}^^^NHS`)}`;
}
