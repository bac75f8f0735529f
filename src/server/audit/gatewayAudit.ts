/**
 * The gateway's side of the audit: turns site requests, patient searches and audit queries into
 * audit events. Searches are one line each; a study's opening, retrieves and report views are
 * summarised to one line per (session, site, study, action, outcome), because one viewing is
 * hundreds of frame requests. Lines are written when the answer has gone out (so they carry its
 * outcome and the patient IDs it disclosed); the gateway asks `admit()` before serving patient
 * data, which is false while the audit trail cannot be written (fail-closed, see auditLog.ts).
 * The gateway's own requests (indexer, transfers) are not audited here: the transfer writes its
 * own `send` lines, and the indexer is no person's access.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditAction, AuditEvent } from '../../contracts/index';
import { sendError, sendJson } from '../httpUtil';
import { createAccessMemory, type AccessMemory } from './accessMemory';
import type { AuditLog, AuditRecord } from './auditLog';
import { classifySiteRequest, normalisePatientId, readAnswer, type AnswerFacts, type DicomJsonDataset, type SiteAccess } from './classify';
import { captureResponse, type CapturedResponse } from '../responseCapture';
import { parseAuditQuery } from './query';

/** Who acted: the parts of the gateway's Principal the audit needs. */
export interface AuditActor {
  username: string;
  sessionId: string;
  roles: readonly string[];
  kind: 'user' | 'internal' | 'workstation';
}

export interface SiteRequest {
  method: string | undefined;
  siteId: string;
  subPath: string;
  search: string;
}

export interface GatewayAudit {
  /** Appends a record (sign-in, send, ...) without waiting; failures are handled by the log. */
  record(record: AuditRecord): void;
  /** False while the audit trail cannot be written: refuse patient data (503). */
  admit(): Promise<boolean>;
  /** Call before the site answer is written; audits it once it has gone out. */
  observeSiteRequest(res: ServerResponse, actor: AuditActor, request: SiteRequest): void;
  /** A request refused before reaching the site (no access to it). */
  recordSiteDenied(actor: AuditActor, request: SiteRequest): void;
  /** Call before `GET /api/patients` is answered. */
  observePatientSearch(res: ServerResponse, actor: AuditActor, search: string): void;
  /** `GET /api/audit`: admins only; the query itself is audited. */
  handleAuditRoute(req: IncomingMessage, res: ServerResponse, actor: AuditActor, search: string): Promise<void>;
}

/** Searches without patient keys (worklist-like) may answer many patients: the line names at most this many. */
export const MaxPatientIdsPerLine = 50;

const outcomeOf = (status: number): AuditEvent['outcome'] => (status === 401 || status === 403 ? 'denied' : status >= 400 ? 'failed' : 'ok');

function parseJsonList(body: Buffer | undefined): DicomJsonDataset[] {
  if (!body || body.length === 0) return [];
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    return Array.isArray(json) ? json.filter((d): d is DicomJsonDataset => typeof d === 'object' && d !== null) : [];
  } catch {
    return [];
  }
}

const unique = (ids: readonly string[]) => [...new Set(ids)];

/** The action a classified request ends up as, once its answer is known. */
function actionFor(access: SiteAccess, facts: AnswerFacts | undefined, memory: AccessMemory, siteId: string): AuditAction {
  switch (access.kind) {
    case 'search':
      return 'search';
    case 'study-open':
      return facts?.allReports ? 'report-view' : 'study-open';
    case 'instance-metadata':
      return facts?.allReports || memory.isReport(siteId, access.sopInstanceUid) ? 'report-view' : 'retrieve';
    case 'retrieve':
      return access.sopInstanceUid && memory.isReport(siteId, access.sopInstanceUid) ? 'report-view' : 'retrieve';
    case 'store':
      return 'import';
  }
}

/**
 * `patientIdsOfStudy`: where a retrieve's study was opened elsewhere (another gateway instance,
 * before a restart), the patient index still knows whose study it is.
 */
