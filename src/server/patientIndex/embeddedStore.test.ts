import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from './embeddedStore';
import { record, storeContract } from './storeContract';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'crossview-index-'));
  dirs.push(dir);
  return join(dir, 'nested', 'index.jsonl');
}

describe('embedded patient index store (memory only)', () => {
  storeContract(() => createEmbeddedStore());
});

describe('embedded patient index store (file)', () => {
  storeContract(async () => createEmbeddedStore({ path: await tempFile() }));

  it('reloads what it held after a restart, the latest sighting winning', async () => {
    const path = await tempFile();
    const first = await createEmbeddedStore({ path });
    await first.upsert([record({ siteId: 'site-a', StudyInstanceUID: '1', nationalIds: ['9990764875'], PatientID: 'NC1', IssuerOfPatientID: 'NCC' })]);
    await first.upsert([record({ siteId: 'site-a', StudyInstanceUID: '1', nationalIds: ['9996716082'], metadataSeen: true })]);
    await first.close();
    const second = await createEmbeddedStore({ path });
    expect((await second.findByNationalId('9996716082')).map((e) => e.StudyInstanceUID)).toEqual(['1']);
    expect(await second.findByNationalId('9990764875')).toEqual([]);
    expect((await second.findByIssuerId('NC1', 'NCC')).length).toBe(1);
    await second.close();
  });

  it('skips a torn last line and compacts the file when it has grown far beyond its records', async () => {
    const path = await tempFile();
    const store = await createEmbeddedStore({ path, compactAfterExtraLines: 3 });
    for (let i = 0; i < 6; i++) await store.upsert([record({ siteId: 'site-a', StudyInstanceUID: '1', StudyDate: `2025010${i}` })]);
    await store.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThan(6);
    await appendFile(path, '{"siteId":"site-a","StudyInst');
    const reopened = await createEmbeddedStore({ path });
    expect((await reopened.get('site-a', '1'))?.StudyDate).toBe('20250105');
    await reopened.upsert([record({ siteId: 'site-a', StudyInstanceUID: '2' })]);
    await reopened.close();
    const again = await createEmbeddedStore({ path });
    expect(await again.countBySite()).toEqual({ 'site-a': 2 });
    await again.close();
  });
});
