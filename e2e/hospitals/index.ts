/**
 * Test hospitals: three real Orthanc servers (Debian `orthanc` + `orthanc-dicomweb`, started by
 * hand, never systemd) on free loopback ports, each holding its hospital's share of the demo
 * patient, loaded through STOW-RS. Used by `npm run hospitals` and by integration and e2e tests;
 * there are no DICOMweb mocks in those suites.
 *
 * Seeded storage cache: test runs start hospitals many times, and uploading ~300 instances each
 * time would dominate CI. The first load of a (seed, generatorVersion, transferSyntax, site)
 * always goes through STOW-RS; then the Orthanc is stopped cleanly and its storage and index
 * folders are copied to `.cache/hospitals/seed<seed>-v<version>-<syntax>/site-<key>/`. Later
 * starts copy that snapshot into a fresh temporary storage folder and check `/statistics`
 * against the number of demo files; any mismatch (or an Orthanc that will not open the copy)
 * discards the snapshot and falls back to STOW-RS. Delete `.cache/hospitals` to force a reload.
 *
 * With `transferSyntax`, the demo is first transcoded with Debian's codecs (cached in
 * `.cache/hospitals/transcoded/`), and `manifest` names the syntax each series is stored in.
 *
 * Every Orthanc is stopped by `stop()`, and killed if the process exits or is interrupted first.
 *
 * @example
 * const hospitals = await startHospitals();
 * try {
 *   const url = hospitals.sites[0].dicomwebUrl; // http://127.0.0.1:<port>/dicom-web
 * } finally {
 *   await hospitals.stop();
 * }
 */
import { join } from 'node:path';
import { ensureDemoData, type DemoSiteKey, type TransferSyntaxName } from '../../src/demo/index';
import { launchHospitals, type Hospitals } from './harness';
import { transcodedDemo } from './transcodedDemo';

export type { HospitalSite, Hospitals } from './harness';
export { HOSPITALS_CACHE_DIR } from './storageCache';

export interface StartHospitalsOptions {
  /** Demo generator seed (default: the generator's default). */
  seed?: number;
  /** Which hospitals to start (default all three). */
  siteKeys?: DemoSiteKey[];
  /** Load the demo files transcoded to this transfer syntax (default: as generated). */
  transferSyntax?: TransferSyntaxName;
  /** Parent folder for the temporary Orthanc storage (default: the OS temp folder). */
  baseDir?: string;
}

/** Starts the test hospitals with the demo patient's data; resolves once every one answers. */
export async function startHospitals(options: StartHospitalsOptions = {}): Promise<Hospitals> {
  const generated = await ensureDemoData(options.seed === undefined ? {} : { seed: options.seed });
  const syntax = options.transferSyntax;
  const demo = syntax === undefined ? generated : await transcodedDemo(generated, syntax);
  return launchHospitals({
    manifest: demo.manifest,
    demoDir: demo.dir,
    siteKeys: options.siteKeys ?? ['a', 'b', 'c'],
    transferSyntax: syntax ?? 'as-generated',
    baseDir: options.baseDir,
    siteFolder: async (site) => join(demo.dir, site.folder),
  });
}
