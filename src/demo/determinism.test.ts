import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSmallDemo, removeTempDirs, listDemoFiles } from './testFixtures';

const Tiny = { current: 4, prior: 4 } as const;

afterAll(removeTempDirs);

describe('determinism', () => {
  it('writes the same manifest and the same bytes for the same seed, and other UIDs for another seed', async () => {
    const first = await generateSmallDemo(7, Tiny);
    const second = await generateSmallDemo(7, Tiny);
    const other = await generateSmallDemo(8, Tiny);
    expect(second.manifest).toEqual(first.manifest);
    const firstFiles = await listDemoFiles(first.dir);
    const secondFiles = await listDemoFiles(second.dir);
    expect(secondFiles.map((f) => f.file.slice(second.dir.length))).toEqual(firstFiles.map((f) => f.file.slice(first.dir.length)));
    for (const name of ['site-a/ct-current-ct-0002.dcm', 'site-a/ct-current-sr-0001.dcm', 'site-a/ct-current-rtstruct-0001.dcm', 'site-b/ct-prior-pdf-0001.dcm', 'site-b/mr-brain-s3-0010.dcm', 'site-c/us-abdomen-us-0001.dcm']) {
      const [a, b] = await Promise.all([readFile(join(first.dir, name)), readFile(join(second.dir, name))]);
      expect(a.equals(b), name).toBe(true);
    }
    const uids = (m: typeof first.manifest): string[] => m.studies.flatMap((s) => [s.StudyInstanceUID, ...s.series.map((x) => x.SeriesInstanceUID)]);
    const otherUids = new Set(uids(other.manifest));
    expect(uids(first.manifest).some((uid) => otherUids.has(uid))).toBe(false);
    expect(other.manifest.ct[0]?.geometry.FrameOfReferenceUID).not.toBe(first.manifest.ct[0]?.geometry.FrameOfReferenceUID);
  }, 60_000);
});
