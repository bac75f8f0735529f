import { describe, expect, it } from 'vitest';
import { parseConfig } from '../contracts/index';
import { classifyProbe } from './siteStatus';

const parsed = parseConfig({ sites: [{ id: 'a', name: 'A', dicomweb: { url: 'http://127.0.0.1:1/dicom-web' }, patientIdIssuer: 'A', timeoutMs: 2000 }] });
if (!parsed.ok) throw new Error(parsed.errors.join());
const site = parsed.config.sites[0]!;
const now = new Date('2025-01-01T00:00:00Z');

describe('classifyProbe', () => {
  it('maps answers, refusals and timeouts to status-bar states', () => {
    expect(classifyProbe({ kind: 'answered', status: 200, latencyMs: 20 }, site, 1500, now).state).toBe('ok');
    expect(classifyProbe({ kind: 'answered', status: 204, latencyMs: 1600 }, site, 1500, now).state).toBe('slow');
    expect(classifyProbe({ kind: 'answered', status: 401, latencyMs: 5 }, site, 1500, now).state).toBe('unauthorised');
    expect(classifyProbe({ kind: 'answered', status: 500, latencyMs: 5 }, site, 1500, now)).toMatchObject({ state: 'error', message: 'HTTP 500' });
    expect(classifyProbe({ kind: 'refused', code: 'ECONNREFUSED', latencyMs: 1 }, site, 1500, now)).toMatchObject({ state: 'down', message: 'connection failed (ECONNREFUSED)' });
    expect(classifyProbe({ kind: 'timeout', latencyMs: 2000 }, site, 1500, now)).toMatchObject({ state: 'down', message: 'no answer within 2000 ms' });
  });
});

describe('site status board', () => {
  it('lists a site that has not answered by the slow threshold as slow, without waiting for its timeout', async () => {
    const { createServer } = await import('node:net');
    const http = await import('node:http');
    const https = await import('node:https');
    const { createSiteStatusBoard } = await import('./siteStatus');
    const silent = createServer(() => {}); // accepts connections, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const config = parseConfig({
      sites: [{ id: 'quiet', name: 'Quiet', dicomweb: { url: `http://127.0.0.1:${port}/dicom-web` }, patientIdIssuer: 'Q', timeoutMs: 5000 }],
      gateway: { slowThresholdMs: 150 },
    });
    if (!config.ok) throw new Error(config.errors.join());
    const agents = { http: new http.Agent(), https: new https.Agent() };
    const board = createSiteStatusBoard(config.config, agents, () => undefined);
    const started = Date.now();
    const list = await board.list();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(list.sites[0]?.status).toMatchObject({ state: 'slow', message: 'no answer yet after 150 ms' });
    expect(list.queryTimeoutMs).toBe(4000);
    // Later lists answer within a short grace with the last status while the probe is still out.
    const again = Date.now();
    expect((await board.list()).sites[0]?.status.state).toBe('slow');
    expect(Date.now() - again).toBeLessThan(600);
    agents.http.destroy();
    silent.close();
  });
});

describe('site list capabilities', () => {
  it('says which sites serve frames by byte range: folders always, DICOMweb servers when configured', async () => {
    const http = await import('node:http');
    const https = await import('node:https');
    const { createSiteStatusBoard } = await import('./siteStatus');
    const config = parseConfig({
      sites: [
        { id: 'folder', name: 'Folder', folder: { path: '/tmp/none' }, patientIdIssuer: 'F' },
        { id: 'plain', name: 'Plain', dicomweb: { url: 'http://127.0.0.1:1/dicom-web' }, patientIdIssuer: 'P' },
        { id: 'ranged', name: 'Ranged', dicomweb: { url: 'http://127.0.0.1:1/dicom-web', frameByteRanges: true }, patientIdIssuer: 'R' },
      ],
    });
    if (!config.ok) throw new Error(config.errors.join());
    const agents = { http: new http.Agent(), https: new https.Agent() };
    const ok = { state: 'ok' as const, checkedAt: now.toISOString() };
    const board = createSiteStatusBoard(config.config, agents, () => ok);
    const list = await board.list();
    expect(list.sites.map((s) => [s.id, s.frameByteRanges])).toEqual([
      ['folder', true],
      ['plain', false],
      ['ranged', true],
    ]);
    agents.http.destroy();
  });
});
