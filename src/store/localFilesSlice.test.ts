import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoCdTruth } from '../demo/manifest';
import { generateDemoCdFiles, removeTempDirs } from '../demo/testFixtures';
import type { LocalFileInput } from '../localFiles/index';
import { createCrossviewStore } from './store';
import { silentGateway } from './testGateway';

let cd: DemoCdTruth;
let files: LocalFileInput[] = [];


beforeAll(async () => {
  silentGateway();
  ({ cd, files } = await generateDemoCdFiles('crossview-store-cd-'));
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
