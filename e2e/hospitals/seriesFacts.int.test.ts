/**
 * The series facts hanging protocols match on, asked the way the browser asks: one QIDO-RS
 * series query per study with the facts as includefields, through the gateway, once to real
 * Orthanc 1.10 (+ DICOMweb 1.7) hospitals and once to the folder-backed sites serving the same
 * files. Mammography hanging needs Laterality and ViewPosition at series level for the screening
 * patient's current study (site A) and her prior (site C).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MammogramTruth } from '../../src/demo/manifest';
import { demoConfig, startGateway, type Gateway } from '../../src/server/index';
import { startHospitals, type Hospitals } from './index';
import { workstationConfig } from './testAccounts';

/** BodyPartExamined, ProtocolName, Laterality, ImageLaterality, ViewPosition, ImageOrientationPatient. */
const SeriesFactFields = '00180015,00181030,00200060,00200062,00185101,00200037';
const Facts = { BodyPartExamined: '00180015', ProtocolName: '00181030', Laterality: '00200060', ImageLaterality: '00200062', ViewPosition: '00185101' } as const;

type DicomJson = Record<string, { vr: string; Value?: unknown[] } | undefined>;

let hospitals: Hospitals;
let viaOrthanc: Gateway;
let viaFolder: Gateway;

beforeAll(async () => {
  hospitals = await startHospitals();
  viaOrthanc = await startGateway({ config: workstationConfig(hospitals.config), port: 0, log: () => {} });
  viaFolder = await startGateway({ config: workstationConfig(demoConfig(hospitals.manifest, hospitals.demoDir)), port: 0, log: () => {} });
});

afterAll(async () => {
  await viaOrthanc?.close();
  await viaFolder?.close();
  await hospitals?.stop();
});

/** Each series of the study as { SeriesInstanceUID: { fact: value } }, from one series query. */
async function seriesFacts(gateway: Gateway, siteId: string, StudyInstanceUID: string): Promise<Record<string, Record<string, string>>> {
  const url = `${gateway.url}/sites/${siteId}/dicom-web/studies/${StudyInstanceUID}/series?includefield=${SeriesFactFields}`;
  const response = await fetch(url, { headers: { accept: 'application/dicom+json' } });
  expect(response.status, url).toBe(200);
  const rows = (await response.json()) as DicomJson[];
  return Object.fromEntries(
    rows.map((row) => [
      String(row['0020000E']?.Value?.[0]),
      Object.fromEntries(Object.entries(Facts).flatMap(([name, tag]) => (row[tag]?.Value?.[0] === undefined ? [] : [[name, String(row[tag]?.Value?.[0])]]))),
    ]),
  );
}

function expected(images: readonly MammogramTruth[]): Record<string, Record<string, string>> {
  return Object.fromEntries(
    images.map((image) => [
      image.SeriesInstanceUID,
      { BodyPartExamined: 'BREAST', ProtocolName: 'Screening mammography', Laterality: image.Laterality, ImageLaterality: image.Laterality, ViewPosition: image.ViewPosition },
    ]),
  );
}

describe('series facts for hanging over QIDO-RS', () => {
  for (const studyKey of ['mg-current', 'mg-prior'] as const) {
    it(`${studyKey}: Orthanc and the folder site both return Laterality and ViewPosition per MG series at series level`, async () => {
      const { manifest } = hospitals;
      const study = manifest.studies.find((s) => s.key === studyKey)!;
      const siteId = manifest.sites.find((s) => s.key === study.siteKey)!.siteId;
      const images = manifest.screening!.images.filter((i) => i.studyKey === studyKey);
      expect(images.map((i) => `${i.Laterality} ${i.ViewPosition}`)).toEqual(['R CC', 'L CC', 'R MLO', 'L MLO']);
      const [orthanc, folder] = await Promise.all([seriesFacts(viaOrthanc, siteId, study.StudyInstanceUID), seriesFacts(viaFolder, siteId, study.StudyInstanceUID)]);
      expect(folder, 'folder site').toEqual(expected(images));
      expect(orthanc, 'Orthanc').toEqual(expected(images));
    });
  }
});
