/**
 * The whole product for a browser test: three real Orthanc hospitals with the demo patient,
 * the gateway in front of them serving the built app, and Debian's Chromium.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { CrossviewConfig } from '../../src/contracts/index';
import { startGateway, type Gateway } from '../../src/server/index';
import { startHospitals, type Hospitals } from '../hospitals/index';
import { launchChromium } from './browser';
import { startFaultProxy, type Fault, type FaultProxy } from './faultProxy';
import { signedInPage } from './signIn';
import { TestSessionEnv, type TestAccount } from '../hospitals/testAccounts';

export interface Stack {
  hospitals: Hospitals;
  gateway: Gateway;
  browser: Browser;
  /** A page signed in (default: the `reader` test account, every site) in its own context. */
  newPage(options?: BrowserContextOptions, account?: TestAccount): Promise<Page>;
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
    gateway = await startGateway({ config, port: 0, staticDir, env: TestSessionEnv });
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
    newPage: (pageOptions, account) => signedInPage(started.browser, started.gateway.url, pageOptions, account),
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

/**
 * The stack with one hospital reached through a misbehaving proxy (see faultProxy.ts); stopping
 * the stack closes the proxy too.
 */
export async function startStackWithFault(siteKey: string, fault: Fault): Promise<{ stack: Stack; proxy: FaultProxy }> {
  let proxy: FaultProxy | undefined;
  const stack = await startStack({
    configure: async (config, hospitals) => {
      const site = hospitals.sites.find((s) => s.key === siteKey);
      if (!site) throw new Error(`startStackWithFault: no test hospital "${siteKey}"`);
      proxy = await startFaultProxy(site.dicomwebUrl, fault);
      const url = proxy.dicomwebUrl;
      return { ...config, sites: config.sites.map((s) => (s.id === site.siteId ? { ...s, dicomweb: { url } } : s)) };
    },
  }).catch(async (error: unknown) => {
    await proxy?.close();
    throw error;
  });
  const behind = proxy!;
  const stop = async () => {
    await stack.stop();
    await behind.close();
  };
  return { stack: { ...stack, stop }, proxy: behind };
}
