/**
 * Seeded Orthanc storage cache: a copy of an Orthanc's `storage/` and `index/` folders taken
 * right after the first STOW-RS load of a site's share, so later test runs start from the copy
 * instead of uploading hundreds of instances again.
 *
 * A snapshot is keyed by everything that changes its content: demo seed, generator version,
 * transfer syntax and site. It is written only from an Orthanc that has stopped cleanly (SQLite
 * index closed), first into a temporary folder that is then renamed, so a reader never sees half
 * a snapshot; two writers racing each leave a complete one.
 */
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `<repo>/.cache/hospitals` (git-ignored). */
export const HOSPITALS_CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.cache', 'hospitals');

export interface SnapshotKey {
  seed: number;
  generatorVersion: number;
  /** Transfer syntax name, or `as-generated` when the demo files are loaded untouched. */
  transferSyntax: string;
  siteKey: string;
}

export interface SnapshotMeta {
  instanceCount: number;
  /** Digest of what was loaded (manifest and file sizes), so a regenerated demo is not missed. */
  sourceFingerprint: string;
  createdAt: string;
}

export function snapshotDir(key: SnapshotKey, root = HOSPITALS_CACHE_DIR): string {
  return join(root, `seed${key.seed}-v${key.generatorVersion}-${key.transferSyntax}`, `site-${key.siteKey}`);
}

/**
 * Copies a snapshot into an Orthanc's (empty) storage and index folders.
 * Returns what it was taken from, or undefined when there is none.
 */
export async function restoreSnapshot(
  key: SnapshotKey,
  target: { storageDir: string; indexDir: string },
  root = HOSPITALS_CACHE_DIR,
): Promise<SnapshotMeta | undefined> {
  const dir = snapshotDir(key, root);
  let meta: SnapshotMeta;
  try {
    meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as SnapshotMeta;
  } catch {
    return undefined;
  }
  await cp(join(dir, 'storage'), target.storageDir, { recursive: true });
  await cp(join(dir, 'index'), target.indexDir, { recursive: true });
  return meta;
}

/** Saves a stopped Orthanc's folders as the snapshot for `key`, replacing a stale one. */
export async function saveSnapshot(
  key: SnapshotKey,
  source: { storageDir: string; indexDir: string },
  loaded: Omit<SnapshotMeta, 'createdAt'>,
  root = HOSPITALS_CACHE_DIR,
): Promise<void> {
  const dir = snapshotDir(key, root);
  const staging = `${dir}.partial-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    await cp(source.storageDir, join(staging, 'storage'), { recursive: true });
    await cp(source.indexDir, join(staging, 'index'), { recursive: true });
    const meta: SnapshotMeta = { ...loaded, createdAt: new Date().toISOString() };
    await writeFile(join(staging, 'meta.json'), JSON.stringify(meta, null, 2));
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir).catch(async (error: unknown) => {
      // Another run renamed its complete snapshot into place first: keep that one.
      const theirs = await readFile(join(dir, 'meta.json'), 'utf8').catch(() => undefined);
      if (theirs === undefined) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Drops a snapshot that proved wrong (counts differ, Orthanc would not start on it). */
export async function discardSnapshot(key: SnapshotKey, root = HOSPITALS_CACHE_DIR): Promise<void> {
  await rm(snapshotDir(key, root), { recursive: true, force: true });
}
