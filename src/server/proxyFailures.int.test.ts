/**
 * A hospital that is off or hung must cost the user one clear message, not a frozen screen:
 * the gateway answers 502/504 naming the site within the site's timeout.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type CrossviewConfig } from '../contracts/index';
import { startGateway, type Gateway } from './index';

let closedPort: number;
let silent: net.Server;
let silentPort: number;
const silentSockets = new Set<net.Socket>();
let gateway: Gateway;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  closedPort = await freePort();
  // Accepts connections and never answers: a hung PACS.
  silent = net.createServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as net.AddressInfo).port;
  const parsed = parseConfig({
    // Sign-in switched off, as on one person's workstation: these tests are about serving, not signing in.
    auth: { mode: 'none' },
    sites: [
      { id: 'off', name: 'Switched-off Hospital', dicomweb: { url: `http://127.0.0.1:${closedPort}/dicom-web` }, patientIdIssuer: 'OFF', timeoutMs: 2000 },
      { id: 'hung', name: 'Hung Hospital', dicomweb: { url: `http://127.0.0.1:${silentPort}/dicom-web` }, patientIdIssuer: 'HUNG', timeoutMs: 800 },
    ],
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const config: CrossviewConfig = parsed.config;
  gateway = await startGateway({ config, port: 0, log: () => {}, staticDir: '/nonexistent/crossview-dist' });
});

afterAll(async () => {
  await gateway.close();
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('gateway failures', () => {
  it('a STOW to a site that refuses answers 502 each time, and its unread body never hangs the next request on the connection', async () => {
    const { csrfToken } = (await (await fetch(`${gateway.url}/api/session`)).json()) as { csrfToken: string };
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${gateway.url}/sites/off/dicom-web/studies`, {
        method: 'POST',
        headers: { 'content-type': 'application/dicom', 'x-csrf-token': csrfToken },
        body: new Uint8Array(2_000_000),
        signal: AbortSignal.timeout(3000),
      });
      expect(res.status, `attempt ${i + 1}`).toBe(502);
      await res.arrayBuffer();
    }
  });

  it('a site that refuses connections gives 502 with the site named, within the timeout', async () => {
    const started = Date.now();
    const res = await fetch(`${gateway.url}/sites/off/dicom-web/studies?PatientID=1`);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ siteId: 'off', siteName: 'Switched-off Hospital', error: expect.stringContaining('refused') });
    expect(elapsed).toBeLessThan(2000);
  });

  it('a site that accepts but never answers gives 504 with the site named, within timeoutMs plus slack', async () => {
    const started = Date.now();
    const res = await fetch(`${gateway.url}/sites/hung/dicom-web/studies`);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ error: 'Hung Hospital did not answer within 800 ms', siteId: 'hung', siteName: 'Hung Hospital' });
    expect(elapsed).toBeGreaterThanOrEqual(750);
    expect(elapsed).toBeLessThan(800 + 700);
  });

  it('an unknown site is a 404 naming the id', async () => {
    const res = await fetch(`${gateway.url}/sites/nowhere/dicom-web/studies`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Unknown site', siteId: 'nowhere' });
  });

  it('/api/sites reports both as down without one delaying the list past the slowest timeout', async () => {
    const started = Date.now();
    const res = await fetch(`${gateway.url}/api/sites`);
    const body = (await res.json()) as { sites: { id: string; status: { state: string; message?: string } }[] };
    expect(Date.now() - started).toBeLessThan(2000 + 700);
    expect(body.sites.map((s) => [s.id, s.status.state])).toEqual([['off', 'down'], ['hung', 'down']]);
    expect(body.sites[1]?.status.message).toBe('no answer within 800 ms');
  });

  it('says clearly that the app is not built when there is no dist folder', async () => {
    const res = await fetch(`${gateway.url}/IHEInvokeImageDisplay?requestType=PATIENT`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/run `npm run build`/);
  });
});
