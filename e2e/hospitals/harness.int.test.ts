/**
 * The harness's own mechanics (STOW-RS load, storage snapshot, fallback, cleanup) proven on a
 * handful of tiny DICOM files, independent of the demo generator's large studies.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import type { DemoManifest, DemoSite, DemoSiteKey } from '../../src/demo/manifest';
import { launchHospitals, type LaunchPlan } from './harness';
import { snapshotDir } from './storageCache';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

function tinyInstance(studyUID: string, seriesUID: string, patientID: string): Buffer {
  const sopUID = DicomMetaDictionary.uid();
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: SECONDARY_CAPTURE,
    MediaStorageSOPInstanceUID: sopUID,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.826.0.1.3680043.10.1',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset({
    SOPClassUID: SECONDARY_CAPTURE,
    SOPInstanceUID: sopUID,
    StudyInstanceUID: studyUID,
    SeriesInstanceUID: seriesUID,
    PatientID: patientID,
    PatientName: 'HARNESS^TEST',
    Modality: 'OT',
    Rows: 4,
    Columns: 4,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PixelData: [new Uint8Array(16).buffer],
    _vrMap: { PixelData: 'OB' },
  });
  return Buffer.from(dict.write());
}

interface Fixture {
  manifest: DemoManifest;
  demoDir: string;
  studyUIDs: Record<DemoSiteKey, string>;
}

async function writeFixture(root: string, filesPerSite: number): Promise<Fixture> {
  const demoDir = join(root, 'demo');
  const keys: DemoSiteKey[] = ['a', 'b'];
  const sites: DemoSite[] = keys.map((key) => ({
    key,
    siteId: `test-${key}`,
    name: `Test Hospital ${key.toUpperCase()}`,
    issuer: `TEST-${key.toUpperCase()}`,
    localPatientId: `L${key}`,
    folder: `site-${key}`,
  }));
  const studyUIDs = { a: DicomMetaDictionary.uid(), b: DicomMetaDictionary.uid(), c: '' };
  for (const site of sites) {
    await mkdir(join(demoDir, site.folder), { recursive: true });
    const seriesUID = DicomMetaDictionary.uid();
    for (let i = 0; i < filesPerSite; i++) {
      await writeFile(join(demoDir, site.folder, `${i}.dcm`), tinyInstance(studyUIDs[site.key], seriesUID, site.localPatientId));
    }
  }
  const manifest: DemoManifest = {
    seed: 7,
    generatorVersion: 1,
    patient: { PatientName: 'HARNESS^TEST', PatientBirthDate: '19700101', PatientSex: 'O', nhsNumber: '9434765919' },
    sites,
    studies: [],
    ct: [],
    traps: [],
  };
  return { manifest, demoDir, studyUIDs };
}

/** Pids of processes whose command line mentions `folder` (an Orthanc started from a config there). */
async function processesUnder(folder: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const matches: number[] = [];
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(folder)) matches.push(Number(pid));
  }
  return matches;
}

async function studiesAt(dicomwebUrl: string): Promise<string[]> {
  const response = await fetch(`${dicomwebUrl}/studies`, { headers: { Accept: 'application/dicom+json' } });
  const studies = (await response.json()) as Record<string, { Value?: string[] }>[];
  return studies.map((study) => study['0020000D']?.Value?.[0] ?? '');
}

