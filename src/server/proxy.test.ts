/**
 * What the proxy promises at the HTTP level, against a plain loopback HTTP server standing in
 * for the hospital (the DICOMweb behaviour itself is tested against real Orthanc).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../contracts/index';
import { startGateway, type Gateway } from './index';

let upstream: http.Server;
let upstreamBase: string;
let gateway: Gateway;
let lastRequest: { url: string; headers: http.IncomingHttpHeaders; body: string } | undefined;
const logLines: string[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      lastRequest = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      const self = `http://${req.headers.host}/dicom-web`;
      if (req.url?.startsWith('/dicom-web/json-gzip')) {
        const body = gzipSync(JSON.stringify([{ '00081190': { vr: 'UR', Value: [`${self}/studies/1`] } }]));
        res.writeHead(200, { 'content-type': 'application/dicom+json', 'content-encoding': 'gzip', 'content-length': body.length });
        res.end(body);
      } else if (req.url?.startsWith('/dicom-web/range')) {
        res.writeHead(206, { 'content-type': 'application/octet-stream', 'content-range': 'bytes 2-5/10', connection: 'close', 'x-site': 'kept', 'content-location': `${self}/range` });
        res.end('2345');
      } else if (req.url?.startsWith('/dicom-web/stall')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write('first bytes'); // and then nothing
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamBase = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/dicom-web`;
  const parsed = parseConfig({
    // Sign-in switched off (workstation mode): these tests are about proxying.
    auth: { mode: 'none' },
    sites: [
      { id: 'secure', name: 'Secure PACS', dicomweb: { url: upstreamBase }, patientIdIssuer: 'S', auth: { type: 'basic', username: 'svc', password: 's3cret' }, timeoutMs: 600 },
    ],
  });
  if (!parsed.ok) throw new Error(parsed.errors.join());
  gateway = await startGateway({ config: parsed.config, port: 0, log: (line) => logLines.push(line), logRequests: 'all', staticDir: '/nonexistent' });
});

afterAll(async () => {
  await gateway.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('DICOMweb proxy', () => {
  it('adds the site credentials and drops the browser\'s own authorization and cookies', async () => {
    await fetch(`${gateway.url}/sites/secure/dicom-web/studies?PatientID=123`, { headers: { authorization: 'Bearer browser', cookie: 'sid=1', accept: 'application/dicom+json' } });
    expect(lastRequest?.url).toBe('/dicom-web/studies?PatientID=123');
    expect(lastRequest?.headers.authorization).toBe(`Basic ${Buffer.from('svc:s3cret').toString('base64')}`);
    expect(lastRequest?.headers.cookie).toBeUndefined();
    expect(lastRequest?.headers.accept).toBe('application/dicom+json');
  });

  it('passes Range through and the 206 answer back, minus hop-by-hop headers', async () => {
    const res = await fetch(`${gateway.url}/sites/secure/dicom-web/range`, { headers: { range: 'bytes=2-5' } });
    expect(lastRequest?.headers.range).toBe('bytes=2-5');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(res.headers.get('x-site')).toBe('kept');
    expect(res.headers.get('connection')).not.toBe('close');
    expect(res.headers.get('content-location')).toBe(`${gateway.url}/sites/secure/dicom-web/range`);
    expect(await res.text()).toBe('2345');
  });

  it('streams a request body (STOW-RS) to the site, without the CSRF token', async () => {
    // Even with sign-in off, a state-changing request must echo the token the page was given.
    const { csrfToken } = (await (await fetch(`${gateway.url}/api/session`)).json()) as { csrfToken: string };
    await fetch(`${gateway.url}/sites/secure/dicom-web/studies`, {
      method: 'POST',
      body: 'multipart body',
      headers: { 'content-type': 'multipart/related; type="application/dicom"', 'x-csrf-token': csrfToken },
    });
    expect(lastRequest?.body).toBe('multipart body');
    expect(lastRequest?.headers['content-type']).toBe('multipart/related; type="application/dicom"');
    expect(lastRequest?.headers['x-csrf-token']).toBeUndefined();
  });

  it('rewrites the site\'s own URLs in gzipped DICOM JSON to point through the gateway', async () => {
    const res = await fetch(`${gateway.url}/sites/secure/dicom-web/json-gzip`);
    expect(await res.json()).toEqual([{ '00081190': { vr: 'UR', Value: [`${gateway.url}/sites/secure/dicom-web/studies/1`] } }]);
  });

  it('aborts a body that stalls for longer than the site timeout', async () => {
    const res = await fetch(`${gateway.url}/sites/secure/dicom-web/stall`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('logs method, site, status and duration but never the query', () => {
    expect(logLines.some((line) => /^gateway: GET secure 200 \d+ms$/.test(line))).toBe(true);
    expect(logLines.join('\n')).not.toContain('PatientID');
  });
});
