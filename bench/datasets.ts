/**
 * The benchmark datasets: the demo's current CT (220 slices of 512², from the demo generator) in
 * explicit little endian, HTJ2K lossless and JPEG-LS lossless. Each is a folder holding only that
 * series, transcoded once with `transcodeFolder` (Debian's codecs) into `.cache/bench/` and reused
 * while the demo is unchanged, so a bench run pays for transcoding only the first time.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureDemoData, transcodeFolder, type TransferSyntaxName } from '../src/demo/index';
import type { DemoManifest } from '../src/demo/manifest';

export const BenchSyntaxes = ['explicit-le', 'htj2k-lossless', 'jpeg-ls-lossless'] as const satisfies readonly TransferSyntaxName[];
export type BenchSyntax = (typeof BenchSyntaxes)[number];

export interface CtDataset {
  syntax: BenchSyntax;
  /** Folder holding only the CT series' files. */
  dir: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  slices: number;
  /** Sum of the files' sizes. */
  bytes: number;
}

const CacheRoot = resolve('.cache/bench');
const CtPrefix = 'ct-current-ct-';

async function folderBytes(dir: string): Promise<{ files: number; bytes: number }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.dcm'));
  let bytes = 0;
  for (const name of names) bytes += (await readFile(join(dir, name))).byteLength;
  return { files: names.length, bytes };
}

/** The current CT of the demo in each benchmark syntax; transcodes only what is not cached. */
export async function ctDatasets(log: (line: string) => void): Promise<{ manifest: DemoManifest; datasets: CtDataset[] }> {
  const demo = await ensureDemoData();
  const study = demo.manifest.studies.find((s) => s.key === 'ct-current');
  const series = study?.series.find((s) => s.Modality === 'CT');
  if (!study || !series) throw new Error('bench: the demo has no current CT');
  const digest = createHash('sha256').update(await readFile(join(demo.dir, 'manifest.json'))).digest('hex').slice(0, 12);
  const source = join(CacheRoot, `ct-${digest}`, 'explicit-le');
  const datasets: CtDataset[] = [];
  for (const syntax of BenchSyntaxes) {
    const dir = join(CacheRoot, `ct-${digest}`, syntax);
    let size = await folderBytes(dir).catch(() => ({ files: 0, bytes: 0 }));
    if (size.files !== series.instanceCount) {
      const staging = `${dir}.partial-${process.pid}`;
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      const started = Date.now();
      if (syntax === 'explicit-le') {
        // The generator writes explicit LE already: the CT's files are copied as they are.
        const names = (await readdir(join(demo.dir, 'site-a'))).filter((n) => n.startsWith(CtPrefix));
        for (const name of names) await copyFile(join(demo.dir, 'site-a', name), join(staging, name));
      } else {
        await rm(staging, { recursive: true, force: true });
        const result = await transcodeFolder(source, staging, syntax);
        if (result.kind !== 'ok') throw new Error(`bench: cannot transcode the CT to ${syntax}: ${JSON.stringify(result)}`);
      }
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
      size = await folderBytes(dir);
      log(`bench: prepared the CT in ${syntax} (${size.files} files) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    if (size.files !== series.instanceCount) throw new Error(`bench: ${dir} holds ${size.files} CT files, expected ${series.instanceCount}`);
    datasets.push({ syntax, dir, studyInstanceUID: study.StudyInstanceUID, seriesInstanceUID: series.SeriesInstanceUID, slices: series.instanceCount, bytes: size.bytes });
  }
  return { manifest: demo.manifest, datasets };
}
