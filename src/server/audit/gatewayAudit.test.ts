/**
 * The gateway's audit lines over real HTTP responses (a loopback server answers as a site would;
 * the lines go to an in-memory sink through the real audit log).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent, AuditQuery, AuditResponse } from '../../contracts/index';
import { createAuditLog } from './auditLog';
import { createGatewayAudit, type AuditActor, type GatewayAudit } from './gatewayAudit';
import type { AuditSink } from './sink';

const StudyUid = '1.2.826.0.1.1';
const SrUid = '1.2.826.0.1.9';
const json = (fields: Record<string, unknown[]>) => Object.fromEntries(Object.entries(fields).map(([tag, Value]) => [tag, { vr: 'LO', Value }]));
const studies = [json({ '0020000D': [StudyUid], '00100020': ['A-7734'], '00101000': ['9990764875'] })];
const ctMetadata = [json({ '0020000D': [StudyUid], '00100020': ['A-7734'], '00080016': ['1.2.840.10008.5.1.4.1.1.2'], '00080018': ['5.1'] })];
const srMetadata = [json({ '0020000D': [StudyUid], '00100020': ['A-7734'], '00080016': ['1.2.840.10008.5.1.4.1.1.88.33'], '00080018': [SrUid] })];

const written: AuditEvent[] = [];
const memorySink: AuditSink = {
  kind: 'file',
  append: (event) => {
    written.push(event);
    return Promise.resolve();
  },
  probe: () => Promise.resolve(),
  query: (_query: AuditQuery): Promise<AuditResponse> => Promise.resolve({ events: [], truncated: false }),
  close: () => Promise.resolve(),
};

let server: http.Server;
let base: string;
let audit: GatewayAudit;
const actors: Record<string, AuditActor> = {
  one: { username: 'reader', sessionId: 's1', roles: ['admin'], kind: 'user' },
  two: { username: 'reader', sessionId: 's2', roles: ['admin'], kind: 'user' },
  gateway: { username: 'gateway', sessionId: 'g', roles: ['admin'], kind: 'internal' },
};

beforeAll(async () => {
  audit = createGatewayAudit(createAuditLog(memorySink, { log: () => undefined, gatewayId: 'gw-unit' }));
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const subPath = url.pathname.replace(/^\/site-a\//, '');
    audit.observeSiteRequest(res, actors[req.headers['x-actor'] as string]!, { method: req.method, siteId: 'site-a', subPath, search: url.search });
    if (subPath.endsWith('/frames/1')) {
      res.writeHead(200, { 'content-type': 'multipart/related' }).end('pixels');
      return;
    }
    const body = subPath === 'studies' ? studies : subPath.includes(SrUid) || subPath.includes('series/9') ? srMetadata : subPath === `studies/${StudyUid}/series/404/metadata` ? undefined : ctMetadata;
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/dicom+json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/site-a`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  written.length = 0;
});

async function get(actor: keyof typeof actors, path: string): Promise<void> {
  await (await fetch(`${base}/${path}`, { headers: { 'x-actor': actor } })).arrayBuffer();
}
const settled = (count: number) => vi.waitFor(() => expect(written).toHaveLength(count), { timeout: 2000, interval: 10 });
const brief = (e: AuditEvent) => [e.action, e.studyUid, e.patientIds.join(' '), e.outcome];

describe('gateway audit lines', () => {
  it('writes a search per request with the patient it found, and one line per study per session for its frames', async () => {
    await get('one', 'studies?PatientID=A-7734');
    await settled(1);
    for (let i = 0; i < 20; i++) await get('one', `studies/${StudyUid}/series/1.1/instances/5.${i}/frames/1`);
    await get('one', 'studies?PatientID=A-7734');
    await get('two', `studies/${StudyUid}/series/1.1/instances/5.0/frames/1`);
    await settled(4);
    // Give any stray per-frame line the chance to appear before counting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(written.map(brief)).toEqual([
      ['search', null, 'A-7734 9990764875', 'ok'],
      ['retrieve', StudyUid, 'A-7734 9990764875', 'ok'],
      ['search', null, 'A-7734 9990764875', 'ok'],
      ['retrieve', StudyUid, 'A-7734 9990764875', 'ok'],
    ]);
    expect(written.map((e) => [e.user, e.site, e.gateway])).toEqual(Array(4).fill(['reader', 'site-a', 'gw-unit']));
  });

  it('calls series metadata a study open, and an SR\'s metadata or bulk data a report view', async () => {
    await get('one', `studies/${StudyUid}/series`);
    await get('one', `studies/${StudyUid}/series/1.1/metadata`);
    await get('one', `studies/${StudyUid}/series/1.2/metadata`);
    await get('one', `studies/${StudyUid}/series/9/instances/${SrUid}/metadata`);
    await get('one', `studies/${StudyUid}/series/9/instances/${SrUid}/bulk/00420011`);
    await settled(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(written.map(brief)).toEqual([
      ['study-open', StudyUid, 'A-7734 9990764875', 'ok'],
      ['report-view', StudyUid, 'A-7734 9990764875', 'ok'],
    ]);
  });

  it('writes a failed line apart from the successful one, and nothing for the gateway\'s own requests', async () => {
    await get('gateway', `studies/${StudyUid}/series/1.1/metadata`);
    await get('one', `studies/${StudyUid}/series/404/metadata`);
    await settled(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(written.map(brief)).toEqual([['study-open', StudyUid, 'A-7734 9990764875', 'failed']]);
    expect(written[0]!.detail).toBe('HTTP 404');
  });

  it('names the patient of frames from a study this instance never saw opened, from the patient index', async () => {
    const unseen = '1.2.826.0.1.77';
    const lookedUp: string[] = [];
    const fresh = createGatewayAudit(createAuditLog(memorySink, { log: () => undefined, gatewayId: 'gw-two' }), undefined, async (siteId, studyUid) => {
      lookedUp.push(`${siteId} ${studyUid}`);
      return studyUid === unseen ? ['B-1234', '9990764875'] : [];
    });
    const local = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      fresh.observeSiteRequest(res, actors.one!, { method: req.method, siteId: 'site-b', subPath: url.pathname.slice(1), search: url.search });
      res.writeHead(200, { 'content-type': 'multipart/related' }).end('pixels');
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const at = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
      await (await fetch(`${at}/studies/${unseen}/series/1/instances/2/frames/1`)).arrayBuffer();
      await settled(1);
      expect(written.map(brief)).toEqual([['retrieve', unseen, 'B-1234 9990764875', 'ok']]);
      expect(lookedUp).toEqual([`site-b ${unseen}`]);
    } finally {
      local.closeAllConnections();
      await new Promise((resolve) => local.close(resolve));
    }
  });
});
