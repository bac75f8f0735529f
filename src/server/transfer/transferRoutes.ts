/**
 * `/api/transfers`: plan, start, follow and retry sends of a study between hospitals.
 * A send needs the person to be allowed both sites; its identity is worked out here, never taken
 * from the browser. Jobs live in this gateway's memory (a send is followed on the instance that
 * runs it) and are visible only to the person who started them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TransferPlanPath, TransferRequestSchema, TransfersPath, type TransferPlan, type TransferRequest, type TransferStatus } from '../../contracts/index';
import { readJsonBody, sendError, sendJson } from '../httpUtil';
import type { AuditRecord, Principal } from '../session/index';
import { createTransferJob, type TransferJob } from './job';
import { planTargetIdentity, type IdentityContext, type PlannedIdentity } from './targetIdentity';
import type { InstanceRef, Outcome, TransferSites } from './transferSites';

export interface TransferRoutesOptions {
  sites: TransferSites;
  nationalIdIssuer: string;
  localIdsAt: IdentityContext['localIdsAt'];
  /** Configured sites: name and IssuerOfPatientID. */
  siteInfo(siteId: string): { name: string; patientIdIssuer: string } | undefined;
  maySee(principal: Principal, siteId: string): boolean;
  audit(record: AuditRecord): void;
  /** Instances in flight per send (default 2). */
  concurrency?: number;
}

export interface TransferRoutes {
  /** True for the paths `handle` answers. */
  handles(pathname: string): boolean;
  /** Handles a request under `/api/transfers`. */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string, search: string, principal: Principal): Promise<void>;
}

const MaxKeptJobs = 200;
const JOB_PATH = /^\/api\/transfers\/([^/]+)(\/retry)?$/;

