import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ImportPlan } from '../contracts/index';
import { writeDemoCd } from '../demo/cdFolder';
import type { DemoCdTruth } from '../demo/manifest';
import { createPeople, createSites } from '../demo/people';
import { makeTempDir, removeTempDirs } from '../demo/testFixtures';
import { createUidFactory } from '../demo/uids';
import type { LocalFileInput } from '../localFiles/index';
import { createCrossviewStore } from './store';
import { silentGateway } from './testGateway';

let cd: DemoCdTruth;
let files: LocalFileInput[] = [];

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}

beforeAll(async () => {
  silentGateway();
  const dir = await makeTempDir('crossview-store-import-');
  const people = createPeople(1);
  cd = await writeDemoCd({ uid: createUidFactory(1), patient: people.patient, referenceDate: '20250614', outDir: dir, seed: 1, siteShape: createSites(people)[0]! });
  files = await Promise.all((await walk(join(dir, cd.folder))).map(async (path) => ({ path: relative(dir, path), bytes: new Uint8Array(await readFile(path)) })));
}, 60_000);

afterAll(removeTempDirs);

/** A gateway that plans a demographics match and refuses to stage the second file it is sent. */
function fakeGateway(calls: string[]) {
  const plan: ImportPlan = {
    id: 'imp-1',
    toSiteId: 'site-c',
    StudyInstanceUID: cd.StudyInstanceUID,
    match: { basis: 'demographics', PatientID: '5526506', IssuerOfPatientID: 'MII', PatientName: 'FAIRWEATHER^Casey', PatientBirthDate: '19661119' },
    changes: [{ attribute: 'PatientID', from: cd.PatientID, to: '5526506' }],
  };
  let puts = 0;
  return vi.fn((url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${new URL(url).pathname}`);
    const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
    if (method === 'POST' && url.endsWith('/api/imports')) return json(201, plan);
    if (method === 'PUT') return ++puts === 2 ? json(422, { error: 'Not staged: the file names another patient than the study this import was planned for' }) : json(200, { SOPInstanceUID: 'x', staged: puts });
    if (method === 'DELETE') return Promise.resolve(new Response(null, { status: 204 }));
    return json(500, { error: 'unexpected' });
  });
}

describe('import dialog state', () => {
  it('waits for the demographics confirmation, and a file the gateway refuses to stage discards the staging without a commit', async () => {
    const calls: string[] = [];
    const store = createCrossviewStore('http://127.0.0.1:1');
    await store.getState().openLocalFiles(files);
    vi.stubGlobal('fetch', fakeGateway(calls));
    try {
      store.getState().openImport(cd.StudyInstanceUID);
      await store.getState().chooseImportSite('site-c');
      const planned = store.getState().importDialog;
      expect(planned.kind === 'open' && planned.step.kind).toBe('planned');
      const sent = JSON.parse(String((vi.mocked(fetch).mock.calls[0]?.[1] as RequestInit).body)) as { patient: Record<string, unknown>; instanceCount: number };
      expect(sent.instanceCount).toBe(cd.files.length);
      expect(Object.keys(sent.patient).every((tag) => tag.startsWith('0010'))).toBe(true);

      // Not confirmed: nothing is uploaded.
      await store.getState().startImport();
      expect(calls.filter((c) => c.startsWith('PUT'))).toEqual([]);

      store.getState().confirmImportMatch(true);
      await store.getState().startImport();
      const dialog = store.getState().importDialog;
      if (dialog.kind !== 'open' || dialog.step.kind !== 'failed') throw new Error(`expected a failed import, got ${JSON.stringify(dialog)}`);
      expect(dialog.step.failedFiles).toHaveLength(1);
      expect(dialog.step.failedFiles[0]!.reason).toContain('another patient');
      expect(dialog.step.result).toBeUndefined();
      expect(calls).toContain('DELETE /api/imports/imp-1');
      expect(calls.some((c) => c.endsWith('/commit'))).toBe(false);
    } finally {
      silentGateway();
    }
  });
});
