/**
 * OpenID Connect sign-in against a real provider (`oidc-provider` on loopback, PKCE required),
 * driven like a browser with fetch: redirects followed by hand, the provider's login and consent
 * forms submitted. The gateway's sites are folder sites (empty folders) so the test needs no PACS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type AuditEvent, type CrossviewConfig, type SessionInfo, type SignInOptions } from '../../contracts/index';
import { findFreePort } from '../../../e2e/hospitals/orthanc';
import { startOidcProvider, type TestOidcProvider } from '../../../e2e/support/oidcProvider';
import { startGateway, type Gateway } from '../index';

const Accounts = {
  'sub-jsmith': { preferred_username: 'jsmith', name: 'Dr Jo Smith', crossview_roles: ['clinician', 'surgeon'], crossview_sites: ['site-a', 'site-c'] },
  'sub-audit': { preferred_username: 'auditor', name: 'Audit Lead', crossview_roles: ['admin'], crossview_sites: '*' },
  'sub-nobody': { name: 'No Claims' },
};

let work: string;
let provider: TestOidcProvider;
let gateway: Gateway;

/** A cookie jar per origin, as a browser keeps one per site (paths ignored: enough here). */
class Jar {
  private readonly byOrigin = new Map<string, Map<string, string>>();
  header(url: string): string {
    return [...(this.byOrigin.get(new URL(url).origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(url: string, response: Response): void {
    const origin = new URL(url).origin;
    const cookies = this.byOrigin.get(origin) ?? new Map<string, string>();
    this.byOrigin.set(origin, cookies);
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) cookies.delete(name);
      else cookies.set(name, value);
    }
  }
  get(url: string, name: string): string | undefined {
    return this.byOrigin.get(new URL(url).origin)?.get(name);
  }
  drop(url: string, name: string): void {
    this.byOrigin.get(new URL(url).origin)?.delete(name);
  }
}

async function request(jar: Jar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) } });
  jar.take(url, response);
  return response;
}

/**
 * From the gateway's start link through the provider's login and consent pages, up to (not
 * including) the provider's redirect to the gateway callback, which is returned.
 */
async function throughProvider(jar: Jar, login: string, returnTo = '/'): Promise<URL> {
  let url = `${gateway.url}/api/session/oidc/start?returnTo=${encodeURIComponent(returnTo)}`;
  for (let step = 0; step < 20; step++) {
    if (url.startsWith(`${gateway.url}/api/session/oidc/callback`)) return new URL(url);
    const response = await request(jar, url);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).href;
      continue;
    }
    expect(response.status, url).toBe(200);
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`the provider showed a page without its form at ${url}`);
    const body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
    const submitted = await request(jar, new URL(action.replace(/&amp;/g, '&'), url).href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    url = new URL(submitted.headers.get('location') ?? '', url).href;
  }
  throw new Error('the provider never sent the browser back');
}

async function sessionOf(jar: Jar): Promise<{ status: number; body: SessionInfo & SignInOptions }> {
  const response = await request(jar, `${gateway.url}/api/session`);
  return { status: response.status, body: (await response.json()) as SessionInfo & SignInOptions };
}