export function createTransferRoutes(options: TransferRoutesOptions): TransferRoutes {
  const jobs = new Map<string, { owner: string; job: TransferJob }>();
  const siteName = (siteId: string) => options.siteInfo(siteId)?.name ?? siteId;
  const identityContext: IdentityContext = {
    sites: options.sites,
    nationalIdIssuer: options.nationalIdIssuer,
    localIdsAt: options.localIdsAt,
    siteIssuer: (siteId) => options.siteInfo(siteId)?.patientIdIssuer,
    siteName,
  };

  /** 403/404 answered here; true when the person may send between the two sites. */
  function allowed(res: ServerResponse, principal: Principal, request: TransferRequest): boolean {
    for (const siteId of [request.fromSiteId, request.toSiteId]) {
      if (!options.siteInfo(siteId)) {
        sendError(res, 404, { error: 'Unknown site', siteId });
        return false;
      }
    }
    const refused = [request.fromSiteId, request.toSiteId].find((siteId) => !options.maySee(principal, siteId));
    if (refused === undefined) return true;
    options.audit({ user: principal.username, site: request.toSiteId, action: 'send', patientIds: [], studyUid: request.studyUid, outcome: 'denied', detail: `from ${request.fromSiteId}: site not allowed` });
    sendError(res, 403, { error: 'Your account may not send between these sites', siteId: refused, siteName: siteName(refused) });
    return false;
  }

  async function plan(request: TransferRequest): Promise<Outcome<{ planned: PlannedIdentity; instances: InstanceRef[] }>> {
    const listed = await options.sites.listInstances(request.fromSiteId, request.studyUid);
    if (!listed.ok) return { ok: false, error: `${siteName(request.fromSiteId)}: ${listed.error}` };
    const sample = listed.value[0];
    if (!sample) return { ok: false, error: `${siteName(request.fromSiteId)} holds no instances of this study` };
    const planned = await planTargetIdentity(identityContext, request, sample);
    return planned.ok ? { ok: true, value: { planned: planned.value, instances: listed.value } } : planned;
  }

  function startJob(principal: Principal, request: TransferRequest, planned: PlannedIdentity, instances: InstanceRef[]): string | undefined {
    const target = planned.target;
    if (target.kind !== 'linked') return undefined;
    const id = randomUUID();
    const job = createTransferJob({
      id,
      request,
      target,
      nationalIdIssuer: options.nationalIdIssuer,
      sourceName: siteName(request.fromSiteId),
      instances,
      sites: options.sites,
      concurrency: options.concurrency,
      onRunFinished: (status: TransferStatus, run) =>
        options.audit({
          user: principal.username,
          site: request.toSiteId,
          action: 'send',
          patientIds: [...new Set([...planned.sourcePatientIds, target.PatientID])],
          studyUid: request.studyUid,
          outcome: status.failed > 0 ? 'failed' : 'ok',
          detail: `${run.retry ? 'retry ' : ''}from ${request.fromSiteId}: ${status.sent} of ${status.total} stored, ${status.failed} failed`,
        }),
    });
    jobs.set(id, { owner: principal.username, job });
    // Forget the oldest finished sends; a running one is never dropped.
    for (const [oldId, entry] of jobs) {
      if (jobs.size <= MaxKeptJobs) break;
      const state = entry.job.status().state;
      if (state === 'done' || state === 'failed-partly') jobs.delete(oldId);
    }
    void job.start();
    return id;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, pathname: string, search: string, principal: Principal): Promise<void> {
    const method = req.method ?? 'GET';
    if (pathname === TransferPlanPath && method === 'GET') {
      const params = new URLSearchParams(search);
      const parsed = TransferRequestSchema.safeParse({ studyUid: params.get('studyUid'), fromSiteId: params.get('fromSiteId'), toSiteId: params.get('toSiteId') });
      if (!parsed.success) return sendError(res, 400, { error: `Bad transfer plan query: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
      if (!allowed(res, principal, parsed.data)) return;
      const planned = await plan(parsed.data);
      if (!planned.ok) return sendError(res, 502, { error: planned.error, siteId: parsed.data.fromSiteId });
      const body: TransferPlan = { ...parsed.data, target: planned.value.planned.target };
      return sendJson(res, 200, body);
    }
    if (pathname === TransfersPath && method === 'POST') {
      let body: unknown;
      try {
        body = await readJsonBody(req, 4096);
      } catch {
        return sendError(res, 400, { error: 'A transfer takes a JSON body {"studyUid", "fromSiteId", "toSiteId"}' });
      }
      const parsed = TransferRequestSchema.safeParse(body);
      if (!parsed.success) return sendError(res, 400, { error: `Bad transfer: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
      if (!allowed(res, principal, parsed.data)) return;
      const planned = await plan(parsed.data);
      if (!planned.ok) return sendError(res, 502, { error: planned.error, siteId: parsed.data.fromSiteId });
      const target = planned.value.planned.target;
      if (target.kind !== 'linked') return sendError(res, 409, { error: target.reason, siteId: parsed.data.toSiteId });
      const id = startJob(principal, parsed.data, planned.value.planned, planned.value.instances);
      return sendJson(res, 202, { id });
    }
    const match = JOB_PATH.exec(pathname);
    const entry = match ? jobs.get(decodeURIComponent(match[1] ?? '')) : undefined;
    // Someone else's send is as unknown as one that never existed.
    if (!match || !entry || entry.owner !== principal.username) return sendError(res, 404, { error: 'No such transfer' });
    if (!match[2] && method === 'GET') return sendJson(res, 200, entry.job.status());
    if (match[2] && method === 'POST') {
      const run = entry.job.retry();
      if (!run) return sendError(res, 409, { error: `Nothing to retry: the transfer is ${entry.job.status().state}` });
      void run;
      return sendJson(res, 202, { id: entry.job.status().id });
    }
    res.setHeader('Allow', match[2] ? 'POST' : 'GET');
    sendError(res, 405, { error: 'Method not allowed' });
  }

  return { handles: (pathname) => pathname === TransfersPath || pathname.startsWith(`${TransfersPath}/`), handle };
}
