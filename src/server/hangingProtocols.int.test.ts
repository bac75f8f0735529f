/**
 * A department's protocol folder through a real started gateway: read on every request, so a
 * file dropped in after start is served by the next request; a bad file is named with its field
 * and the good ones still come; no folder, or one that cannot be read, is an empty list.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HangingProtocolListSchema, HangingProtocolsPath, parseConfig, type CrossviewConfig, type HangingProtocolList } from '../contracts/index';
import { startGateway, type Gateway } from './index';

const usReview = {
  id: 'dept-us-review',
  name: 'US review',
  studyRules: [{ attribute: 'ModalitiesInStudy', oneOf: ['US'], weight: 5, required: true }],
  displaySets: [{ id: 'us' }],
  stages: [{ id: 'one', name: 'One', layout: { kind: 'grid', rows: 1, columns: 1 }, viewports: [{ displaySet: 'us' }] }],
};

let root: string;
const gateways: Gateway[] = [];
const logged: string[] = [];

/** A gateway with one site that is never asked anything here, and the given `hanging` settings. */
async function gatewayWith(hanging: CrossviewConfig['hanging']): Promise<Gateway> {
  const parsed = parseConfig({
    // Sign-in switched off, as on one person's workstation: these tests are about serving, not signing in.
    auth: { mode: 'none' },
    sites: [{ id: 'unused', name: 'Unused Hospital', dicomweb: { url: 'http://127.0.0.1:9/dicom-web' }, patientIdIssuer: 'UNUSED' }],
    ...(hanging ? { hanging } : {}),
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const gateway = await startGateway({ config: parsed.config, port: 0, log: (line) => logged.push(line), staticDir: '/nonexistent/crossview-dist' });
  gateways.push(gateway);
  return gateway;
}

async function protocolsOf(gateway: Gateway): Promise<HangingProtocolList> {
  const res = await fetch(`${gateway.url}${HangingProtocolsPath}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const parsed = HangingProtocolListSchema.safeParse(await res.json());
  if (!parsed.success) throw new Error(`not a protocol list: ${parsed.error.message}`);
  return parsed.data;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cv-protocol-folder-'));
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  await rm(root, { recursive: true, force: true });
});

describe('GET /api/hanging-protocols', () => {
  it('serves a protocol file added to the folder after start on the next request, and names a bad file\'s field while the good one is still served', async () => {
    const folder = await mkdtemp(join(root, 'department-'));
    const gateway = await gatewayWith({ protocolFolder: folder });
    expect(await protocolsOf(gateway)).toEqual({ protocols: [], errors: [] });

    await writeFile(join(folder, 'dept-us-review.json'), JSON.stringify(usReview));
    const afterGood = await protocolsOf(gateway);
    expect(afterGood.protocols.map((p) => p.id)).toEqual(['dept-us-review']);
    expect(afterGood.protocols[0]?.stages[0]?.layout).toEqual({ kind: 'grid', rows: 1, columns: 1 });
    expect(afterGood.errors).toEqual([]);

    const badPreset = { ...usReview, id: 'dept-bad', stages: [{ ...usReview.stages[0], viewports: [{ displaySet: 'us', preset: 'neon' }] }] };
    await writeFile(join(folder, 'dept-bad.json'), JSON.stringify(badPreset));
    const afterBad = await protocolsOf(gateway);
    expect(afterBad.protocols.map((p) => p.id)).toEqual(['dept-us-review']);
    expect(afterBad.errors).toEqual([{ file: 'dept-bad.json', errors: [expect.stringMatching(/^dept-bad\.json: stages\[0\]\.viewports\[0\]\.preset: \S/)] }]);
  });

  it('answers an empty list when no folder is configured', async () => {
    const gateway = await gatewayWith(undefined);
    expect(await protocolsOf(gateway)).toEqual({ protocols: [], errors: [] });
  });

  it('answers 200 with an empty list and the reason when the folder cannot be read, logging it once', async () => {
    const missing = join(root, 'not-there');
    const gateway = await gatewayWith({ protocolFolder: missing });
    logged.length = 0;
    for (let i = 0; i < 2; i++) {
      expect(await protocolsOf(gateway)).toEqual({
        protocols: [],
        errors: [{ file: 'hanging.protocolFolder', errors: ['hanging.protocolFolder: cannot read the protocol folder (ENOENT)'] }],
      });
    }
    expect(logged).toEqual([`gateway: hanging protocols: cannot read the protocol folder ${missing} (ENOENT)`]);
  });
});
