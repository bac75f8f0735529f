/**
 * The embedded demo must behave like a real PACS: the same demo files are served once by real
 * Orthanc hospitals (loaded through STOW-RS, reached through the proxy) and once by folder
 * sites, and a table of QIDO queries must find the same studies/series/instances with the same
 * values. Intentional differences (asserted below, so they stay known):
 * - a multi-valued OtherPatientIDs matches when ANY value matches (PS3.4); Orthanc 1.10 compares
 *   the whole value, so only single-valued elements are compared here;
 * - the folder site adds TransferSyntaxUID (0002,0010) to metadata, which Orthanc omits, and
 *   gives compressed PixelData a BulkDataURI where Orthanc 1.10 leaves the element out;
 * - the folder site may return default attributes Orthanc leaves out; every attribute Orthanc
 *   returns must be present with the same value;
 * - Orthanc matches identifier attributes (PatientID, AccessionNumber, UIDs, descriptions)
 *   case-insensitively; the folder site does so only for PatientName, as PS3.4 C.2.2.2.1 says.
 *   The table therefore uses values in their stored case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHospitals, type Hospitals } from '../../e2e/hospitals/index';
import { boundaryOf, demoConfig, parseMultipart, startGateway, type Gateway, type ParsedPart } from './index';
import { workstationConfig } from '../../e2e/hospitals/testAccounts';

type DicomJson = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string; InlineBinary?: string }>;

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

async function both(siteId: string, path: string): Promise<[DicomJson[], DicomJson[]]> {
  const get = async (gateway: Gateway) => {
    const res = await fetch(`${gateway.url}/sites/${siteId}/dicom-web/${path}`, { headers: { accept: 'application/dicom+json' } });
    expect(res.status, `${siteId} ${path} via ${gateway.url}`).toBe(200);
    const text = await res.text();
    // Both gateways rewrite URLs to themselves; make them comparable.
    return JSON.parse(text.replaceAll(gateway.url, 'GATEWAY')) as DicomJson[];
  };
  return [await get(viaOrthanc), await get(viaFolder)];
}

const LEVEL_UID: Record<string, string> = { studies: '0020000D', series: '0020000E', instances: '00080018' };
function levelOf(path: string): string {
  const resource = path.split('?')[0]!.split('/').pop()!;
  return LEVEL_UID[resource] ?? '0020000D';
}
const uid = (row: DicomJson, tag: string) => String(row[tag]?.Value?.[0]);

/** Same set of records; for each, every attribute Orthanc returns has the same value from the folder site. */
function expectSameAnswers(orthanc: DicomJson[], folder: DicomJson[], uidTag: string, label: string): void {
  expect(folder.map((r) => uid(r, uidTag)).sort(), label).toEqual(orthanc.map((r) => uid(r, uidTag)).sort());
  const folderByUid = new Map(folder.map((r) => [uid(r, uidTag), r]));
  for (const row of orthanc) {
    const mine = folderByUid.get(uid(row, uidTag)) ?? {};
    for (const [tag, element] of Object.entries(row)) {
      expect(mine[tag], `${label}: ${uid(row, uidTag)} ${tag}`).toEqual(element);
    }
  }
}

