/**
 * One sign-in, every site it allows, nothing else: against the real test hospitals (Orthanc),
 * with site B behind a password the gateway holds. Issue #7's integration acceptance for sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type CrossviewConfig } from '../../contracts/index';
import { startHospitals, type Hospitals } from '../../../e2e/hospitals/index';
import { signInForFetch, TestAccounts } from '../../../e2e/hospitals/testAccounts';
import { startBasicAuthProxy, type BasicAuthProxy } from '../../../e2e/support/basicAuthProxy';
import { startGateway, type Gateway } from '../index';

const SiteBPassword = 'rdh-pacs-Secret-4417';
const Secret = 'a-shared-session-secret-of-at-least-32-chars';
let hospitals: Hospitals;
let proxyB: BasicAuthProxy;
let config: CrossviewConfig;
let gateway: Gateway;
let twin: Gateway;

function withSecret(secret: string): NodeJS.ProcessEnv {
  return { ...process.env, CROSSVIEW_SESSION_SECRET: secret };
}

beforeAll(async () => {
  hospitals = await startHospitals();
  const siteB = hospitals.sites.find((s) => s.key === 'b')!;
  proxyB = await startBasicAuthProxy(siteB.dicomwebUrl, { username: 'crossview', password: SiteBPassword });
  const parsed = parseConfig({
    ...hospitals.config,
    sites: hospitals.config.sites.map((s) =>
      s.id === siteB.siteId ? { ...s, dicomweb: { url: proxyB.dicomwebUrl }, auth: { type: 'basic', username: 'crossview', password: SiteBPassword } } : s,
    ),
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  config = parsed.config;
  gateway = await startGateway({ config, port: 0, staticDir: '/nonexistent', log: () => {}, env: withSecret(Secret) });
  twin = await startGateway({ config, port: 0, staticDir: '/nonexistent', log: () => {}, env: withSecret(Secret) });
}, 240_000);

afterAll(async () => {
  await twin?.close();
  await gateway?.close();
  await proxyB?.close();
  await hospitals?.stop();
});

const nhs = () => hospitals.manifest.patient.nhsNumber;

describe('signing in to the gateway', () => {
  it('answers 401 on every site and API path without a session, and 200 with one', async () => {
    const paths = [
      '/sites/site-a/dicom-web/studies',
      '/sites/site-b/dicom-web/studies',
      '/api/sites',
      `/api/patients?nationalId=${nhs()}`,
      '/api/hanging-protocols',
      '/api/audit',
      '/api/anything-else',
    ];
    for (const path of paths) {
      const res = await fetch(`${gateway.url}${path}`);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('Sign in first');
    }
    // A forged cookie is no session either.
    const forged = await fetch(`${gateway.url}/api/sites`, { headers: { cookie: 'cv_session=eyJ2IjoxfQ.AAAA' } });
    expect(forged.status).toBe(401);
    const { cookie } = await signInForFetch(gateway.url);
    const signedIn = await fetch(`${gateway.url}/sites/site-b/dicom-web/studies?PatientID=${encodeURIComponent('x')}`, { headers: { cookie } });
    expect(signedIn.status).toBe(200);
  });

  it('sets an httpOnly SameSite=Strict cookie, and signing out clears it', async () => {
    const res = await fetch(`${gateway.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: TestAccounts.reader.username, password: TestAccounts.reader.password }),
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^cv_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const out = await fetch(`${gateway.url}/api/session`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^cv_session=; .*Max-Age=0/);
  });

  it('gives a clinician without site B a 403 on B, and lists neither B nor its studies', async () => {
    const { cookie } = await signInForFetch(gateway.url, TestAccounts.clinician);
    const onB = await fetch(`${gateway.url}/sites/site-b/dicom-web/studies`, { headers: { cookie } });
    expect(onB.status).toBe(403);
    expect(await onB.json()).toMatchObject({ siteId: 'site-b', error: 'Your account may not see this site' });
    const onA = await fetch(`${gateway.url}/sites/site-a/dicom-web/studies?PatientID=none`, { headers: { cookie } });
    expect(onA.status).toBe(200);
    const sites = (await (await fetch(`${gateway.url}/api/sites`, { headers: { cookie } })).json()) as { sites: { id: string }[] };
    expect(sites.sites.map((s) => s.id).sort()).toEqual(['site-a', 'site-c']);
    // The patient index knows B's studies (the reader sees them) but does not tell this clinician.
    await gateway.runIndexerOnce();
    const entriesFor = async (who: string) =>
      ((await (await fetch(`${gateway.url}/api/patients?nationalId=${nhs()}`, { headers: { cookie: who } })).json()) as { entries: { siteId: string }[] }).entries;
    const reader = await signInForFetch(gateway.url);
    expect((await entriesFor(reader.cookie)).some((e) => e.siteId === 'site-b')).toBe(true);
    const clinicianEntries = await entriesFor(cookie);
    expect(clinicianEntries.length).toBeGreaterThan(0);
    expect(clinicianEntries.some((e) => e.siteId === 'site-b')).toBe(false);
  });

  it('refuses a state-changing request without the CSRF token (403) and stores nothing', async () => {
    const { cookie, csrfToken } = await signInForFetch(gateway.url);
    const siteA = hospitals.sites.find((s) => s.key === 'a')!;
    const count = async () => ((await (await fetch(`${siteA.dicomwebUrl.replace(/\/dicom-web$/, '')}/statistics`)).json()) as { CountInstances: number }).CountInstances;
    const before = await count();
    const stow = (headers: Record<string, string>) =>
      fetch(`${gateway.url}/sites/site-a/dicom-web/studies`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'multipart/related; type="application/dicom"; boundary=x', origin: 'https://elsewhere.example', ...headers },
        body: '--x\r\nContent-Type: application/dicom\r\n\r\nnot dicom\r\n--x--\r\n',
      });
    const forged = await stow({});
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: string }).error).toMatch(/CSRF/);
    const wrong = await stow({ 'x-csrf-token': `${csrfToken.slice(0, -2)}xx` });
    expect(wrong.status).toBe(403);
    // With the token the request reaches the hospital, which judges the (bad) body itself.
    const withToken = await stow({ 'x-csrf-token': csrfToken });
    expect([401, 403]).not.toContain(withToken.status);
    expect(await count()).toBe(before);
  });

  it('throttles ten wrong passwords: later attempts get 429 with Retry-After, even the right password', async () => {
    const attempt = (password: string) =>
      fetch(`${gateway.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: TestAccounts.clinician.username, password }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt(`wrong-${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429, 429, 429]);
    const right = await attempt(TestAccounts.clinician.password);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(60);
    // Another account is not locked out by this one's failures.
    expect((await signInForFetch(gateway.url)).cookie).toMatch(/^cv_session=/);
  });

  it('refuses a sign-in that is not JSON (no form-post login from another site)', async () => {
    const res = await fetch(`${gateway.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=${TestAccounts.reader.username}&password=${TestAccounts.reader.password}`,
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it("accepts a session made on one gateway instance on another with the same secret, not on one with another secret", async () => {
    const { cookie } = await signInForFetch(gateway.url);
    expect((await fetch(`${twin.url}/api/sites`, { headers: { cookie } })).status).toBe(200);
    const stranger = await startGateway({ config, port: 0, staticDir: '/nonexistent', log: () => {}, env: withSecret('another-secret-of-at-least-32-characters') });
    try {
      expect((await fetch(`${stranger.url}/api/sites`, { headers: { cookie } })).status).toBe(401);
    } finally {
      await stranger.close();
    }
  });

  it("never sends site B's password back: not in any answer, while B's studies come through with it", async () => {
    const { cookie } = await signInForFetch(gateway.url);
    const encoded = Buffer.from(`crossview:${SiteBPassword}`).toString('base64');
    const refusedBefore = proxyB.refused();
    const answers: string[] = [];
    for (const path of ['/api/sites', '/api/session', `/api/patients?nationalId=${nhs()}`, `/sites/site-b/dicom-web/studies?PatientID=${encodeURIComponent(hospitals.manifest.sites.find((s) => s.key === 'b')!.issuer)}`, '/sites/site-b/dicom-web/studies']) {
      const res = await fetch(`${gateway.url}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(200);
      answers.push(JSON.stringify([...res.headers]), await res.text());
    }
    const studiesAtB = JSON.parse(answers[answers.length - 1]!) as unknown[];
    expect(studiesAtB.length).toBeGreaterThan(0);
    expect(proxyB.refused()).toBe(refusedBefore);
    for (const text of answers) {
      expect(text).not.toContain(SiteBPassword);
      expect(text).not.toContain(encoded);
    }
  });

  it('refuses to start with sign-in off on a network address', async () => {
    await expect(startGateway({ config: { ...config, auth: { mode: 'none', accounts: [], sessionMinutes: 60 } }, port: 0, host: '0.0.0.0', log: () => {} })).rejects.toThrow(
      /only while the gateway listens on loopback/,
    );
  });
});
