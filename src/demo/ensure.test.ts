import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoData } from './ensure';
import { GeneratorVersion } from './generate';
import { locateInCt } from './locate';
import { makeTempDir, num, pixelWords, readDataset, removeTempDirs } from './testFixtures';

afterAll(removeTempDirs);

describe('ensureDemoData with the full-size demo', () => {
  it('replaces an outdated cache with a full demo whose current CT has ≥ 200 slices of 512 × 512, then leaves it alone', async () => {
    const cacheDir = join(await makeTempDir('crossview-ensure-'), 'seed-1');
    await mkdir(cacheDir, { recursive: true });
    await writeFile(join(cacheDir, 'manifest.json'), JSON.stringify({ seed: 1, generatorVersion: GeneratorVersion - 1 }));

    const { manifest, dir } = await ensureDemoData({ seed: 1, cacheDir });
    expect(dir).toBe(cacheDir);
    expect(manifest.generatorVersion).toBe(GeneratorVersion);
    const truth = manifest.ct.find((c) => c.studyKey === 'ct-current')!;
    expect(truth.geometry.sliceCount).toBeGreaterThanOrEqual(200);
    const ctFiles = (await readdir(join(dir, 'site-a'))).filter((f) => f.startsWith('ct-current-ct-'));
    expect(ctFiles).toHaveLength(truth.geometry.sliceCount);
    expect(manifest.studies.find((s) => s.key === 'ct-current')?.series[0]?.instanceCount).toBe(truth.geometry.sliceCount);

    const last = (await readDataset(join(dir, 'site-a', ctFiles.sort().at(-1)!))).dataset;
    expect(num(last, 'InstanceNumber')).toBe(truth.geometry.sliceCount);
    expect((last.ImagePositionPatient as number[])[2]).toBe(truth.geometry.firstPosition[2] + (truth.geometry.sliceCount - 1) * truth.geometry.sliceStep);

    const { sliceIndex, column, row } = locateInCt(truth, truth.lesion.centre);
    const slice = (await readDataset(join(dir, 'site-a', ctFiles.sort()[sliceIndex]!))).dataset;
    expect([num(slice, 'Rows'), num(slice, 'Columns')]).toEqual([512, 512]);
    expect(Math.abs(pixelWords(slice)[row * 512 + column]! - 1024 - truth.lesion.hu)).toBeLessThanOrEqual(truth.noiseAmplitudeHu);

    const before = (await stat(join(dir, 'manifest.json'))).mtimeMs;
    const again = await ensureDemoData({ seed: 1, cacheDir });
    expect(again.manifest).toEqual(manifest);
    expect((await stat(join(dir, 'manifest.json'))).mtimeMs).toBe(before);
    expect((await readdir(join(cacheDir, '..'))).sort()).toEqual(['seed-1']);
  }, 120_000);
});
