/**
 * The patient index against the real test hospitals (three Orthanc servers with the demo
 * patient) and against the embedded folder-backed demo: what the indexer finds, what the
 * proxy tap learns, and what `GET /api/patients` answers.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHospitals, type Hospitals } from '../../../e2e/hospitals/index';
import { parseConfig, PatientIndexResponseSchema, type CrossviewConfig, type PatientIndexResponse } from '../../contracts/index';
import type { DemoStudy } from '../../demo/index';
import { demoConfig, startGateway, type Gateway } from '../index';

let hospitals: Hospitals;
let gateway: Gateway;
const logs: string[] = [];

function withIndexer(config: CrossviewConfig, extraSites: unknown[] = []): CrossviewConfig {
  // The schedule is off: passes run when a test asks, so answers do not change under it.
  const parsed = parseConfig({ ...config, sites: [...config.sites, ...extraSites], indexer: { enabled: false }, auth: { mode: 'none' } });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function ask(target: Gateway, query: Record<string, string>): Promise<PatientIndexResponse> {
  const response = await fetch(`${target.url}/api/patients?${new URLSearchParams(query)}`);
  expect(response.status).toBe(200);
  return PatientIndexResponseSchema.parse(await response.json());
}

const studyKeys = (answer: PatientIndexResponse, studies: DemoStudy[]) =>
  answer.entries.map((e) => `${studies.find((s) => s.StudyInstanceUID === e.StudyInstanceUID)?.key ?? '?'}@${e.siteId}:${e.match}`).sort();

beforeAll(async () => {
  hospitals = await startHospitals();
  const down = { id: 'site-down', name: 'Switched-off Hospital', dicomweb: { url: `http://127.0.0.1:${await closedPort()}/dicom-web` }, patientIdIssuer: 'OFF', timeoutMs: 2000 };
  gateway = await startGateway({ config: withIndexer(hospitals.config, [down]), port: 0, staticDir: '/nonexistent', log: (line) => logs.push(line) });
});
afterAll(async () => {
  await gateway?.close();
  await hospitals?.stop();
});

describe('patient index over the Orthanc hospitals', () => {
  it('indexes every study of every live site and records why a down site failed, without stopping the others', async () => {
    const status = await gateway.runIndexerOnce();
    const { manifest } = hospitals;
    for (const site of manifest.sites) {
      expect(status.sites[site.siteId], site.siteId).toEqual({ studies: manifest.studies.filter((s) => s.siteKey === site.key).length });
    }
    expect(status.sites['site-down']?.studies).toBe(0);
    expect(status.sites['site-down']?.lastError).toMatch(/Switched-off Hospital refused the connection/);
    expect(status.state).toBe('disabled');
    expect(status.lastCompletedAt).toBeDefined();
    // Counts only: no patient name, ID or NHS number in the log.
    const logged = logs.join('\n');
    for (const secret of [manifest.patient.nhsNumber, manifest.patient.PatientName, manifest.sites[0]!.localPatientId]) expect(logged).not.toContain(secret);
  });

  it('finds by NHS number the record whose number sits only in OtherPatientIDsSequence and the one written with spaces', async () => {
    const { manifest } = hospitals;
    const nhs = manifest.patient.nhsNumber;
    const spaced = `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;
    const answer = await ask(gateway, { nationalId: spaced });
    expect(answer.query).toEqual({ nationalId: nhs });
    expect(studyKeys(answer, manifest.studies)).toEqual(
      manifest.studies
        .filter((s) => s.person === 'patient' && s.identityForm !== 'demographics-only')
        .map((s) => `${s.key}@${manifest.sites.find((site) => site.key === s.siteKey)!.siteId}:national-id`)
        .sort(),
    );
    expect(studyKeys(answer, manifest.studies)).toEqual(expect.arrayContaining(['xr-sequence-only@site-b:national-id', 'xr-spaced-nhs@site-c:national-id']));
    const sequenceOnly = answer.entries.find((e) => e.siteId === 'site-b' && e.StudyInstanceUID === manifest.studies.find((s) => s.key === 'xr-sequence-only')!.StudyInstanceUID);
    expect(sequenceOnly).toMatchObject({ PatientID: manifest.sites[1]!.localPatientId, IssuerOfPatientID: 'RDH', nationalIds: [nhs], metadataSeen: true, source: 'indexer' });

    // What the index adds: Orthanc's own OtherPatientIDs match misses the spaced record.
    const siteC = hospitals.sites.find((s) => s.key === 'c')!;
    const orthanc = (await (await fetch(`${siteC.dicomwebUrl}/studies?00101000=${nhs}`)).json()) as Record<string, { Value?: string[] }>[];
    const spacedUid = manifest.studies.find((s) => s.key === 'xr-spaced-nhs')!.StudyInstanceUID;
    expect(orthanc.map((study) => study['0020000D']?.Value?.[0])).not.toContain(spacedUid);
  });

  it('returns the demographics-only record only to a name and birth date question, and only as approximate', async () => {
    const { manifest } = hospitals;
    const answer = await ask(gateway, { PatientName: manifest.patient.PatientName, PatientBirthDate: manifest.patient.PatientBirthDate });
    const keys = studyKeys(answer, manifest.studies);
    expect(keys).toContain('xr-demographics-only@site-a:demographics-approximate');
    expect(keys.filter((k) => k.startsWith('xr-demographics-only'))).toHaveLength(1);
    // Same name and birth date, another NHS number: returned as evidence, never linked here.
    expect(keys).toContain('trap-same-demographics@site-a:demographics');
    expect(keys).not.toContain('hostile-name@site-c:demographics');
  });

  it('finds a local ID only with its issuer, and keeps the traps and the hostile record out of the national ID answer', async () => {
    const { manifest } = hospitals;
    const siteC = manifest.sites.find((s) => s.key === 'c')!;
    const byIssuer = await ask(gateway, { PatientID: siteC.localPatientId, IssuerOfPatientID: 'MII' });
    expect(studyKeys(byIssuer, manifest.studies)).toEqual(['us-abdomen@site-c:issuer-id', 'xr-spaced-nhs@site-c:issuer-id']);
    const trap = await ask(gateway, { PatientID: siteC.localPatientId, IssuerOfPatientID: 'RDH' });
    expect(studyKeys(trap, manifest.studies)).toEqual(['trap-same-local-id@site-b:issuer-id']);

    const byNhs = studyKeys(await ask(gateway, { nationalId: manifest.patient.nhsNumber }), manifest.studies);
    for (const key of ['trap-same-local-id', 'trap-same-demographics', 'hostile-name']) expect(byNhs.join()).not.toContain(key);
    const hostile = await ask(gateway, { nationalId: manifest.hostile!.person.nhsNumber });
    expect(hostile.entries.map((e) => e.PatientName)).toEqual(['<img src=x onerror=alert(1)>']);
  });

  it('answers 400 with a reason to a bad question', async () => {
    for (const query of ['nationalId=9990764876', 'PatientID=123', 'PatientName=X&PatientBirthDate=1966', 'limit=1', '']) {
      const response = await fetch(`${gateway.url}/api/patients?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: string }).error, query).toMatch(/nationalId|PatientID|unknown/);
    }
  });

  it('learns from study metadata a browser fetches through the gateway, before any indexer pass', async () => {
    const fresh = await startGateway({ config: withIndexer(hospitals.config), port: 0, staticDir: '/nonexistent', log: () => {} });
    try {
      const { manifest } = hospitals;
      const study = manifest.studies.find((s) => s.key === 'xr-sequence-only')!;
      expect((await ask(fresh, { nationalId: manifest.patient.nhsNumber })).entries).toEqual([]);
      const metadata = await fetch(`${fresh.url}/sites/site-b/dicom-web/studies/${study.StudyInstanceUID}/metadata`);
      const body = (await metadata.json()) as unknown[];
      expect(body.length).toBe(1);
      await expect
        .poll(async () => (await ask(fresh, { nationalId: manifest.patient.nhsNumber })).entries.map((e) => [e.siteId, e.StudyInstanceUID, e.source, e.metadataSeen]))
        .toEqual([['site-b', study.StudyInstanceUID, 'proxy', true]]);
    } finally {
      await fresh.close();
    }
  });
});

describe('patient index over the embedded folder demo', () => {
  it('learns from metadata a folder site serves, and indexes the same entries from the folder-backed sites as from Orthanc', async () => {
    const { manifest, demoDir } = hospitals;
    const folders = await startGateway({ config: withIndexer(demoConfig(manifest, demoDir)), port: 0, staticDir: '/nonexistent', log: () => {} });
    try {
      // Folder sites feed the tap too: series metadata served from disk, before any pass.
      const spaced = manifest.studies.find((s) => s.key === 'xr-spaced-nhs')!;
      await (await fetch(`${folders.url}/sites/site-c/dicom-web/studies/${spaced.StudyInstanceUID}/series/${spaced.series[0]!.SeriesInstanceUID}/metadata`)).arrayBuffer();
      await expect
        .poll(async () => (await ask(folders, { nationalId: manifest.patient.nhsNumber })).entries.map((e) => [e.siteId, e.StudyInstanceUID, e.source]))
        .toEqual([['site-c', spaced.StudyInstanceUID, 'proxy']]);

      const status = await folders.runIndexerOnce();
      expect(Object.values(status.sites).map((s) => s.lastError)).toEqual([undefined, undefined, undefined]);
      const comparable = (answer: PatientIndexResponse) =>
        answer.entries.map(({ siteId, StudyInstanceUID, PatientID, IssuerOfPatientID, nationalIds, PatientName, PatientBirthDate, PatientSex, StudyDate, ModalitiesInStudy, match }) =>
          ({ siteId, StudyInstanceUID, PatientID, IssuerOfPatientID, nationalIds, PatientName, PatientBirthDate, PatientSex, StudyDate, ModalitiesInStudy, match }));
      const questions: Record<string, string>[] = [
        { nationalId: manifest.patient.nhsNumber },
        { PatientName: manifest.patient.PatientName, PatientBirthDate: manifest.patient.PatientBirthDate },
        { nationalId: manifest.hostile!.person.nhsNumber },
      ];
      for (const question of questions) {
        const fromFolders = comparable(await ask(folders, question));
        expect(fromFolders.length).toBeGreaterThan(0);
        expect(fromFolders).toEqual(comparable(await ask(gateway, question)));
      }
    } finally {
      await folders.close();
    }
  });
});
