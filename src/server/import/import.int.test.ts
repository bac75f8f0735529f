/**
 * `/api/imports` against the real test hospitals (three Orthanc): the demo CD's files are staged
 * and committed to site A under the A local ID (matched by NHS number), a demographics-only match
 * needs its own confirmation, an ambiguous one is refused, an unfinished staging stores nothing,
 * and the permission and CSRF rules hold. The browser side is e2e/import.e2e.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHospitals, type Hospitals } from '../../../e2e/hospitals/index';
import { signInForFetch, TestAccounts } from '../../../e2e/hospitals/testAccounts';
import { AuditResponseSchema, ImportPlanSchema, ImportResultSchema, type DicomJsonDataset, type ImportPlan } from '../../contracts/index';
import type { DemoCdTruth } from '../../demo/manifest';
import { startGateway, type Gateway } from '../index';

let hospitals: Hospitals;
let gateway: Gateway;
let reader: { cookie: string; csrfToken: string };
let cd: DemoCdTruth;
let files: { SOPInstanceUID: string; bytes: Buffer }[];
/** The CD's patient module as the browser sends it (DICOM JSON of group 0010). */
let patient: DicomJsonDataset;

beforeAll(async () => {
  hospitals = await startHospitals();
  gateway = await startGateway({ config: hospitals.config, port: 0, staticDir: '/nonexistent', log: () => {} });
  reader = await signInForFetch(gateway.url);
  if (!hospitals.manifest.cd) throw new Error('the demo manifest has no CD');
  cd = hospitals.manifest.cd;
  files = await Promise.all(cd.files.map(async (f) => ({ SOPInstanceUID: f.SOPInstanceUID, bytes: await readFile(join(hospitals.demoDir, cd.folder, f.file)) })));
  const first = files[0]!.bytes;
  const dict = dcmjs.data.DicomMessage.readFile(new Uint8Array(first).buffer).dict as DicomJsonDataset;
  patient = Object.fromEntries(Object.entries(dict).filter(([tag]) => tag.startsWith('0010')).map(([tag, element]) => [tag, { vr: element.vr, ...(element.Value ? { Value: element.Value } : {}) }]));
});
afterAll(async () => {
  await gateway?.close();
  await hospitals?.stop();
});

const siteOf = (key: 'a' | 'b' | 'c') => hospitals.manifest.sites.find((s) => s.key === key)!;
const orthancUrl = (key: 'a' | 'b' | 'c') => hospitals.sites.find((s) => s.key === key)!.dicomwebUrl;

function call(method: string, path: string, body?: unknown, session = reader, csrf = true): Promise<Response> {
  const binary = body instanceof Uint8Array;
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      ...(csrf ? { 'x-csrf-token': session.csrfToken } : {}),
      ...(body === undefined ? {} : { 'content-type': binary ? 'application/dicom' : 'application/json' }),
    },
    ...(body === undefined ? {} : { body: binary ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body) }),
  });
}

async function plan(toSiteId: string, patientModule = patient, session = reader): Promise<{ status: number; plan?: ImportPlan }> {
  const response = await call('POST', '/api/imports', { toSiteId, StudyInstanceUID: cd.StudyInstanceUID, patient: patientModule, instanceCount: files.length }, session);
  if (response.status !== 201) return { status: response.status };
  return { status: 201, plan: ImportPlanSchema.parse(await response.json()) };
}

async function stageAll(id: string): Promise<void> {
  for (const file of files) {
    const response = await call('PUT', `/api/imports/${id}/instances/${file.SOPInstanceUID}`, new Uint8Array(file.bytes));
    expect(response.status, await response.clone().text()).toBe(200);
  }
}

/** Studies with the CD's StudyInstanceUID at a site's Orthanc, asked directly (not through the gateway). */
async function cdStudyAt(key: 'a' | 'b' | 'c'): Promise<DicomJsonDataset[]> {
  const response = await fetch(`${orthancUrl(key)}/studies?StudyInstanceUID=${cd.StudyInstanceUID}&includefield=00100020,00100021,00101002,00201208`, { headers: { accept: 'application/dicom+json' } });
  const text = await response.text();
  return text.trim() ? (JSON.parse(text) as DicomJsonDataset[]) : [];
}

const valueOf = (dataset: DicomJsonDataset | undefined, tag: string) => dataset?.[tag]?.Value?.[0];

