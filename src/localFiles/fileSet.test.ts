import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoCdTruth } from '../demo/manifest';
import { generateDemoCdFiles, removeTempDirs } from '../demo/testFixtures';
import { parseLocalFileSet, type LocalFileInput } from './index';

let cd: DemoCdTruth;
let files: LocalFileInput[] = [];


beforeAll(async () => {
  ({ cd, files } = await generateDemoCdFiles('crossview-cd-'));
}, 60_000);

afterAll(removeTempDirs);

describe('a folder of local files', () => {
  it('groups the CD into its one study and series, reads its DICOMDIR and lists the two corrupt files with their reasons', async () => {
    const progress: number[] = [];
    const set = await parseLocalFileSet(files, { onProgress: ({ done }) => progress.push(done), batchSize: 3 });
    expect(set.studies.map((s) => s.StudyInstanceUID)).toEqual([cd.StudyInstanceUID]);
    expect(set.studies[0]!.series.map((s) => [s.SeriesInstanceUID, s.Modality, s.instances.length])).toEqual(cd.series.map((s) => [s.SeriesInstanceUID, s.Modality, s.instanceCount]));
    expect(set.rejected.map((r) => r.path).sort()).toEqual(cd.corrupt.map((c) => `cd/${c.file}`).sort());
    for (const corrupt of cd.corrupt) expect(set.rejected.find((r) => r.path === `cd/${corrupt.file}`)?.reason).toMatch(new RegExp(`^${corrupt.reasonStartsWith}`));
    expect(set.directories).toHaveLength(1);
    expect(set.directories[0]!.missing).toEqual([]);
    // The DICOMDIR names every image and the truncated copy, not the viewer's settings file.
    expect(set.directories[0]!.referenced.sort()).toEqual([...cd.files.map((f) => `cd/${f.file}`), `cd/${cd.corrupt[0]!.file}`].sort());
    expect(progress.at(-1)).toBe(files.length);
    expect(progress.length).toBeGreaterThan(1);
  });

  it('lists files the DICOMDIR names that are missing, and reads a folder without a DICOMDIR the same way', async () => {
    const gone = `cd/${cd.files[1]!.file}`;
    const withGap = await parseLocalFileSet(files.filter((f) => f.path !== gone));
    expect(withGap.directories[0]!.missing).toEqual([cd.files[1]!.file.replace('/', '\\')]);
    const noDir = await parseLocalFileSet(files.filter((f) => !f.path.endsWith('DICOMDIR')));
    expect(noDir.directories).toEqual([]);
    expect(noDir.studies[0]!.series.reduce((n, s) => n + s.instances.length, 0)).toBe(cd.files.length);
  });

  it('unpacks a .zip of the CD in memory and refuses one that declares more than the limit', async () => {
    const archive = zipSync(Object.fromEntries(files.map((f) => [f.path, f.bytes as Uint8Array])));
    const set = await parseLocalFileSet([{ path: 'cd.zip', bytes: archive }]);
    expect(set.studies[0]!.StudyInstanceUID).toBe(cd.StudyInstanceUID);
    expect(set.rejected.map((r) => r.path).sort()).toEqual(cd.corrupt.map((c) => `cd.zip/cd/${c.file}`).sort());
    const refused = await parseLocalFileSet([{ path: 'big.zip', bytes: archive }], { zipLimits: { maxEntries: 100, maxTotalBytes: 100_000, maxEntryBytes: 1_000_000 } });
    expect(refused.studies).toEqual([]);
    expect(refused.rejected).toEqual([{ path: 'big.zip', reason: expect.stringMatching(/^zip: declares more than .* uncompressed/) }]);
    const broken = await parseLocalFileSet([{ path: 'broken.zip', bytes: archive.slice(0, 2000) }]);
    expect(broken.rejected[0]?.reason).toMatch(/^zip: cannot be unpacked/);
  });

  it('rejects a second copy of the same instance as a duplicate', async () => {
    const copy = { ...files.find((f) => f.path === `cd/${cd.files[0]!.file}`)!, path: 'elsewhere/COPY' };
    const set = await parseLocalFileSet([...files, copy]);
    expect(set.rejected.find((r) => r.path === 'elsewhere/COPY')?.reason).toBe(`duplicate: the same SOPInstanceUID as cd/${cd.files[0]!.file}`);
  });
});
