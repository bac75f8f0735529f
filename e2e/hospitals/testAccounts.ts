/**
 * The people who sign in to the test gateway. Passwords live only here (test data); the gateway
 * config holds their scrypt hashes, as a hospital's would.
 */
import type { AuthConfig } from '../../src/contracts/index';
import { hashPassword } from '../../src/server/index';

export interface TestAccount {
  username: string;
  password: string;
  roles: ('clinician' | 'admin')[];
  sites: '*' | string[];
}

/** `reader`: every site, admin. `clinician`: a clinician who may not see site B. */
export const TestAccounts = {
  reader: { username: 'reader', password: 'reader-pass-7301', roles: ['clinician', 'admin'], sites: '*' },
  clinician: { username: 'clinician', password: 'clinician-pass-5519', roles: ['clinician'], sites: ['site-a', 'site-c'] },
} satisfies Record<string, TestAccount>;

/**
 * The test gateways' session key, as a deployment sets `CROSSVIEW_SESSION_SECRET`: a gateway
 * restarted with it keeps its users signed in.
 */
export const TestSessionEnv: NodeJS.ProcessEnv = { ...process.env, CROSSVIEW_SESSION_SECRET: 'crossview-test-session-secret-0123456789' };

let hashed: AuthConfig['accounts'] | undefined;

/** The `auth` section of a test gateway config (hashes made once per process: scrypt is slow on purpose). */
export function testAuthConfig(): AuthConfig {
  hashed ??= Object.values(TestAccounts).map((account) => ({
    username: account.username,
    passwordHash: hashPassword(account.password),
    roles: account.roles,
    sites: account.sites,
  }));
  return { mode: 'local', accounts: hashed, sessionMinutes: 60 };
}

/**
 * The same config with sign-in switched off, as on one person's own workstation (the gateway
 * listens on loopback only). For tests about proxying and serving, not about signing in.
 */
export function workstationConfig<T extends { auth?: unknown }>(config: T): T & { auth: AuthConfig } {
  return { ...config, auth: { mode: 'none', accounts: [], sessionMinutes: 60 } };
}

/** A session for server-side tests: the cookie header and the CSRF token to send back. */
export async function signInForFetch(gatewayUrl: string, account: TestAccount = TestAccounts.reader): Promise<{ cookie: string; csrfToken: string }> {
  const response = await fetch(`${gatewayUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  if (response.status !== 200) throw new Error(`signInForFetch: ${account.username} got HTTP ${response.status}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}