export function createGatewayAudit(
  audit: AuditLog,
  memory: AccessMemory = createAccessMemory(),
  patientIdsOfStudy: (siteId: string, studyUid: string) => Promise<string[]> = async () => [],
): GatewayAudit {
  const record = (event: AuditRecord) => {
    void audit.append(event);
  };

  function learn(siteId: string, facts: AnswerFacts): void {
    for (const [study, ids] of facts.patientIdsByStudy) memory.learnPatients(siteId, study, ids);
    for (const sop of facts.reportInstances) memory.learnReport(siteId, sop);
  }

  function siteLine(actor: AuditActor, request: SiteRequest, access: SiteAccess, captured: CapturedResponse): void {
    const outcome = outcomeOf(captured.status);
    const jsonAnswer = access.kind !== 'retrieve' && access.kind !== 'store';
    const facts = jsonAnswer && outcome === 'ok' ? readAnswer(parseJsonList(captured.body)) : undefined;
    if (facts) learn(request.siteId, facts);
    const action = actionFor(access, facts, memory, request.siteId);
    const studyUid = access.studyUid;
    const answered = facts ? [...facts.patientIdsByStudy.values()].flat() : [];
    const keyIds = access.kind === 'search' ? access.keyPatientIds : [];
    const remembered = studyUid ? memory.patientsOf(request.siteId, studyUid) : [];
    const known = unique([...keyIds, ...answered, ...remembered]);
    const summarised = studyUid !== null && access.kind !== 'store';
    if (summarised && !memory.claim({ sessionId: actor.sessionId, site: request.siteId, studyUid, action, outcome })) return;
    if (known.length > 0 || !studyUid) {
      writeSiteLine(actor, request, access, captured, facts, action, known);
      return;
    }
    void patientIdsOfStudy(request.siteId, studyUid)
      .catch(() => [])
      .then((ids) => writeSiteLine(actor, request, access, captured, facts, action, unique(ids.map(normalisePatientId))));
  }

  function writeSiteLine(actor: AuditActor, request: SiteRequest, access: SiteAccess, captured: CapturedResponse, facts: AnswerFacts | undefined, action: AuditAction, patientIds: string[]): void {
    const outcome = outcomeOf(captured.status);
    const studyUid = access.studyUid;
    const summarised = studyUid !== null && access.kind !== 'store';
    let detail: string | undefined;
    if (access.kind === 'search' && access.level === 'studies' && facts) detail = `${facts.count} result(s)`;
    if (summarised) detail = "summarises this session's requests for the study";
    if (outcome !== 'ok') detail = `HTTP ${captured.status}`;
    if (patientIds.length > MaxPatientIdsPerLine) detail = `${detail ?? ''}; ${patientIds.length} patient IDs, first ${MaxPatientIdsPerLine} listed`.replace(/^; /, '');
    record({ user: actor.username, site: request.siteId, action, patientIds: patientIds.slice(0, MaxPatientIdsPerLine), studyUid, outcome, ...(detail ? { detail } : {}) });
  }

  return {
    record,
    admit: () => audit.writable(),
    observeSiteRequest(res, actor, request) {
      if (actor.kind === 'internal') return;
      const access = classifySiteRequest(request.method, request.subPath, request.search);
      if (!access) return;
      const keepBody = access.kind !== 'retrieve' && access.kind !== 'store';
      captureResponse(res, keepBody, (captured) => {
        // Nothing went out (the browser left first): nothing to audit.
        if (!captured.started) return;
        // Parsing a large answer waits for a later turn, after the response is done.
        setImmediate(() => siteLine(actor, request, access, captured));
      });
    },
    recordSiteDenied(actor, request) {
      if (actor.kind === 'internal') return;
      const access = classifySiteRequest(request.method, request.subPath, request.search);
      const action = access ? actionFor(access, undefined, memory, request.siteId) : 'search';
      const patientIds = access?.kind === 'search' ? access.keyPatientIds : [];
      record({ user: actor.username, site: request.siteId, action, patientIds, studyUid: access?.studyUid ?? null, outcome: 'denied', detail: 'no access to this site' });
    },
    observePatientSearch(res, actor, search) {
      if (actor.kind === 'internal') return;
      const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
      const keyIds = [params.get('nationalId'), params.get('PatientID')].filter((v): v is string => !!v && !!v.trim()).map(normalisePatientId);
      captureResponse(res, true, (captured) => {
        if (!captured.started) return;
        setImmediate(() => {
          const outcome = outcomeOf(captured.status);
          let entries: { siteId?: unknown; StudyInstanceUID?: unknown; PatientID?: unknown; nationalIds?: unknown }[] = [];
          try {
            const body = captured.body ? (JSON.parse(captured.body.toString('utf8')) as { entries?: unknown }) : {};
            if (Array.isArray(body.entries)) entries = body.entries as typeof entries;
          } catch {
            // Not the answer we expected: the line still says who asked for whom.
          }
          const answered: string[] = [];
          for (const entry of entries) {
            const ids = [typeof entry.PatientID === 'string' ? entry.PatientID : '', ...(Array.isArray(entry.nationalIds) ? entry.nationalIds : [])]
              .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
              .map(normalisePatientId);
            if (typeof entry.siteId === 'string' && typeof entry.StudyInstanceUID === 'string') memory.learnPatients(entry.siteId, entry.StudyInstanceUID, ids);
            answered.push(...ids);
          }
          const patientIds = unique([...keyIds, ...answered]);
          const detail = outcome === 'ok' ? `patient index: ${entries.length} stud${entries.length === 1 ? 'y' : 'ies'}` : `HTTP ${captured.status}`;
          record({ user: actor.username, site: null, action: 'search', patientIds: patientIds.slice(0, MaxPatientIdsPerLine), studyUid: null, outcome, detail });
        });
      });
    },
    async handleAuditRoute(req, res, actor, search) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET');
        sendError(res, 405, { error: 'Method not allowed' });
        return;
      }
      if (!actor.roles.includes('admin')) {
        await audit.append({ user: actor.username, site: null, action: 'audit-view', patientIds: [], studyUid: null, outcome: 'denied', detail: 'not an admin' });
        sendError(res, 403, { error: 'Only administrators may read the audit log' });
        return;
      }
      const parsed = parseAuditQuery(search);
      if (!parsed.ok) {
        sendError(res, 400, { error: parsed.error });
        return;
      }
      const { query } = parsed;
      const filters = [query.user && `user=${query.user}`, query.action && `action=${query.action}`, query.from && `from=${query.from}`, query.to && `to=${query.to}`].filter(Boolean).join(' ');
      let answer;
      try {
        answer = await audit.query(query);
      } catch {
        await audit.append({ user: actor.username, site: null, action: 'audit-view', patientIds: query.patientId ? [query.patientId] : [], studyUid: null, outcome: 'failed' });
        sendError(res, 503, { error: 'The audit log cannot be read just now' });
        return;
      }
      // The audit view shows patient IDs: it is itself on the record before it answers.
      await audit.append({
        user: actor.username,
        site: null,
        action: 'audit-view',
        patientIds: query.patientId ? [query.patientId] : [],
        studyUid: null,
        outcome: 'ok',
        detail: `${answer.events.length} event(s)${filters ? ` for ${filters}` : ''}`,
      });
      if (!(await audit.writable())) {
        sendError(res, 503, { error: 'The audit trail cannot be written just now, so it is not shown' });
        return;
      }
      sendJson(res, 200, answer);
    },
  };
}
