/**
 * ensureDemoData: the demo folder that `npm start`, the hospitals harness and tests share.
 * Generates into a private temporary folder and renames it into place, so a reader never sees
 * a half-written demo and two processes racing both end up with one complete folder.
 */
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DemoManifest } from './manifest';
import { DefaultSeed, GeneratorVersion, generateDemo } from './generate';

const inProcess = new Map<string, Promise<{ manifest: DemoManifest; dir: string }>>();

async function readUsableManifest(dir: string, seed: number): Promise<DemoManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DemoManifest;
    return manifest.generatorVersion === GeneratorVersion && manifest.seed === seed ? manifest : undefined;
  } catch {
    return undefined;
  }
}

async function ensure(seed: number, dir: string): Promise<{ manifest: DemoManifest; dir: string }> {
  const existing = await readUsableManifest(dir, seed);
  if (existing) return { manifest: existing, dir };
  await mkdir(dirname(dir), { recursive: true });
  const staging = `${dir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await generateDemo({ seed, outDir: staging });
  // A stale or outdated folder is replaced; a fresh one from a racing process is kept.
  const raced = await readUsableManifest(dir, seed);
  if (raced) {
    await rm(staging, { recursive: true, force: true });
    return { manifest: raced, dir };
  }
  await rm(dir, { recursive: true, force: true });
  try {
    await rename(staging, dir);
  } catch (error) {
    const winner = await readUsableManifest(dir, seed);
    await rm(staging, { recursive: true, force: true });
    if (winner) return { manifest: winner, dir };
    throw error;
  }
  const manifest = await readUsableManifest(dir, seed);
  if (!manifest) throw new Error(`ensureDemoData: ${dir} has no usable manifest after generation`);
  return { manifest, dir };
}

/**
 * Idempotent: regenerates only when manifest.json is missing or its generatorVersion or seed
 * differ. Default folder `.cache/demo/seed-<seed>` under the working directory; default seed 1.
 *
 * @example
 * const { manifest, dir } = await ensureDemoData();
 */
export function ensureDemoData(options: { seed?: number; cacheDir?: string } = {}): Promise<{ manifest: DemoManifest; dir: string }> {
  const seed = options.seed ?? DefaultSeed;
  const dir = resolve(options.cacheDir ?? join(process.cwd(), '.cache', 'demo', `seed-${seed}`));
  const key = `${seed}|${dir}`;
  let pending = inProcess.get(key);
  if (!pending) {
    pending = ensure(seed, dir).finally(() => inProcess.delete(key));
    inProcess.set(key, pending);
  }
  return pending;
}
