/**
 * Helpers for the demo's own tests: a reduced demo generated once per test file in a temporary
 * folder, and readers that turn a written file back into values to assert on.
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { decodePart10, type NaturalDataset } from './dicomFile';
import { generateDemo } from './generate';
import { writeDemoCd } from './cdFolder';
import type { DemoCdTruth, DemoManifest } from './manifest';
import { createPeople, createSites } from './people';
import { createUidFactory } from './uids';

const created: string[] = [];

/** A fresh temporary folder, removed by `removeTempDirs` (call it in afterAll). */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export const SmallSliceCounts = { current: 24, prior: 16 } as const;

export async function generateSmallDemo(
  seed = 1,
  ctSliceCounts: { current: number; prior: number } = SmallSliceCounts,
): Promise<{ dir: string; manifest: DemoManifest }> {
  const dir = await makeTempDir('crossview-demo-test-');
  const manifest = await generateDemo({ seed, outDir: dir, ctSliceCounts });
  return { dir, manifest };
}

export async function readDataset(file: string): Promise<{ dataset: NaturalDataset; transferSyntaxUID: string }> {
  return decodePart10(new Uint8Array(await readFile(file)));
}

/** Every .dcm file of the demo with its site folder, sorted for a stable order. */
export async function listDemoFiles(dir: string): Promise<{ site: string; file: string }[]> {
  const out: { site: string; file: string }[] = [];
  for (const site of ['site-a', 'site-b', 'site-c']) {
    for (const name of (await readdir(join(dir, site))).sort()) if (name.endsWith('.dcm')) out.push({ site, file: join(dir, site, name) });
  }
  return out;
}

/** Native 16-bit pixel words of a single-frame dataset. */
export function pixelWords(dataset: NaturalDataset): Uint16Array {
  const data = dataset.PixelData;
  const frame = Array.isArray(data) ? data[0] : data;
  if (!(frame instanceof ArrayBuffer)) throw new Error('pixelWords: no native pixel data');
  return new Uint16Array(frame);
}

/** First value of an attribute as a string; person names as their Alphabetic group. */
export function str(dataset: NaturalDataset, keyword: string): string {
  const raw = dataset[keyword];
  const value: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (value && typeof value === 'object' && 'Alphabetic' in value) return String(value.Alphabetic);
  return value === undefined ? '' : String(value);
}

export function num(dataset: NaturalDataset, keyword: string): number {
  return Number(str(dataset, keyword));
}

export function nums(dataset: NaturalDataset, keyword: string): number[] {
  const raw = dataset[keyword];
  return (Array.isArray(raw) ? raw : [raw]).map(Number);
}

export function seq(dataset: NaturalDataset, keyword: string): NaturalDataset[] {
  const raw = dataset[keyword];
  return Array.isArray(raw) ? (raw as NaturalDataset[]) : [];
}

/** Every file below `dir`, depth first, in name order. */
export async function walkFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await walkFiles(path)));
    else out.push(path);
  }
  return out;
}

/** The demo's outside-hospital CD written to a temporary folder, and its files as the browser reads them (paths from the folder's parent). */
export async function generateDemoCdFiles(prefix: string): Promise<{ cd: DemoCdTruth; files: { path: string; bytes: Uint8Array }[] }> {
  const dir = await makeTempDir(prefix);
  const people = createPeople(1);
  const cd = await writeDemoCd({ uid: createUidFactory(1), patient: people.patient, referenceDate: '20250614', outDir: dir, seed: 1, siteShape: createSites(people)[0]! });
  const files = await Promise.all((await walkFiles(join(dir, cd.folder))).map(async (path) => ({ path: relative(dir, path), bytes: new Uint8Array(await readFile(path)) })));
  return { cd, files };
}
