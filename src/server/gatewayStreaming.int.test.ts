/**
 * The gateway must stream, not buffer: a 200+-slice CT goes through it frame by frame and as
 * one multipart response, byte-identical to what Orthanc serves directly, while the gateway
 * process (a child, so its memory is its own) grows by no more than 64 MB. Orthanc 1.10 takes
 * ~70 ms per frame request, so frames are checked against Orthanc's own files rather than by
 * asking Orthanc for every frame a second time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHospitals, type Hospitals } from '../../e2e/hospitals/index';
import { boundaryOf, parseMultipart } from './index';
import { workstationConfig } from '../../e2e/hospitals/testAccounts';

const MB = 1024 * 1024;
let hospitals: Hospitals;
let child: ChildProcess | undefined;
let gatewayUrl: string;
const configDir = mkdtempSync(join(tmpdir(), 'cv-gw-config-'));

function startGatewayProcess(configPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CROSSVIEW_CONFIG: configPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let output = '';
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Crossview is running at http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${output}`)));
  });
}

beforeAll(async () => {
  hospitals = await startHospitals({ siteKeys: ['a'] });
  const configPath = join(configDir, 'crossview.config.json');
  writeFileSync(configPath, JSON.stringify(workstationConfig(hospitals.config)));
  gatewayUrl = await startGatewayProcess(configPath);
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await hospitals?.stop();
  rmSync(configDir, { recursive: true, force: true });
});

async function gatewayRss(): Promise<number> {
  const health = (await (await fetch(`${gatewayUrl}/api/health`)).json()) as { rss: number };
  return health.rss;
}

/** The bodies of a multipart answer. */
async function multipartParts(url: string, accept: string): Promise<Buffer[]> {
  const res = await fetch(url, { headers: { accept } });
  expect(res.status, url).toBe(200);
  const boundary = boundaryOf(res.headers.get('content-type') ?? '');
  expect(boundary, url).toBeDefined();
  const body = Buffer.from(await res.arrayBuffer());
  return parseMultipart(body, boundary ?? '').map((part) => part.body);
}

const digest = (bytes: Buffer) => `${bytes.length}:${createHash('sha256').update(bytes).digest('hex')}`;

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

describe('gateway streaming', () => {
  it('the gateway streams a 200-slice series through without its RSS growing by more than 64 MB', async () => {
    const site = hospitals.sites[0]!;
    const study = hospitals.manifest.studies.find((s) => s.key === 'ct-current')!;
    const series = study.series.find((s) => s.Modality === 'CT')!;
    expect(series.instanceCount).toBeGreaterThanOrEqual(200);
    const direct = `${site.dicomwebUrl}/studies/${study.StudyInstanceUID}/series/${series.SeriesInstanceUID}`;
    const gatewayBase = `${gatewayUrl}/sites/${site.siteId}/dicom-web`;
    const viaGateway = `${gatewayBase}/studies/${study.StudyInstanceUID}/series/${series.SeriesInstanceUID}`;

    // Series metadata: identical to Orthanc's apart from Orthanc's own URLs, which now point at us.
    const directMetadata = await (await fetch(`${direct}/metadata`, { headers: { accept: 'application/dicom+json' } })).text();
    const gatewayMetadata = await (await fetch(`${viaGateway}/metadata`, { headers: { accept: 'application/dicom+json' } })).text();
    expect(gatewayMetadata).toBe(directMetadata.replaceAll(site.dicomwebUrl, gatewayBase));
    const instances = (JSON.parse(directMetadata) as Record<string, { Value?: string[] }>[]).map((row) => row['00080018']?.Value?.[0] ?? '');
    expect(instances.length).toBe(series.instanceCount);

    const frameAccept = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
    await multipartParts(`${viaGateway}/instances/${instances[0]}/frames/1`, frameAccept); // warm-up
    const baseline = await gatewayRss();
    let peak = baseline;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await gatewayRss());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    let frameBytes = 0;
    try {
      // The whole series as one multipart answer, through us and straight from Orthanc.
      const seriesAccept = 'multipart/related; type="application/dicom"; transfer-syntax=*';
      const mine = await multipartParts(viaGateway, seriesAccept);
      const theirs = await multipartParts(direct, seriesAccept);
      expect(mine.length).toBe(series.instanceCount);
      expect(mine.map(digest)).toEqual(theirs.map(digest));
      expect(mine.reduce((sum, part) => sum + part.length, 0)).toBeGreaterThan(100 * MB);

      // Every frame through us; Orthanc's own files say what each frame's bytes must be
      // (one native frame per file: the PixelData value), without asking Orthanc 220 more times.
      const expectedFrame = new Map(theirs.map((file) => {
        const dataset = dicomParser.parseDicom(new Uint8Array(file.buffer, file.byteOffset, file.length));
        const pixelData = dataset.elements.x7fe00010;
        return [dataset.string('x00080018') ?? '', digest(file.subarray(pixelData?.dataOffset, (pixelData?.dataOffset ?? 0) + (pixelData?.length ?? 0)))];
      }));
      await inBatches(instances, 6, async (sop) => {
        const parts = await multipartParts(`${viaGateway}/instances/${sop}/frames/1`, frameAccept);
        expect(parts.map(digest), sop).toEqual([expectedFrame.get(sop)]);
        frameBytes += parts.reduce((sum, part) => sum + part.length, 0);
      });
    } finally {
      sampling = false;
      await sampler;
    }
    expect(frameBytes).toBe(series.instanceCount * 512 * 512 * 2);
    expect(peak - baseline, `RSS grew from ${Math.round(baseline / MB)} MB to ${Math.round(peak / MB)} MB`).toBeLessThanOrEqual(64 * MB);
  });
});
