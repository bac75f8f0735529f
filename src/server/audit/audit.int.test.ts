/**
 * The audit trail end to end: real Orthanc hospitals, the real gateway, requests made the way
 * the browser makes them when it opens the demo CT. Once with the default JSON-lines file, once
 * with a real PostgreSQL (Debian's package, a throwaway cluster) shared by two gateway instances
 * with one session secret.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInForFetch, TestAccounts } from '../../../e2e/hospitals/testAccounts';
import { startHospitals, type Hospitals } from '../../../e2e/hospitals/index';
import { AuditResponseSchema, type AuditEvent, type CrossviewConfig } from '../../contracts/index';
import { startGateway, type Gateway } from '../index';
import { startTestPostgres, type TestPostgres } from '../patientIndex/testPostgres';

type Session = { cookie: string; csrfToken: string };

let hospitals: Hospitals;
let dir: string;

beforeAll(async () => {
  hospitals = await startHospitals();
  dir = await mkdtemp(join(tmpdir(), 'crossview-audit-int-'));
});
afterAll(async () => {
  await hospitals?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function demoCt() {
  const { manifest } = hospitals;
  const study = manifest.studies.find((s) => s.key === 'ct-current')!;
  const site = manifest.sites.find((s) => s.key === study.siteKey)!;
  return { study, site, series: study.series[0]!, nhsNumber: manifest.patient.nhsNumber };
}

async function get(gateway: Gateway, session: Session, path: string, accept = 'application/dicom+json'): Promise<Response> {
  return fetch(`${gateway.url}${path}`, { headers: { cookie: session.cookie, accept } });
}

/**
 * What the browser asks when it opens the demo CT: the patient's studies at the site (QIDO with
 * the local ID), the study's series, the CT series' metadata, then frames. `second` serves the
 * metadata and frames when given (a load balancer may send them to another instance).
 */
