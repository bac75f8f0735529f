import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltInProtocols } from './builtInProtocols';
import { hangStudy, mergeProtocols } from './hangStudy';
import { loadProtocolFolder } from './protocolFolder';
import { series, study } from './testStudies';

const fs = { readdir, readFile };
const builtInFolder = join(import.meta.dirname, 'protocols');

const goodProtocol = {
  id: 'us-liver',
  name: 'US liver',
  studyRules: [{ attribute: 'StudyDescription', matches: 'liver|abdomen', weight: 2, required: true }],
  displaySets: [{ id: 'us' }],
  stages: [{ id: 'one', name: 'One', layout: { kind: 'grid', rows: 1, columns: 1 }, viewports: [{ displaySet: 'us' }] }],
};

describe('built-in protocols', () => {
  it('every JSON file in protocols/ validates and is one of the built-ins', async () => {
    const loaded = await loadProtocolFolder(builtInFolder, fs);
    expect(loaded.errors).toEqual([]);
    expect(loaded.protocols.length).toBeGreaterThanOrEqual(6);
    expect(loaded.protocols.map((p) => p.id).sort()).toEqual(BuiltInProtocols.map((p) => p.id).sort());
    expect(BuiltInProtocols.map((p) => p.id)).toEqual(['ct-compare', 'mr-brain', 'xr-compare', 'mg-4up', 'rt-planning', 'single-series']);
  });
});

describe('loadProtocolFolder', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'cv-protocols-'));
    await writeFile(join(folder, 'a-good.json'), JSON.stringify(goodProtocol));
    const badPreset = { ...goodProtocol, id: 'bad-preset', stages: [{ ...goodProtocol.stages[0], viewports: [{ displaySet: 'us', preset: 'neon' }] }] };
    await writeFile(join(folder, 'b-bad-preset.json'), JSON.stringify(badPreset));
    await writeFile(join(folder, 'c-broken.json'), '{ "id": "broken", ');
    await writeFile(join(folder, 'd-duplicate.json'), JSON.stringify({ ...goodProtocol, name: 'Again' }));
    await writeFile(join(folder, 'notes.txt'), 'not a protocol');
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reports each bad file by name and field and still loads the good one', async () => {
    const loaded = await loadProtocolFolder(folder, fs);
    expect(loaded.protocols.map((p) => p.id)).toEqual(['us-liver']);
    expect(loaded.errors.map((e) => e.file)).toEqual(['b-bad-preset.json', 'c-broken.json', 'd-duplicate.json']);
    expect(loaded.errors[0]?.errors).toHaveLength(1);
    expect(loaded.errors[0]?.errors[0]).toMatch(/^b-bad-preset\.json: stages\[0\]\.viewports\[0\]\.preset: /);
    expect(loaded.errors[1]?.errors[0]).toMatch(/^c-broken\.json: not valid JSON \(/);
    expect(loaded.errors[2]?.errors).toEqual(['d-duplicate.json: id: duplicate protocol id "us-liver" (also in a-good.json)']);
  });

  it('uses a protocol dropped into the folder on the next load, without restarting anything', async () => {
    const us = study('us', '20260301', 'US Abdomen', ['US'], ['site-c']);
    const input = { current: us, timeline: [us], seriesByStudy: { us: [series('u1', 'US', 'Liver', 12)] } };
    const before = await loadProtocolFolder(folder, fs);
    await writeFile(join(folder, 'e-late.json'), JSON.stringify({ ...goodProtocol, id: 'us-late', studyRules: [{ attribute: 'ModalitiesInStudy', oneOf: ['US'], weight: 5 }] }));
    const after = await loadProtocolFolder(folder, fs);
    expect(hangStudy(mergeProtocols(BuiltInProtocols, before.protocols), input).protocol.id).toBe('us-liver');
    expect(hangStudy(mergeProtocols(BuiltInProtocols, after.protocols), input).protocol.id).toBe('us-late');
  });

  it('reports a folder that does not exist as one error naming it', async () => {
    const missing = join(folder, 'nope');
    const loaded = await loadProtocolFolder(missing, fs);
    expect(loaded).toEqual({ protocols: [], errors: [{ file: missing, errors: [`${missing}: cannot read the protocol folder (ENOENT)`] }] });
  });
});
