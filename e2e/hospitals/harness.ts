/**
 * Runs one real Orthanc per demo hospital and fills each with that hospital's share of the demo
 * data. `index.ts` wires in the demo generator; this file only needs a manifest and its folder,
 * so it can be exercised with any small set of DICOM files.
 *
 * Loading order per site: restore the seeded storage snapshot if it was taken from the same demo
 * files (manifest, names and sizes) and Orthanc then reports the expected instance count; otherwise start empty, STOW-RS every file, stop cleanly,
 * snapshot, and start again on the same port and storage.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseConfig, type CrossviewConfig } from '../../src/contracts/index';
import type { DemoManifest, DemoSite, DemoSiteKey } from '../../src/demo/manifest';
import { createOrthanc, type OrthancInstance } from './orthanc';
import { testAuthConfig } from './testAccounts';
import { listDicomFiles, stowFolder } from './stow';
import { discardSnapshot, restoreSnapshot, saveSnapshot, HOSPITALS_CACHE_DIR, type SnapshotKey } from './storageCache';

export interface HospitalSite {
  key: DemoSiteKey;
  siteId: string;
  name: string;
  issuer: string;
  port: number;
  /** `http://127.0.0.1:<port>/dicom-web` */
  dicomwebUrl: string;
  storageDir: string;
  /** Orthanc's stdout/stderr. */
  logPath: string;
}

export interface Hospitals {
  sites: HospitalSite[];
  manifest: DemoManifest;
  demoDir: string;
  /** A validated gateway config whose sites point at these Orthancs. */
  config: CrossviewConfig;
  /** Stops one hospital (its port then refuses connections); its data stays. */
  stopSite(key: DemoSiteKey): Promise<void>;
  /** Starts a stopped hospital again on the same port with the same storage. */
  startSite(key: DemoSiteKey): Promise<void>;
  /** Stops every hospital and removes their temporary storage. */
  stop(): Promise<void>;
}

export interface LaunchPlan {
  manifest: DemoManifest;
  demoDir: string;
  siteKeys: DemoSiteKey[];
  /** Label of the transfer syntax the files are loaded in; part of the snapshot key. */
  transferSyntax: string;
  /** Parent of the temporary storage folders (default: the OS temp folder). */
  baseDir?: string;
  /** Root of the storage snapshots (default `.cache/hospitals`). */
  cacheRoot?: string;
  /** The folder to upload for a site; called only when no snapshot can be used. */
  siteFolder(site: DemoSite, workDir: string): Promise<string>;
}

const temporaryRoots = new Set<string>();
let cleanupInstalled = false;

function removeTemporaryRootsOnExit(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    for (const root of temporaryRoots) rmSync(root, { recursive: true, force: true });
  });
}

async function countInstances(orthanc: OrthancInstance): Promise<number> {
  const response = await fetch(`${orthanc.baseUrl}/statistics`);
  if (!response.ok) throw new Error(`countInstances: ${orthanc.name} answered HTTP ${response.status}; log ${orthanc.logPath}`);
  const statistics = (await response.json()) as { CountInstances: number };
  return statistics.CountInstances;
}

/** What a snapshot must match: the demo files of one site, as listed and sized now. */
interface SiteSource {
  instanceCount: number;
  sourceFingerprint: string;
}

async function describeSource(manifest: DemoManifest, folder: string): Promise<SiteSource> {
  const files = await listDicomFiles(folder);
  const digest = createHash('sha256').update(JSON.stringify(manifest));
  for (const file of files) digest.update(`${relative(folder, file)}:${(await stat(file)).size}\n`);
  return { instanceCount: files.length, sourceFingerprint: digest.digest('hex').slice(0, 16) };
}

async function tryRestore(orthanc: OrthancInstance, key: SnapshotKey, source: SiteSource, cacheRoot: string): Promise<boolean> {
  const saved = await restoreSnapshot(key, orthanc, cacheRoot);
  if (saved === undefined) return false;
  if (saved.instanceCount === source.instanceCount && saved.sourceFingerprint === source.sourceFingerprint) {
    try {
      await orthanc.start();
      if ((await countInstances(orthanc)) === source.instanceCount) return true;
    } catch {
      // fall through: a snapshot Orthanc cannot open is as good as none
    }
    await orthanc.stop();
  }
  await discardSnapshot(key, cacheRoot);
  await rm(orthanc.storageDir, { recursive: true, force: true });
  await rm(orthanc.indexDir, { recursive: true, force: true });
  await mkdir(orthanc.storageDir, { recursive: true });
  await mkdir(orthanc.indexDir, { recursive: true });
  return false;
}