/** The whole sign-in; returns the callback's answer. */
async function signIn(jar: Jar, login: string, returnTo = '/'): Promise<Response> {
  const callback = await throughProvider(jar, login, returnTo);
  return request(jar, callback.href);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cv-oidc-'));
  const port = await findFreePort();
  const redirectUri = `http://127.0.0.1:${port}/api/session/oidc/callback`;
  provider = await startOidcProvider({ redirectUri, accounts: Accounts });
  const folder = (id: string) => ({ id, name: `Hospital ${id}`, folder: { path: work }, patientIdIssuer: id.toUpperCase() });
  const parsed = parseConfig({
    sites: [folder('site-a'), folder('site-b'), folder('site-c')],
    indexer: { enabled: false },
    audit: { path: join(work, 'audit.jsonl') },
    auth: { mode: 'oidc', oidc: { issuer: provider.issuer, clientId: provider.clientId, redirectUri, scope: 'openid profile', displayName: 'Trust Login' } },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const config: CrossviewConfig = parsed.config;
  gateway = await startGateway({ config, port, staticDir: '/nonexistent', log: () => {}, env: { ...process.env, CROSSVIEW_SESSION_SECRET: 'an-oidc-test-session-secret-of-32-chars+' } });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await provider?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('signing in with OpenID Connect', () => {
  it('offers the provider on the sign-in page and refuses a password sign-in', async () => {
    const jar = new Jar();
    const { status, body } = await sessionOf(jar);
    expect(status).toBe(401);
    expect(body).toMatchObject({ mode: 'oidc', oidcStart: '/api/session/oidc/start', oidcProvider: 'Trust Login' });
    const password = await request(jar, `${gateway.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'jsmith', password: 'x' }) });
    expect(password.status).toBe(409);
    expect(password.headers.get('set-cookie')).toBeNull();
  });

  it('sends the browser to the provider with PKCE S256, state and nonce kept in a signed httpOnly cookie', async () => {
    const jar = new Jar();
    const start = await request(jar, `${gateway.url}/api/session/oidc/start?returnTo=%2Fpatient%3Fid%3D1`);
    expect(start.status).toBe(303);
    const target = new URL(start.headers.get('location')!);
    expect(target.origin).toBe(provider.issuer);
    expect(target.searchParams.get('code_challenge_method')).toBe('S256');
    expect(target.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(target.searchParams.get('state')!.length).toBeGreaterThan(20);
    expect(target.searchParams.get('nonce')!.length).toBeGreaterThan(20);
    expect(target.searchParams.get('response_type')).toBe('code');
    const flowCookie = start.headers.getSetCookie().find((c) => c.startsWith('cv_oidc='))!;
    expect(flowCookie).toMatch(/HttpOnly; SameSite=Lax; Max-Age=600$/);
    expect(flowCookie).toContain('Path=/api/session/oidc/callback');
    // The verifier is in the cookie, never in the URL the provider (or its logs) sees.
    expect(target.href).not.toContain(JSON.parse(Buffer.from(jar.get(gateway.url, 'cv_oidc')!.split('.')[0]!, 'base64url').toString()).v);
  });

  it("signs in through the provider's login and consent: the session carries the username, roles and sites from the claims", async () => {
    const jar = new Jar();
    const done = await signIn(jar, 'sub-jsmith', '/patient?id=1#top');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/patient?id=1#top');
    expect(done.headers.getSetCookie().find((c) => c.startsWith('cv_session='))).toMatch(/HttpOnly; SameSite=Strict/);
    expect(jar.get(gateway.url, 'cv_oidc')).toBeUndefined();
    const { status, body } = await sessionOf(jar);
    expect(status).toBe(200);
    // 'surgeon' is not a Crossview role: dropped, not trusted.
    expect(body).toMatchObject({ username: 'jsmith', displayName: 'Dr Jo Smith', roles: ['clinician'], sites: ['site-a', 'site-c'], mode: 'oidc' });
    const onA = await request(jar, `${gateway.url}/sites/site-a/dicom-web/studies`);
    expect(onA.status).toBe(200);
    const onB = await request(jar, `${gateway.url}/sites/site-b/dicom-web/studies`);
    expect(onB.status).toBe(403);
    const sites = (await (await request(jar, `${gateway.url}/api/sites`)).json()) as { sites: { id: string }[] };
    expect(sites.sites.map((s) => s.id).sort()).toEqual(['site-a', 'site-c']);
    // The same session is honoured for state-changing calls only with its CSRF token.
    const out = await request(jar, `${gateway.url}/api/session`, { method: 'DELETE' });
    expect(out.status).toBe(403);
  });

  it('gives an account without role or site claims the clinician role and no site', async () => {
    const jar = new Jar();
    expect((await signIn(jar, 'sub-nobody')).status).toBe(303);
    const { body } = await sessionOf(jar);
    // No preferred_username: the subject identifies the person.
    expect(body).toMatchObject({ username: 'sub-nobody', displayName: 'No Claims', roles: ['clinician'], sites: [] });
    expect((await request(jar, `${gateway.url}/sites/site-a/dicom-web/studies`)).status).toBe(403);
  });

  it('refuses a callback whose state was tampered with, says so on the sign-in page, and audits it', async () => {
    const jar = new Jar();
    const callback = await throughProvider(jar, 'sub-jsmith', '/timeline');
    callback.searchParams.set('state', `${callback.searchParams.get('state')!.slice(0, -3)}xyz`);
    const refused = await request(jar, callback.href);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/timeline');
    expect(jar.get(gateway.url, 'cv_session')).toBeUndefined();
    const first = await sessionOf(jar);
    expect(first.status).toBe(401);
    expect(first.body.oidcError).toMatch(/did not match/);
    // Said once: a reload shows the plain sign-in page.
    expect((await sessionOf(jar)).body.oidcError).toBeUndefined();

    const admin = new Jar();
    expect((await signIn(admin, 'sub-audit')).status).toBe(303);
    const lines = (await (await request(admin, `${gateway.url}/api/audit?action=sign-in-failed`)).json()) as { events: AuditEvent[] };
    expect(lines.events.some((e) => e.detail?.startsWith('oidc state'))).toBe(true);
    const signIns = (await (await request(admin, `${gateway.url}/api/audit?action=sign-in&user=jsmith`)).json()) as { events: AuditEvent[] };
    expect(signIns.events.length).toBeGreaterThan(0);
  });

  it('refuses a callback without the flow cookie (another browser, or an injected code)', async () => {
    const jar = new Jar();
    const callback = await throughProvider(jar, 'sub-audit');
    jar.drop(gateway.url, 'cv_oidc');
    const refused = await request(jar, callback.href);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe('/');
    expect(jar.get(gateway.url, 'cv_session')).toBeUndefined();
    expect((await sessionOf(jar)).body.oidcError).toMatch(/expired or was started in another browser/);
  });

  it('starts while the provider is down, and then says on the sign-in page that it cannot be reached', async () => {
    const closedPort = await findFreePort();
    const parsed = parseConfig({
      sites: [{ id: 'site-a', name: 'Hospital A', folder: { path: work }, patientIdIssuer: 'A' }],
      indexer: { enabled: false },
      audit: { path: join(work, 'audit-down.jsonl') },
      auth: { mode: 'oidc', oidc: { issuer: `http://127.0.0.1:${closedPort}`, clientId: 'crossview', redirectUri: 'http://127.0.0.1:9/api/session/oidc/callback' } },
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const lines: string[] = [];
    const down = await startGateway({ config: parsed.config, port: 0, staticDir: '/nonexistent', log: (line) => lines.push(line) });
    try {
      const jar = new Jar();
      const start = await fetch(`${down.url}/api/session/oidc/start?returnTo=%2Ftimeline`, { redirect: 'manual' });
      expect(start.status).toBe(303);
      expect(start.headers.get('location')).toBe('/timeline');
      jar.take(down.url, start);
      const session = await fetch(`${down.url}/api/session`, { headers: { cookie: jar.header(down.url) } });
      expect(session.status).toBe(401);
      expect(((await session.json()) as SignInOptions).oidcError).toMatch(/could not be reached/);
      expect(lines.some((line) => /OpenID provider .* not reachable yet|discovery failed/.test(line))).toBe(true);
    } finally {
      await down.close();
    }
  });

  it('goes back only to paths on this gateway (no open redirect)', async () => {
    for (const evil of ['https://evil.example/x', '//evil.example/x', '/\\evil.example', '/api/session']) {
      const jar = new Jar();
      const done = await signIn(jar, 'sub-jsmith', evil);
      expect(done.status, evil).toBe(303);
      expect(done.headers.get('location'), evil).toBe('/');
    }
  });
});
