import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HangingProtocolListSchema } from '../contracts/index';
import { parseProtocolFile, readProtocolFolder } from './hangingProtocols';

const goodProtocol = {
  id: 'us-liver',
  name: 'US liver',
  studyRules: [{ attribute: 'StudyDescription', matches: 'liver|abdomen', weight: 2, required: true }],
  displaySets: [{ id: 'us' }],
  stages: [{ id: 'one', name: 'One', layout: { kind: 'grid', rows: 1, columns: 1 }, viewports: [{ displaySet: 'us' }] }],
};

let root: string;
let folder: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cv-protocols-'));
  folder = join(root, 'department');
  await mkdir(folder);
  await writeFile(join(folder, 'a-good.json'), JSON.stringify(goodProtocol));
  const badPreset = { ...goodProtocol, id: 'bad-preset', stages: [{ ...goodProtocol.stages[0], viewports: [{ displaySet: 'us', preset: 'neon' }] }] };
  await writeFile(join(folder, 'b-bad-preset.json'), JSON.stringify(badPreset));
  await writeFile(join(folder, 'c-broken.json'), '{ "id": "broken", ');
  await writeFile(join(folder, 'd-duplicate.json'), JSON.stringify({ ...goodProtocol, name: 'Again' }));
  await writeFile(join(folder, 'notes.txt'), 'not a protocol');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readProtocolFolder', () => {
  it('reports each bad file by name and field and still loads the good one', async () => {
    const loaded = await readProtocolFolder(folder);
    expect(HangingProtocolListSchema.safeParse(loaded).success).toBe(true);
    expect(loaded.protocols.map((p) => p.id)).toEqual(['us-liver']);
    expect(loaded.errors.map((e) => e.file)).toEqual(['b-bad-preset.json', 'c-broken.json', 'd-duplicate.json']);
    expect(loaded.errors[0]?.errors).toHaveLength(1);
    expect(loaded.errors[0]?.errors[0]).toMatch(/^b-bad-preset\.json: stages\[0\]\.viewports\[0\]\.preset: /);
    expect(loaded.errors[1]?.errors[0]).toMatch(/^c-broken\.json: not valid JSON \(/);
    expect(loaded.errors[2]?.errors).toEqual(['d-duplicate.json: id: duplicate protocol id "us-liver" (also in a-good.json)']);
    expect(loaded.unreadable).toBeUndefined();
  });

  it('reads only plain files directly in the folder, each under the size limit', async () => {
    const tricky = join(root, 'tricky');
    await mkdir(tricky);
    // A valid protocol outside the folder, reachable only through a link.
    await writeFile(join(root, 'outside.json'), JSON.stringify({ ...goodProtocol, id: 'outside' }));
    await symlink(join(root, 'outside.json'), join(tricky, 'link.json'));
    await mkdir(join(tricky, 'sub.json'));
    await mkdir(join(tricky, 'nested'));
    await writeFile(join(tricky, 'nested', 'deep.json'), JSON.stringify({ ...goodProtocol, id: 'deep' }));
    await writeFile(join(tricky, 'big.json'), JSON.stringify({ ...goodProtocol, id: 'big', description: 'x'.repeat(2000) }));
    await writeFile(join(tricky, 'small.json'), JSON.stringify({ ...goodProtocol, id: 'small' }));
    const loaded = await readProtocolFolder(tricky, 1024);
    expect(loaded.protocols.map((p) => p.id)).toEqual(['small']);
    expect(loaded.errors).toEqual([
      { file: 'big.json', errors: [expect.stringMatching(/^big\.json: \d+ bytes, over the 1 kB limit for a protocol file$/)] },
      { file: 'link.json', errors: ['link.json: is a link; only plain files in the folder are read'] },
      { file: 'sub.json', errors: ['sub.json: not a plain file; only plain files in the folder are read'] },
    ]);
  });

  it('answers a folder it cannot read with one error naming the config field, not the server path', async () => {
    const missing = join(root, 'nope');
    const loaded = await readProtocolFolder(missing);
    expect(loaded).toEqual({
      protocols: [],
      errors: [{ file: 'hanging.protocolFolder', errors: ['hanging.protocolFolder: cannot read the protocol folder (ENOENT)'] }],
      unreadable: 'ENOENT',
    });
  });
});

describe('parseProtocolFile', () => {
  it('names the file and the field of every problem', () => {
    const result = parseProtocolFile('x.json', JSON.stringify({ ...goodProtocol, displaySets: [] }));
    expect(result).toEqual({
      ok: false,
      errors: ['x.json: displaySets: must define at least one display set', 'x.json: stages[0].viewports[0].displaySet: no display set "us" is defined'],
    });
    expect(parseProtocolFile('y.json', JSON.stringify(goodProtocol))).toMatchObject({ ok: true, protocol: { id: 'us-liver' } });
  });
});