describe('test hospitals harness (tiny fixture)', () => {
  let root: string;
  let fixture: Fixture;
  let cacheRoot: string;

  beforeAll(async () => {
    dcmjs.log.setLevel('error');
    root = await mkdtemp(join(tmpdir(), 'crossview-harness-test-'));
    cacheRoot = join(root, 'cache');
    fixture = await writeFixture(root, 25);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const plan = (siteFolder: LaunchPlan['siteFolder']): LaunchPlan => ({
    manifest: fixture.manifest,
    demoDir: fixture.demoDir,
    siteKeys: ['a', 'b'],
    transferSyntax: 'as-generated',
    baseDir: join(root, 'run'),
    cacheRoot,
    siteFolder,
  });
  const fromDemo: LaunchPlan['siteFolder'] = async (site) => join(fixture.demoDir, site.folder);

  it('loads each site through STOW-RS on first start and snapshots its storage', async () => {
    const siteFolder = vi.fn(fromDemo);
    const hospitals = await launchHospitals(plan(siteFolder));
    try {
      expect(siteFolder).toHaveBeenCalledTimes(2);
      expect(new Set(hospitals.sites.map((site) => site.port)).size).toBe(2);
      for (const site of hospitals.sites) {
        expect(await studiesAt(site.dicomwebUrl)).toEqual([fixture.studyUIDs[site.key]]);
        const key = { seed: 7, generatorVersion: 1, transferSyntax: 'as-generated', siteKey: site.key };
        expect(await readdir(snapshotDir(key, cacheRoot))).toEqual(expect.arrayContaining(['index', 'storage', 'meta.json']));
      }
      expect(hospitals.config.sites.map((site) => site.dicomweb?.url)).toEqual(hospitals.sites.map((site) => site.dicomwebUrl));
    } finally {
      await hospitals.stop();
    }
  });

  it('starts later runs from the snapshot without uploading again', async () => {
    const siteFolder = vi.fn(fromDemo);
    const hospitals = await launchHospitals(plan(siteFolder));
    try {
      expect(siteFolder).not.toHaveBeenCalled();
      for (const site of hospitals.sites) expect(await studiesAt(site.dicomwebUrl)).toEqual([fixture.studyUIDs[site.key]]);
    } finally {
      await hospitals.stop();
    }
  });

  it('falls back to STOW-RS when the snapshot no longer matches the demo files', async () => {
    const folderA = join(fixture.demoDir, 'site-a');
    await writeFile(join(folderA, 'extra.dcm'), tinyInstance(fixture.studyUIDs.a, DicomMetaDictionary.uid(), 'La'));
    const siteFolder = vi.fn(fromDemo);
    const hospitals = await launchHospitals(plan(siteFolder));
    try {
      expect(siteFolder.mock.calls.map(([site]) => site.key)).toEqual(['a']);
      const statistics = await fetch(`${hospitals.sites[0]?.dicomwebUrl.replace('/dicom-web', '')}/statistics`);
      expect(((await statistics.json()) as { CountInstances: number }).CountInstances).toBe(26);
    } finally {
      await hospitals.stop();
    }
  });

  it('reloads when the demo was regenerated with the same number of files', async () => {
    const siteFolder = vi.fn(fromDemo);
    const regenerated = { ...plan(siteFolder), manifest: { ...fixture.manifest, patient: { ...fixture.manifest.patient, PatientName: 'OTHER^NAME' } } };
    const hospitals = await launchHospitals(regenerated);
    await hospitals.stop();
    expect(siteFolder.mock.calls.map(([site]) => site.key).sort()).toEqual(['a', 'b']);
  });

  it('stops a site so its port refuses, and restarts it with its data', async () => {
    const hospitals = await launchHospitals(plan(fromDemo));
    try {
      const siteB = hospitals.sites[1]!;
      await hospitals.stopSite('b');
      await expect(fetch(`${siteB.dicomwebUrl}/studies`)).rejects.toThrow();
      await hospitals.startSite('b');
      expect(await studiesAt(siteB.dicomwebUrl)).toEqual([fixture.studyUIDs.b]);
    } finally {
      await hospitals.stop();
    }
    expect(await processesUnder(join(root, 'run'))).toEqual([]);
    await expect(readdir(join(root, 'run'))).resolves.toEqual([]);
  });

  it('names the site and its kept log when Orthanc rejects an uploaded file, and leaves no Orthanc running', async () => {
    const broken = join(root, 'broken');
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, 'not-dicom.dcm'), 'this is not a DICOM file');
    const brokenPlan = { ...plan(async () => broken), transferSyntax: 'broken' };
    const failure = await launchHospitals(brokenPlan).catch((error: unknown) => error);
    expect(String(failure)).toMatch(/Test Hospital [AB]/);
    expect(await processesUnder(join(root, 'run'))).toEqual([]);
    // The data is gone but the Orthanc log the message points to is kept for reading.
    const logPath = /Orthanc log (\S+)/.exec(String(failure))?.[1] ?? '';
    expect(await readFile(logPath, 'utf8')).toContain('Orthanc');
    const [kept] = await readdir(join(root, 'run'));
    expect((await readdir(join(root, 'run', kept!, 'site-a'))).sort()).toEqual(['config.json', 'orthanc.log']);
  });
});