async function openDemoCt(first: Gateway, session: Session, second: Gateway = first): Promise<void> {
  const { study, site, series } = demoCt();
  const root = `/sites/${site.siteId}/dicom-web`;
  const query = new URLSearchParams({ PatientID: site.localPatientId, IssuerOfPatientID: site.issuer, includefield: '00100020,00100021,00101000,00101002,00080061' });
  const studies = await get(first, session, `${root}/studies?${query}`);
  expect(studies.status).toBe(200);
  expect(((await studies.json()) as unknown[]).length).toBeGreaterThan(0);
  const seriesList = await get(first, session, `${root}/studies/${study.StudyInstanceUID}/series`);
  expect(seriesList.status).toBe(200);
  await seriesList.arrayBuffer();
  const metadata = await get(second, session, `${root}/studies/${study.StudyInstanceUID}/series/${series.SeriesInstanceUID}/metadata`);
  expect(metadata.status).toBe(200);
  const instances = ((await metadata.json()) as Record<string, { Value?: string[] }>[]).map((d) => d['00080018']?.Value?.[0]).filter((uid): uid is string => !!uid);
  expect(instances.length).toBe(series.instanceCount);
  for (const sop of instances.slice(0, 4)) {
    const frame = await get(second, session, `${root}/studies/${study.StudyInstanceUID}/series/${series.SeriesInstanceUID}/instances/${sop}/frames/1`, 'multipart/related; type="application/octet-stream"; transfer-syntax=*');
    expect(frame.status).toBe(200);
    expect((await frame.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  }
}

async function audit(gateway: Gateway, session: Session, query: Record<string, string>): Promise<{ status: number; events: AuditEvent[] }> {
  const response = await get(gateway, session, `/api/audit?${new URLSearchParams(query)}`, 'application/json');
  if (response.status !== 200) return { status: response.status, events: [] };
  return { status: 200, events: AuditResponseSchema.parse(await response.json()).events };
}

/** Lines are written once each answer has gone out: wait until the expected ones are there. */
async function eventually(read: () => Promise<AuditEvent[]>, done: (events: AuditEvent[]) => boolean): Promise<AuditEvent[]> {
  const until = Date.now() + 10_000;
  for (;;) {
    const events = await read();
    if (done(events) || Date.now() > until) return events;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const patientLines = (events: AuditEvent[]) => events.filter((e) => ['search', 'study-open', 'retrieve'].includes(e.action)).reverse();

function expectDemoCtLines(events: AuditEvent[], user: string): void {
  const { study, site, nhsNumber } = demoCt();
  const lines = patientLines(events).filter((e) => e.user === user && e.site === site.siteId);
  expect(lines.map((e) => [e.action, e.site, e.studyUid, e.outcome])).toEqual([
    ['search', site.siteId, null, 'ok'],
    ['study-open', site.siteId, study.StudyInstanceUID, 'ok'],
    // Four frames, one line: retrieves are summarised per study per session.
    ['retrieve', site.siteId, study.StudyInstanceUID, 'ok'],
  ]);
  for (const line of lines) expect(line.patientIds).toEqual(expect.arrayContaining([site.localPatientId, nhsNumber]));
}

describe('audit trail in the default JSON-lines file', () => {
  let gateway: Gateway;
  const path = () => join(dir, 'audit', 'audit.jsonl');

  beforeAll(async () => {
    const config: CrossviewConfig = { ...hospitals.config, audit: { path: path() } };
    gateway = await startGateway({ config, port: 0, staticDir: '/nonexistent', log: () => undefined, env: {} });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('opening the demo CT writes audit lines with user, site, study and patient IDs; retrieves summarised to one line', async () => {
    const reader = await signInForFetch(gateway.url, TestAccounts.reader);
    await openDemoCt(gateway, reader);
    const events = await eventually(
      () => audit(gateway, reader, { user: 'reader' }).then((a) => a.events),
      (e) => patientLines(e).length >= 3,
    );
    expectDemoCtLines(events, 'reader');
    // The sign-in is on the trail too, and every line is one JSON object on its own line in the file.
    expect(events.some((e) => e.action === 'sign-in' && e.user === 'reader')).toBe(true);
    const fileLines = (await readFile(path(), 'utf8')).trim().split('\n');
    expect(fileLines.map((line) => (JSON.parse(line) as AuditEvent).action)).toEqual(expect.arrayContaining(['sign-in', 'search', 'study-open', 'retrieve', 'audit-view']));
  });

  it('GET /api/audit filters by user and by patient ID for an admin, audits the view itself, and refuses a non-admin with 403', async () => {
    const reader = await signInForFetch(gateway.url, TestAccounts.reader);
    const clinician = await signInForFetch(gateway.url, TestAccounts.clinician);
    const { nhsNumber, study } = demoCt();
    // The clinician opens the same CT (site A is theirs) and is refused site B.
    await openDemoCt(gateway, clinician);
    const siteB = hospitals.manifest.sites.find((s) => s.key === 'b')!;
    expect((await get(gateway, clinician, `/sites/${siteB.siteId}/dicom-web/studies?PatientID=${siteB.localPatientId}`)).status).toBe(403);

    const byClinician = await eventually(
      () => audit(gateway, reader, { user: 'clinician' }).then((a) => a.events),
      (e) => patientLines(e).length >= 3 && e.some((x) => x.outcome === 'denied'),
    );
    expect(byClinician.every((e) => e.user === 'clinician')).toBe(true);
    expectDemoCtLines(byClinician, 'clinician');
    expect(byClinician.find((e) => e.outcome === 'denied')).toMatchObject({ site: siteB.siteId, action: 'search', patientIds: [siteB.localPatientId] });

    const byPatient = await audit(gateway, reader, { patientId: `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`, action: 'retrieve' });
    expect(byPatient.events.map((e) => [e.user, e.studyUid]).sort()).toEqual([
      ['clinician', study.StudyInstanceUID],
      ['reader', study.StudyInstanceUID],
    ]);
    expect((await audit(gateway, reader, { patientId: 'NOBODY-1' })).events).toEqual([]);
    expect((await audit(gateway, reader, { user: 'reader', to: '2000-01-01' })).events).toEqual([]);
    expect((await audit(gateway, reader, { action: 'delete' })).status).toBe(400);

    expect((await audit(gateway, clinician, {})).status).toBe(403);
    const views = await eventually(
      () => audit(gateway, reader, { action: 'audit-view' }).then((a) => a.events),
      (e) => e.some((x) => x.user === 'clinician'),
    );
    expect(views.find((e) => e.user === 'clinician')).toMatchObject({ outcome: 'denied', site: null });
    expect(views.find((e) => e.user === 'reader' && e.patientIds.includes(nhsNumber))).toMatchObject({ outcome: 'ok' });
  });

  it('reading a study\'s SR or PDF report is a report-view line; a patient index search is a search line', async () => {
    const reader = await signInForFetch(gateway.url, TestAccounts.reader);
    const { manifest } = hospitals;
    const withReport = (kind: 'sr' | 'pdf') => manifest.studies.find((s) => s.report === kind && s.person === 'patient')!;
    const siteOf = (study: { siteKey: string }) => manifest.sites.find((s) => s.key === study.siteKey)!.siteId;
    for (const study of [withReport('sr'), withReport('pdf')]) {
      const root = `/sites/${siteOf(study)}/dicom-web/studies/${study.StudyInstanceUID}`;
      // As the report panel asks: instances of report classes, then the report's metadata.
      const found = await get(gateway, reader, `${root}/instances?SOPClassUID=1.2.840.10008.5.1.4.1.1.88.33,1.2.840.10008.5.1.4.1.1.88.11,1.2.840.10008.5.1.4.1.1.88.22,1.2.840.10008.5.1.4.1.1.104.1&includefield=0020000E`);
      expect(found.status).toBe(200);
      const [instance] = (await found.json()) as Record<string, { Value?: string[] }>[];
      const series = instance!['0020000E']!.Value![0]!;
      const sop = instance!['00080018']!.Value![0]!;
      const metadata = await get(gateway, reader, `${root}/series/${series}/instances/${sop}/metadata`);
      expect(metadata.status).toBe(200);
      await metadata.arrayBuffer();
    }
    const nhs = manifest.patient.nhsNumber;
    expect((await get(gateway, reader, `/api/patients?nationalId=${nhs}`, 'application/json')).status).toBe(200);

    const views = await eventually(
      () => audit(gateway, reader, { action: 'report-view' }).then((a) => a.events),
      (e) => e.length >= 2,
    );
    expect(views.map((e) => e.studyUid).sort()).toEqual([withReport('sr').StudyInstanceUID, withReport('pdf').StudyInstanceUID].sort());
    for (const view of views) expect(view).toMatchObject({ user: 'reader', outcome: 'ok', patientIds: expect.arrayContaining([nhs]) as unknown });
    const searches = await eventually(
      () => audit(gateway, reader, { action: 'search', user: 'reader' }).then((a) => a.events),
      (e) => e.some((x) => x.site === null),
    );
    expect(searches.find((e) => e.site === null)).toMatchObject({ patientIds: expect.arrayContaining([nhs]) as unknown, outcome: 'ok', detail: expect.stringMatching(/^patient index: \d+ stud/) as unknown });
  });

  it('answers 401 on /api/audit without a session', async () => {
    expect((await fetch(`${gateway.url}/api/audit`)).status).toBe(401);
  });
});

describe('audit trail that cannot be written', () => {
  it('withholds patient data (503) and says why in the log, without patient data', async () => {
    const logs: string[] = [];
    // A folder where the file should be: nothing can append to it, whoever runs the test.
    const blocked = join(dir, 'blocked');
    await mkdir(join(blocked, 'audit.jsonl'), { recursive: true });
    const config: CrossviewConfig = { ...hospitals.config, audit: { path: join(blocked, 'audit.jsonl') } };
    const gateway = await startGateway({ config, port: 0, staticDir: '/nonexistent', log: (line) => logs.push(line), env: {} });
    try {
      const reader = await signInForFetch(gateway.url, TestAccounts.reader);
      const { site } = demoCt();
      const answer = await get(gateway, reader, `/sites/${site.siteId}/dicom-web/studies?PatientID=${site.localPatientId}`);
      expect(answer.status).toBe(503);
      expect(await answer.text()).toMatch(/audit trail cannot be written/);
      expect((await get(gateway, reader, `/api/patients?nationalId=${hospitals.manifest.patient.nhsNumber}`, 'application/json')).status).toBe(503);
      const errors = logs.filter((line) => line.startsWith('audit: ERROR'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/the file audit trail cannot be written \(EISDIR\)/);
      for (const secret of [site.localPatientId, hospitals.manifest.patient.nhsNumber]) expect(logs.join('\n')).not.toContain(secret);
    } finally {
      await gateway.close();
    }
  });
});

describe('audit trail in PostgreSQL shared by two gateway instances', () => {
  let postgres: TestPostgres;
  const gateways: Gateway[] = [];

  beforeAll(async () => {
    postgres = await startTestPostgres('crossview_audit_test');
    const env = { CROSSVIEW_SESSION_SECRET: 'audit-integration-secret-0123456789abcdef', DATABASE_URL: postgres.url };
    // The file path must not be used: both instances write to the database.
    const config: CrossviewConfig = { ...hospitals.config, audit: { path: join(dir, 'unused', 'audit.jsonl') } };
    const [one, two] = await Promise.all([1, 2].map((n) => startGateway({ config, port: 0, staticDir: '/nonexistent', log: () => undefined, env: { ...env, CROSSVIEW_GATEWAY_ID: `gw-${n}` } })));
    gateways.push(one!, two!);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await postgres?.stop();
  });

  it('a session made on one instance is accepted by the other; both write to one trail that either can query', async () => {
    const [one, two] = gateways as [Gateway, Gateway];
    const reader = await signInForFetch(one.url, TestAccounts.reader);
    const onTwo = await get(two, reader, '/api/session', 'application/json');
    expect(onTwo.status).toBe(200);
    expect(await onTwo.json()).toMatchObject({ username: 'reader' });
    expect((await get(two, { cookie: 'cv_session=forged', csrfToken: '' }, '/api/session', 'application/json')).status).toBe(401);

    // Search and series list on instance 1, metadata and frames on instance 2.
    await openDemoCt(one, reader, two);
    for (const gateway of [one, two]) {
      const events = await eventually(
        () => audit(gateway, reader, { user: 'reader' }).then((a) => a.events),
        (e) => patientLines(e).length >= 4,
      );
      const { study, site } = demoCt();
      expect(patientLines(events).map((e) => [e.gateway, e.action, e.studyUid])).toEqual([
        ['gw-1', 'search', null],
        ['gw-1', 'study-open', study.StudyInstanceUID],
        ['gw-2', 'study-open', study.StudyInstanceUID],
        ['gw-2', 'retrieve', study.StudyInstanceUID],
      ]);
      expect(events.find((e) => e.action === 'sign-in')?.gateway).toBe('gw-1');
      expect(patientLines(events).every((e) => e.site === site.siteId && e.patientIds.includes(site.localPatientId))).toBe(true);
    }
    await expect(readFile(join(dir, 'unused', 'audit.jsonl'))).rejects.toThrow(/ENOENT/);
  });

  it('the table refuses UPDATE, DELETE and TRUNCATE', async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM crossview_audit');
      expect((rows[0] as { n: number }).n).toBeGreaterThan(4);
      await expect(client.query("UPDATE crossview_audit SET username = 'someone-else'")).rejects.toThrow(/append-only \(UPDATE refused\)/);
      await expect(client.query('DELETE FROM crossview_audit')).rejects.toThrow(/append-only \(DELETE refused\)/);
      await expect(client.query('TRUNCATE crossview_audit')).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
      const after = await client.query('SELECT count(*)::int AS n FROM crossview_audit');
      expect((after.rows[0] as { n: number }).n).toBe((rows[0] as { n: number }).n);
    } finally {
      await client.end();
    }
  });
});
