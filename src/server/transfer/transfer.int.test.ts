/**
 * `/api/transfers` against the real test hospitals (three Orthanc): a one-instance send lands at
 * the target under the target's local ID, a person the target does not know is refused, and the
 * permission and CSRF rules hold. The full CT with a target killed mid-send is e2e/send.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHospitals, type Hospitals } from '../../../e2e/hospitals/index';
import { signInForFetch, TestAccounts } from '../../../e2e/hospitals/testAccounts';
import { TransferPlanSchema, TransferStatusSchema, type TransferStatus } from '../../contracts/index';
import { startGateway, type Gateway } from '../index';

let hospitals: Hospitals;
let gateway: Gateway;
let reader: { cookie: string; csrfToken: string };

beforeAll(async () => {
  hospitals = await startHospitals();
  gateway = await startGateway({ config: hospitals.config, port: 0, staticDir: '/nonexistent', log: () => {} });
  reader = await signInForFetch(gateway.url);
});
afterAll(async () => {
  await gateway?.close();
  await hospitals?.stop();
});

const study = (key: string) => {
  const found = hospitals.manifest.studies.find((s) => s.key === key);
  if (!found) throw new Error(`no demo study ${key}`);
  return found;
};
const orthancUrl = (key: 'a' | 'b' | 'c') => hospitals.sites.find((s) => s.key === key)!.dicomwebUrl;

function post(path: string, body: unknown, session = reader, csrf = true): Promise<Response> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, ...(csrf ? { 'x-csrf-token': session.csrfToken } : {}) },
    body: JSON.stringify(body),
  });
}

async function until(id: string): Promise<TransferStatus> {
  for (let i = 0; i < 600; i++) {
    const response = await fetch(`${gateway.url}/api/transfers/${id}`, { headers: { cookie: reader.cookie } });
    const status = TransferStatusSchema.parse(await response.json());
    if (status.state === 'done' || status.state === 'failed-partly') return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('transfer did not finish');
}

describe('sending a study to another hospital', () => {
  it('plans and sends the site-C ultrasound to site A under the A local ID, keeping the NHS number', async () => {
    const us = study('us-abdomen');
    const siteA = hospitals.manifest.sites.find((s) => s.key === 'a')!;
    const query = new URLSearchParams({ studyUid: us.StudyInstanceUID, fromSiteId: 'site-c', toSiteId: 'site-a' });
    const planned = await fetch(`${gateway.url}/api/transfers/plan?${query}`, { headers: { cookie: reader.cookie } });
    expect(planned.status).toBe(200);
    expect(TransferPlanSchema.parse(await planned.json()).target).toEqual({ kind: 'linked', PatientID: siteA.localPatientId, IssuerOfPatientID: siteA.issuer, nationalId: hospitals.manifest.patient.nhsNumber });

    const started = await post('/api/transfers', { studyUid: us.StudyInstanceUID, fromSiteId: 'site-c', toSiteId: 'site-a' });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const status = await until(id);
    const count = us.series.reduce((n, s) => n + s.instanceCount, 0);
    expect(status).toMatchObject({ state: 'done', total: count, sent: count, failed: 0, targetPatientID: siteA.localPatientId });

    const stored = (await (await fetch(`${orthancUrl('a')}/studies/${us.StudyInstanceUID}/metadata`)).json()) as Record<string, { Value?: unknown[] }>[];
    expect(stored).toHaveLength(count);
    expect(stored[0]!['00100020']?.Value).toEqual([siteA.localPatientId]);
    expect(stored[0]!['00100021']?.Value).toEqual([siteA.issuer]);
    const others = (stored[0]!['00101002']?.Value ?? []) as Record<string, { Value?: unknown[] }>[];
    expect(others.some((item) => item['00100020']?.Value?.[0] === hospitals.manifest.patient.nhsNumber && item['00100021']?.Value?.[0] === 'NHS')).toBe(true);

    // One audit line for the send: who, to which site, whose IDs, and the counts (no PHI in detail).
    const audit = (await (await fetch(`${gateway.url}/api/audit?action=send`, { headers: { cookie: reader.cookie } })).json()) as { events: Record<string, unknown>[] };
    const line = audit.events.find((e) => e.studyUid === us.StudyInstanceUID);
    expect(line).toMatchObject({ user: 'reader', site: 'site-a', action: 'send', outcome: 'ok', detail: `from site-c: ${count} of ${count} stored, 0 failed` });
    expect(line?.patientIds).toEqual(expect.arrayContaining([hospitals.manifest.patient.nhsNumber, siteA.localPatientId]));
  });

  it('refuses to send a person the target does not know (same local ID, other person)', async () => {
    const trap = study('trap-same-local-id');
    const response = await post('/api/transfers', { studyUid: trap.StudyInstanceUID, fromSiteId: 'site-b', toSiteId: 'site-c' });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toMatch(/no patient with this NHS number|carries no NHS number/);
    const atC = await fetch(`${orthancUrl('c')}/studies?StudyInstanceUID=${trap.StudyInstanceUID}`);
    expect(await atC.text()).toMatch(/^\s*(\[\s*\])?\s*$/);
  });

  it('answers 403 to someone not allowed the source site, and 403 without the CSRF token', async () => {
    const clinician = await signInForFetch(gateway.url, TestAccounts.clinician);
    const prior = study('ct-prior');
    const denied = await post('/api/transfers', { studyUid: prior.StudyInstanceUID, fromSiteId: 'site-b', toSiteId: 'site-c' }, clinician);
    expect(denied.status).toBe(403);
    const noToken = await post('/api/transfers', { studyUid: prior.StudyInstanceUID, fromSiteId: 'site-b', toSiteId: 'site-c' }, reader, false);
    expect(noToken.status).toBe(403);
  });

  it('answers 404 for another person\'s transfer and 400 for a send to the same site', async () => {
    const same = await post('/api/transfers', { studyUid: study('us-abdomen').StudyInstanceUID, fromSiteId: 'site-c', toSiteId: 'site-c' });
    expect(same.status).toBe(400);
    const unknown = await fetch(`${gateway.url}/api/transfers/not-a-transfer`, { headers: { cookie: reader.cookie } });
    expect(unknown.status).toBe(404);
  });
});