describe('folder-backed site and Orthanc', () => {
  it('folder-backed site and Orthanc answer the same QIDO queries with the same studies', async () => {
    const { manifest } = hospitals;
    const nhs = manifest.patient.nhsNumber;
    const prefix = manifest.patient.PatientName.slice(0, 4).toLowerCase();
    const ctCurrent = manifest.studies.find((s) => s.key === 'ct-current')!;
    const mr = manifest.studies.find((s) => s.key === 'mr-brain')!;
    const queriesFor = (siteKey: string): string[] => {
      const site = manifest.sites.find((s) => s.key === siteKey)!;
      const studies = manifest.studies.filter((s) => s.siteKey === siteKey);
      const first = studies[0]!;
      const series = first.series[0]!;
      return [
        'studies',
        `studies?PatientID=${site.localPatientId}&IssuerOfPatientID=${site.issuer}`,
        `studies?PatientID=${site.localPatientId}&IssuerOfPatientID=WRONG`,
        `studies?00101000=${nhs}`,
        `studies?00101000=${nhs}&includefield=00101000&includefield=IssuerOfPatientID`,
        `studies?PatientName=${prefix}*`,
        // Raw `^`, as browsers send it: Orthanc 1.10 does not decode `%5E` in QIDO values.
        `studies?PatientName=${manifest.patient.PatientName}`,
        `studies?PatientName=${manifest.patient.PatientName.toLowerCase()}`,
        `studies?PatientBirthDate=${manifest.patient.PatientBirthDate}`,
        `studies?StudyDate=20240101-20251231`,
        `studies?StudyDate=20250301-`,
        `studies?StudyDate=-20250101`,
        `studies?StudyDate=${first.StudyDate}`,
        `studies?ModalitiesInStudy=CT`,
        `studies?ModalitiesInStudy=MR`,
        `studies?StudyInstanceUID=${first.StudyInstanceUID}`,
        `studies?StudyInstanceUID=${studies.map((s) => s.StudyInstanceUID).join(',')}`,
        `studies?StudyInstanceUID=${first.StudyInstanceUID}&includefield=StudyDescription,00080090`,
        `studies/${first.StudyInstanceUID}/series`,
        `studies/${first.StudyInstanceUID}/series?Modality=${series.Modality}`,
        `series?Modality=${series.Modality}`,
        `series?SeriesInstanceUID=${series.SeriesInstanceUID}`,
        `studies/${first.StudyInstanceUID}/series/${series.SeriesInstanceUID}/instances`,
        `studies/${first.StudyInstanceUID}/series/${series.SeriesInstanceUID}/instances?includefield=00200032`,
      ];
    };
    let compared = 0;
    for (const site of manifest.sites) {
      for (const query of queriesFor(site.key)) {
        const [orthanc, folder] = await both(site.siteId, query);
        expectSameAnswers(orthanc, folder, levelOf(query), `${site.siteId} ${query}`);
        compared += orthanc.length;
      }
    }
    expect(compared).toBeGreaterThan(50);
    // The table exercises real matches, not just empty answers on both sides.
    const [byNhs] = await both('site-a', `studies?00101000=${nhs}`);
    expect(byNhs.map((r) => uid(r, '0020000D'))).toContain(ctCurrent.StudyInstanceUID);
    const [mrSeries] = await both('site-b', 'series?Modality=MR');
    // Every MR series the demo files at site B (the MR head's sequences and the MR thorax).
    const mrAtB = manifest.studies.filter((s) => s.siteKey === 'b').flatMap((s) => s.series.filter((series) => series.Modality === 'MR'));
    expect(mr.series.length).toBeGreaterThan(0);
    expect(mrSeries.length).toBe(mrAtB.length);
  });

  it('serves the same metadata tags and values as Orthanc for every instance of every study', async () => {
    for (const study of hospitals.manifest.studies) {
      const siteId = hospitals.manifest.sites.find((s) => s.key === study.siteKey)!.siteId;
      const [orthanc, folder] = await both(siteId, `studies/${study.StudyInstanceUID}/metadata`);
      expect(folder.length, study.key).toBe(orthanc.length);
      const folderByUid = new Map(folder.map((r) => [uid(r, '00080018'), r]));
      for (const row of orthanc) {
        const mine = folderByUid.get(uid(row, '00080018'));
        expect(mine, `${study.key} instance`).toBeDefined();
        if (!mine) continue;
        const orthancTags = Object.keys(row).sort();
        const extra = (tag: string) => tag === '00020010' || (tag === '7FE00010' && !row[tag] && Boolean(mine[tag]?.BulkDataURI));
        expect(Object.keys(mine).filter((tag) => !extra(tag)).sort(), study.key).toEqual(orthancTags);
        expect(mine['00020010']?.Value?.[0]).toBe(study.series.find((s) => s.SeriesInstanceUID === uid(row, '0020000E'))?.transferSyntaxUID);
        for (const tag of orthancTags) {
          const theirs = row[tag]!;
          if (theirs.BulkDataURI) expect(mine[tag]?.BulkDataURI, `${study.key} ${tag}`).toMatch(/^GATEWAY\/sites\//);
          else expect(mine[tag], `${study.key} ${tag}`).toEqual(theirs);
        }
      }
    }
  });
});

describe('folder-backed frames', () => {
  it('serves the first frame of every image series with the same bytes and transfer syntax as Orthanc', async () => {
    const accept = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
    let checked = 0;
    for (const study of hospitals.manifest.studies) {
      const siteId = hospitals.manifest.sites.find((s) => s.key === study.siteKey)!.siteId;
      for (const series of study.series.filter((s) => ['CT', 'MR', 'US', 'CR'].includes(s.Modality))) {
        const [instances] = await both(siteId, `studies/${study.StudyInstanceUID}/series/${series.SeriesInstanceUID}/instances`);
        const sop = uid(instances[0]!, '00080018');
        const path = `studies/${study.StudyInstanceUID}/series/${series.SeriesInstanceUID}/instances/${sop}/frames/1`;
        const parts = await Promise.all(
          [viaOrthanc, viaFolder].map(async (gateway) => {
            const res = await fetch(`${gateway.url}/sites/${siteId}/dicom-web/${path}`, { headers: { accept } });
            expect(res.status).toBe(200);
            return parseMultipart(Buffer.from(await res.arrayBuffer()), boundaryOf(res.headers.get('content-type') ?? '') ?? '');
          }),
        );
        const [orthanc, folder] = parts as [ParsedPart[], ParsedPart[]];
        expect(folder.length, path).toBe(1);
        expect(folder[0]!.body.equals(orthanc[0]!.body), `${study.key} ${series.Modality} frame bytes`).toBe(true);
        expect(folder[0]!.headers['content-type']).toContain(`transfer-syntax=${series.transferSyntaxUID}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });
});

describe('/api/sites', () => {
  it('/api/sites reports ok for live sites and down for a stopped one', async () => {
    const list = async () => (await (await fetch(`${viaOrthanc.url}/api/sites`)).json()) as { sites: { id: string; status: { state: string } }[] };
    expect((await list()).sites.map((s) => s.status.state)).toEqual(['ok', 'ok', 'ok']);
    const stopped = hospitals.sites.find((s) => s.key === 'c')!;
    await hospitals.stopSite('c');
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_100)); // past the status cache
      const after = await list();
      expect(after.sites.map((s) => [s.id, s.status.state])).toEqual(
        hospitals.sites.map((s) => [s.siteId, s.siteId === stopped.siteId ? 'down' : 'ok']),
      );
      const folderList = (await (await fetch(`${viaFolder.url}/api/sites`)).json()) as { sites: { status: { state: string } }[] };
      expect(folderList.sites.map((s) => s.status.state)).toEqual(['ok', 'ok', 'ok']);
    } finally {
      await hospitals.startSite('c');
    }
  });
});
