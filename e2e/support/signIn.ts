/**
 * Browser tests sign in the way the app does — `POST /api/session` from the page's own context —
 * so every page of that context carries the session cookie, as after a real sign-in.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { TestAccounts, type TestAccount } from '../hospitals/testAccounts';

export async function signIn(context: BrowserContext, gatewayUrl: string, account: TestAccount = TestAccounts.reader): Promise<void> {
  const response = await context.request.post(`${gatewayUrl}/api/session`, {
    data: { username: account.username, password: account.password },
    headers: { 'content-type': 'application/json' },
  });
  if (response.status() !== 200) throw new Error(`signIn: ${account.username} got HTTP ${response.status()}: ${await response.text()}`);
}

/** A page in a fresh context signed in as `account`; closing the page closes its context. */
export async function signedInPage(
  browser: Browser,
  gatewayUrl: string,
  options: BrowserContextOptions = {},
  account: TestAccount = TestAccounts.reader,
): Promise<Page> {
  const context = await browser.newContext(options);
  await signIn(context, gatewayUrl, account);
  const page = await context.newPage();
  page.once('close', () => void context.close().catch(() => {}));
  return page;
}
