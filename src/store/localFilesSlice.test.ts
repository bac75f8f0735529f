import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  const dir = await makeTempDir('crossview-store-cd-');
  const people = createPeople(1);
  cd = await writeDemoCd({ uid: createUidFactory(1), patient: people.patient, referenceDate: '20250614', outDir: dir, seed: 1, siteShape: createSites(people)[0]! });
  files = await Promise.all((await walk(join(dir, cd.folder))).map(async (path) => ({ path: relative(dir, path), bytes: new Uint8Array(await readFile(path)) })));
}, 60_000);

afterAll(removeTempDirs);

describe('local files in the store', () => {
  it('opens the CD study as the local site with its CT in vp-1, pixel data named by an object URL', async () => {
    const store = createCrossviewStore('http://127.0.0.1:1');
    await store.getState().openLocalFiles(files);
    const state = store.getState();
    expect(state.localFiles.kind).toBe('ready');
    expect(state.openStudy).toMatchObject({ StudyInstanceUID: cd.StudyInstanceUID, siteId: 'local', series: { kind: 'ready' } });
    const ct = cd.series.find((s) => s.Modality === 'CT')!;
    expect(state.viewports).toHaveLength(1);
    const cell = state.viewports[0]!;
    expect(cell).toMatchObject({ viewportId: 'vp-1', siteId: 'local', StudyInstanceUID: cd.StudyInstanceUID, SeriesInstanceUID: ct.SeriesInstanceUID });
    if (cell.load.kind !== 'ready') throw new Error('the local series should be ready at once');
    expect(cell.load.instances).toHaveLength(ct.instanceCount);
    for (const instance of cell.load.instances) expect(instance['7FE00010']?.BulkDataURI).toMatch(/^blob:/);

    const us = cd.series.find((s) => s.Modality === 'US')!;
    store.getState().showLocalSeries(us.SeriesInstanceUID);
    expect(store.getState().viewports[0]).toMatchObject({ SeriesInstanceUID: us.SeriesInstanceUID, siteId: 'local', load: { kind: 'loading-metadata' } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(store.getState().viewports[0]).toMatchObject({ SeriesInstanceUID: us.SeriesInstanceUID, load: { kind: 'ready' } });

    store.getState().closeLocalFiles();
    expect(store.getState()).toMatchObject({ localFiles: { kind: 'idle' }, openStudy: undefined, viewports: [] });
  });
});
