/**
 * The demo in another transfer syntax, for hospitals that should store (and serve) compressed
 * data. The whole demo folder is transcoded once with Debian's codecs into
 * `.cache/hospitals/transcoded/<syntax>-<source digest>/` and reused while the source demo's
 * manifest is unchanged; its manifest then names the transfer syntax each series really has.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { transcodeFolder, type DemoManifest, type TransferSyntaxName } from '../../src/demo/index';
import { HOSPITALS_CACHE_DIR } from './storageCache';

export interface DemoData {
  manifest: DemoManifest;
  dir: string;
}

async function readManifest(dir: string): Promise<DemoManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DemoManifest;
  } catch {
    return undefined;
  }
}

/** Returns the demo transcoded to `syntax`, transcoding only when no current copy exists. */
export async function transcodedDemo(source: DemoData, syntax: TransferSyntaxName, cacheRoot = HOSPITALS_CACHE_DIR): Promise<DemoData> {
  const sourceText = await readFile(join(source.dir, 'manifest.json'), 'utf8');
  const digest = createHash('sha256').update(sourceText).digest('hex').slice(0, 12);
  const dir = join(cacheRoot, 'transcoded', `${syntax}-${digest}`);
  const existing = await readManifest(dir);
  if (existing) return { manifest: existing, dir };

  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const result = await transcodeFolder(source.dir, staging, syntax);
  if (result.kind !== 'ok') {
    await rm(staging, { recursive: true, force: true });
    const detail = result.kind === 'tool-missing' ? result.message : `${result.file}: ${result.message}`;
    throw new Error(`startHospitals: cannot transcode the demo to ${syntax}: ${detail}`);
  }
  await rename(staging, dir).catch(async (error: unknown) => {
    // A parallel run finished first; its copy is as good as ours.
    await rm(staging, { recursive: true, force: true });
    if (!(await readManifest(dir))) throw error;
  });
  const manifest = await readManifest(dir);
  if (!manifest) throw new Error(`transcodedDemo: ${dir} has no manifest.json after transcoding`);
  return { manifest, dir };
}
