import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ImportPlan } from '../contracts/index';
import type { DemoCdTruth } from '../demo/manifest';
import { generateDemoCdFiles, removeTempDirs } from '../demo/testFixtures';
import type { LocalFileInput } from '../localFiles/index';
import { createCrossviewStore } from './store';
import { silentGateway } from './testGateway';

let cd: DemoCdTruth;
let files: LocalFileInput[] = [];


beforeAll(async () => {
  silentGateway();
  ({ cd, files } = await generateDemoCdFiles('crossview-store-import-'));
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
