/**
 * The three test hospitals as the rest of the suites see them: real Orthanc servers, each holding
 * exactly its share of the demo patient (and the identity traps), answering QIDO-RS the way
 * Orthanc 1.10 really does, including where it does not filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSiteKey, DemoStudy } from '../../src/demo/index';
import { startHospitals, type HospitalSite, type Hospitals } from './index';

const STUDY_INSTANCE_UID = '0020000D';

/** StudyInstanceUIDs a QIDO-RS studies query returns at one site, sorted. */
async function qidoStudies(site: HospitalSite, query: Record<string, string> = {}): Promise<string[]> {
  const url = new URL(`${site.dicomwebUrl}/studies`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const response = await fetch(url, { headers: { Accept: 'application/dicom+json' } });
  expect(response.status, `${site.name} ${url.search}`).toBe(200);
  const studies = (await response.json()) as Record<string, { Value?: string[] } | undefined>[];
  return studies.map((study) => study[STUDY_INSTANCE_UID]?.Value?.[0] ?? '').sort();
}

describe('test hospitals (real Orthanc with the demo patient)', () => {
  let hospitals: Hospitals;

  beforeAll(async () => {
    hospitals = await startHospitals();
  });
  afterAll(async () => {
    await hospitals?.stop();
  });

  const site = (key: DemoSiteKey): HospitalSite => {
    const found = hospitals.sites.find((candidate) => candidate.key === key);
    if (!found) throw new Error(`no site ${key}`);
    return found;
  };
  const studiesOf = (key: DemoSiteKey, person?: 'patient', forms: (DemoStudy['identityForm'] | undefined)[] = [undefined]) =>
    hospitals.manifest.studies
      .filter((study) => study.siteKey === key && (person === undefined || (study.person === person && forms.includes(study.identityForm))))
      .map((study) => study.StudyInstanceUID)
      .sort();

  it('runs three hospitals on distinct loopback ports with a config that points at them', () => {
    expect(hospitals.sites.map((s) => s.key)).toEqual(['a', 'b', 'c']);
    expect(new Set(hospitals.sites.map((s) => s.port)).size).toBe(3);
    for (const s of hospitals.sites) expect(s.dicomwebUrl).toBe(`http://127.0.0.1:${s.port}/dicom-web`);
    expect(hospitals.config.sites.map((s) => [s.id, s.dicomweb?.url, s.patientIdIssuer])).toEqual(
      hospitals.sites.map((s) => [s.siteId, s.dicomwebUrl, s.issuer]),
    );
  });

  it("holds exactly each hospital's share of the demo studies, identity traps included", async () => {
    const traps = hospitals.manifest.studies.filter((study) => study.person !== 'patient');
    expect(traps.length).toBeGreaterThanOrEqual(2);
    for (const key of ['a', 'b', 'c'] as const) {
      expect(await qidoStudies(site(key)), site(key).name).toEqual(studiesOf(key));
    }
  });

  it("finds only the patient's studies by OtherPatientIDs tag (00101000=<NHS number>)", async () => {
    const nhs = hospitals.manifest.patient.nhsNumber;
    for (const key of ['a', 'b', 'c'] as const) {
      const expected = studiesOf(key, 'patient');
      expect(expected.length).toBeGreaterThan(0);
      expect(await qidoStudies(site(key), { '00101000': nhs }), site(key).name).toEqual(expected);
    }
  });

  it('filters by PatientID qualified with IssuerOfPatientID', async () => {
    for (const demoSite of hospitals.manifest.sites) {
      const query = { PatientID: demoSite.localPatientId, IssuerOfPatientID: demoSite.issuer };
      expect(await qidoStudies(site(demoSite.key), query), demoSite.name).toEqual(studiesOf(demoSite.key, 'patient', [undefined, 'sequence-only', 'spaced-nhs']));
    }
    // The trap at site B has our patient's site-C local ID: the issuer tells them apart.
    const trap = hospitals.manifest.traps.find((t) => t.key === 'trap-same-local-id');
    const siteC = hospitals.manifest.sites.find((s) => s.key === 'c');
    expect(trap?.PatientID).toBe(siteC?.localPatientId);
    const trapStudies = hospitals.manifest.studies.filter((s) => s.person === 'trap-same-local-id').map((s) => s.StudyInstanceUID);
    expect(await qidoStudies(site('b'), { PatientID: trap!.PatientID, IssuerOfPatientID: trap!.IssuerOfPatientID })).toEqual(trapStudies.sort());
    expect(await qidoStudies(site('b'), { PatientID: siteC!.localPatientId, IssuerOfPatientID: siteC!.issuer })).toEqual([]);
  });

  it('Orthanc ignores unsupported keys and returns every study', async () => {
    // Why identity is re-checked in our own code: a keyword query on OtherPatientIDs, or a
    // sequence match on OtherPatientIDsSequence, comes back unfiltered from Orthanc 1.10.
    const nhs = hospitals.manifest.patient.nhsNumber;
    for (const key of ['a', 'b'] as const) {
      const everything = studiesOf(key);
      expect(everything.length).toBeGreaterThan(studiesOf(key, 'patient').length);
      expect(await qidoStudies(site(key), { OtherPatientIDs: nhs })).toEqual(everything);
      expect(await qidoStudies(site(key), { '00101002.00100020': nhs })).toEqual(everything);
    }
  });

  it('stopSite makes the port refuse connections; startSite brings it back with its data', async () => {
    const siteC = site('c');
    await hospitals.stopSite('c');
    await expect(fetch(`${siteC.dicomwebUrl}/studies`)).rejects.toThrow();
    await hospitals.startSite('c');
    expect(await qidoStudies(siteC)).toEqual(studiesOf('c'));
  });
});