async function loadThroughStow(
  orthanc: OrthancInstance,
  site: DemoSite,
  folder: string,
  snapshot: { key: SnapshotKey; source: SiteSource; cacheRoot: string },
): Promise<void> {
  await orthanc.start();
  const stored = await stowFolder(`${orthanc.baseUrl}/dicom-web`, folder, { siteName: site.name }).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; Orthanc log ${orthanc.logPath}`, { cause: error });
  });
  const counted = await countInstances(orthanc);
  if (counted !== stored) {
    throw new Error(`launchHospitals: ${site.name} holds ${counted} instances after STOW-RS of ${stored} files (duplicate SOPInstanceUIDs?); log ${orthanc.logPath}`);
  }
  // Snapshot only from a cleanly stopped Orthanc: the SQLite index is consistent and unlocked.
  await orthanc.stop();
  await saveSnapshot(snapshot.key, orthanc, { ...snapshot.source, instanceCount: stored }, snapshot.cacheRoot);
  await orthanc.start();
}

async function launchSite(plan: LaunchPlan, site: DemoSite, root: string): Promise<OrthancInstance> {
  const folder = join(root, `site-${site.key}`);
  const orthanc = await createOrthanc({ name: site.siteId, folder });
  const key: SnapshotKey = {
    seed: plan.manifest.seed,
    generatorVersion: plan.manifest.generatorVersion,
    transferSyntax: plan.transferSyntax,
    siteKey: site.key,
  };
  const cacheRoot = plan.cacheRoot ?? HOSPITALS_CACHE_DIR;
  try {
    const source = await describeSource(plan.manifest, join(plan.demoDir, site.folder));
    if (await tryRestore(orthanc, key, source, cacheRoot)) return orthanc;
    const uploadFolder = await plan.siteFolder(site, join(folder, 'upload'));
    await loadThroughStow(orthanc, site, uploadFolder, { key, source, cacheRoot });
    await rm(join(folder, 'upload'), { recursive: true, force: true });
    return orthanc;
  } catch (error) {
    await orthanc.stop();
    throw error;
  }
}

/** After a failed start: drop the data but keep each Orthanc's log and config, which errors point to. */
async function keepOnlyLogs(root: string): Promise<void> {
  temporaryRoots.delete(root);
  for (const entry of await readdir(root)) {
    for (const data of ['storage', 'index', 'upload']) await rm(join(root, entry, data), { recursive: true, force: true });
  }
}

function siteOf(manifest: DemoManifest, key: DemoSiteKey): DemoSite {
  const site = manifest.sites.find((candidate) => candidate.key === key);
  if (!site) throw new Error(`launchHospitals: the demo manifest has no site "${key}"`);
  return site;
}

/** Starts the planned hospitals in parallel; on any failure stops those already running. */
export async function launchHospitals(plan: LaunchPlan): Promise<Hospitals> {
  removeTemporaryRootsOnExit();
  const parent = plan.baseDir ?? tmpdir();
  await mkdir(parent, { recursive: true });
  const root = await mkdtemp(join(parent, 'crossview-hospitals-'));
  temporaryRoots.add(root);
  const demoSites = plan.siteKeys.map((key) => siteOf(plan.manifest, key));
  const started = await Promise.allSettled(demoSites.map((site) => launchSite(plan, site, root)));
  const instances = new Map<DemoSiteKey, OrthancInstance>();
  started.forEach((result, i) => {
    const site = demoSites[i];
    if (result.status === 'fulfilled' && site) instances.set(site.key, result.value);
  });

  const stop = async (): Promise<void> => {
    await Promise.all([...instances.values()].map((orthanc) => orthanc.stop()));
    await rm(root, { recursive: true, force: true });
    temporaryRoots.delete(root);
  };

  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await Promise.all([...instances.values()].map((orthanc) => orthanc.stop()));
    await keepOnlyLogs(root);
    throw failure.reason;
  }

  const instanceOf = (key: DemoSiteKey): OrthancInstance => {
    const orthanc = instances.get(key);
    if (!orthanc) throw new Error(`Hospitals: site "${key}" was not started (started: ${[...instances.keys()].join(', ')})`);
    return orthanc;
  };
  const sites: HospitalSite[] = demoSites.map((site) => {
    const orthanc = instanceOf(site.key);
    return {
      key: site.key,
      siteId: site.siteId,
      name: site.name,
      issuer: site.issuer,
      port: orthanc.port,
      dicomwebUrl: `${orthanc.baseUrl}/dicom-web`,
      storageDir: orthanc.storageDir,
      logPath: orthanc.logPath,
    };
  });
  const parsed = parseConfig({
    sites: sites.map((site) => ({
      id: site.siteId,
      name: site.name,
      dicomweb: { url: site.dicomwebUrl },
      auth: { type: 'none' },
      patientIdIssuer: site.issuer,
    })),
    identity: { nationalIdIssuer: 'NHS' },
    auth: testAuthConfig(),
  });
  if (!parsed.ok) {
    await stop();
    throw new Error(`launchHospitals: generated config is invalid: ${parsed.errors.join('; ')}`);
  }

  return {
    sites,
    manifest: plan.manifest,
    demoDir: plan.demoDir,
    config: parsed.config,
    stopSite: (key) => instanceOf(key).stop(),
    startSite: async (key) => {
      const orthanc = instanceOf(key);
      if (!orthanc.isRunning()) await orthanc.start();
    },
    stop,
  };
}