describe('importing local files into a hospital', () => {
  it('matches the CD by NHS number, stages it and stores every instance at site A under the A local ID with the NHS number kept', async () => {
    const siteA = siteOf('a');
    // The test hospitals' audit trail outlives this run: only lines from now on count.
    const since = new Date().toISOString();
    const planned = await plan('site-a');
    expect(planned.status).toBe(201);
    const { match, changes, id } = planned.plan!;
    expect(match).toMatchObject({ basis: 'national-id', PatientID: siteA.localPatientId, IssuerOfPatientID: siteA.issuer, nationalId: hospitals.manifest.patient.nhsNumber });
    expect(changes).toContainEqual({ attribute: 'PatientID', from: cd.PatientID, to: siteA.localPatientId });
    expect(changes).toContainEqual({ attribute: 'IssuerOfPatientID', from: cd.IssuerOfPatientID, to: siteA.issuer });

    await stageAll(id);
    // Staged is not stored: the site has nothing yet.
    expect(await cdStudyAt('a')).toEqual([]);
    const committed = await call('POST', `/api/imports/${id}/commit`, { confirmedBasis: 'national-id' });
    expect(committed.status).toBe(200);
    const result = ImportResultSchema.parse(await committed.json());
    expect(result).toMatchObject({ state: 'done', total: files.length, stored: files.length, failed: 0 });

    const [study] = await cdStudyAt('a');
    expect(valueOf(study, '00100020')).toBe(siteA.localPatientId);
    expect(valueOf(study, '00201208')).toBe(files.length);
    const instance = await fetch(`${orthancUrl('a')}/studies/${cd.StudyInstanceUID}/series/${cd.files[0]!.SeriesInstanceUID}/instances/${cd.files[0]!.SOPInstanceUID}/metadata`, {
      headers: { accept: 'application/dicom+json' },
    });
    const [metadata] = (await instance.json()) as DicomJsonDataset[];
    expect(valueOf(metadata, '00100021')).toBe(siteA.issuer);
    const others = (metadata?.['00101002']?.Value ?? []) as DicomJsonDataset[];
    expect(others.map((item) => [valueOf(item, '00100020'), valueOf(item, '00100021')])).toContainEqual([hospitals.manifest.patient.nhsNumber, 'NHS']);
    const original = (metadata?.['04000561']?.Value ?? []) as DicomJsonDataset[];
    const modified = (original.at(-1)?.['04000550']?.Value ?? []) as DicomJsonDataset[];
    expect(valueOf(modified[0], '00100020')).toBe(cd.PatientID);

    // The staging is gone once everything landed.
    expect((await call('DELETE', `/api/imports/${id}`)).status).toBe(404);

    // One audit line for the study: who, where, whose IDs, how it ended.
    const audit = await fetch(`${gateway.url}/api/audit?action=import&patientId=${siteA.localPatientId}&from=${since}`, { headers: { cookie: reader.cookie } });
    const { events } = AuditResponseSchema.parse(await audit.json());
    expect(events.filter((e) => e.studyUid === cd.StudyInstanceUID && e.site === 'site-a')).toEqual([
      expect.objectContaining({ user: 'reader', action: 'import', outcome: 'ok', patientIds: expect.arrayContaining([hospitals.manifest.patient.nhsNumber, cd.PatientID, siteA.localPatientId]) }),
    ]);
  });

  it('without an NHS number, proposes the site-C patient by name and birth date and imports only after that basis is confirmed', async () => {
    const siteC = siteOf('c');
    const demographicsOnly = Object.fromEntries(Object.entries(patient).filter(([tag]) => tag !== '00101000' && tag !== '00101002'));
    const planned = await plan('site-c', demographicsOnly);
    expect(planned.status).toBe(201);
    const { match, id } = planned.plan!;
    expect(match).toMatchObject({ basis: 'demographics', PatientID: siteC.localPatientId, IssuerOfPatientID: siteC.issuer });
    await stageAll(id);
    expect((await call('POST', `/api/imports/${id}/commit`, { confirmedBasis: 'national-id' })).status).toBe(409);
    expect(await cdStudyAt('c')).toEqual([]);
    const committed = await call('POST', `/api/imports/${id}/commit`, { confirmedBasis: 'demographics' });
    expect(ImportResultSchema.parse(await committed.json()).state).toBe('done');
    expect(valueOf((await cdStudyAt('c'))[0], '00100020')).toBe(siteC.localPatientId);
  });

  it('refuses a demographics match two patients at site A share, and stages nothing for it', async () => {
    const demographicsOnly = Object.fromEntries(Object.entries(patient).filter(([tag]) => tag !== '00101000' && tag !== '00101002'));
    const planned = await plan('site-a', demographicsOnly);
    expect(planned.plan?.match.basis).toBe('none');
    expect(planned.plan?.match).toMatchObject({ reason: expect.stringContaining('2 patients') });
    const put = await call('PUT', `/api/imports/${planned.plan!.id}/instances/${files[0]!.SOPInstanceUID}`, new Uint8Array(files[0]!.bytes));
    expect(put.status).toBe(404);
  });

  it('stores nothing while the study is only partly staged, refuses a file of another study, and discards on DELETE', async () => {
    const planned = await plan('site-b');
    expect(planned.plan?.match.basis).toBe('national-id');
    const { id } = planned.plan!;
    expect((await call('PUT', `/api/imports/${id}/instances/${files[0]!.SOPInstanceUID}`, new Uint8Array(files[0]!.bytes))).status).toBe(200);
    // The bytes of one instance under another's name are refused.
    expect((await call('PUT', `/api/imports/${id}/instances/${files[1]!.SOPInstanceUID}`, new Uint8Array(files[0]!.bytes))).status).toBe(422);
    const early = await call('POST', `/api/imports/${id}/commit`, { confirmedBasis: 'national-id' });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: string }).error).toContain(`1 of ${files.length}`);
    expect(await cdStudyAt('b')).toEqual([]);
    expect((await call('DELETE', `/api/imports/${id}`)).status).toBe(204);
    expect((await call('PUT', `/api/imports/${id}/instances/${files[0]!.SOPInstanceUID}`, new Uint8Array(files[0]!.bytes))).status).toBe(404);
  });

  it('answers 403 for a site the account may not see (audited as denied), 403 without the CSRF token, 401 without a session', async () => {
    const since = new Date().toISOString();
    const clinician = await signInForFetch(gateway.url, TestAccounts.clinician);
    expect((await plan('site-b', patient, clinician)).status).toBe(403);
    const audit = await fetch(`${gateway.url}/api/audit?action=import&user=clinician&from=${since}`, { headers: { cookie: reader.cookie } });
    expect(AuditResponseSchema.parse(await audit.json()).events.map((e) => [e.site, e.outcome])).toEqual([['site-b', 'denied']]);
    const body = { toSiteId: 'site-a', StudyInstanceUID: cd.StudyInstanceUID, patient, instanceCount: files.length };
    expect((await call('POST', '/api/imports', body, reader, false)).status).toBe(403);
    const anonymous = await fetch(`${gateway.url}/api/imports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(anonymous.status).toBe(401);
  });
});
