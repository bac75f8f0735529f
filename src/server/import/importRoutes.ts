/**
 * `/api/imports`: plan, stage, commit and discard imports of local files into a hospital (see
 * contracts/import.ts for the sequence). The person must be allowed the target site; the identity
 * is worked out here and every staged instance is checked against it. Imports live in this
 * gateway's memory and on its disk, belong to the person who started them, and are discarded
 * after an hour untouched or when the gateway closes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportCommitRequestSchema, ImportRequestSchema, ImportsPath, type ImportPlan, type ImportStaged } from '../../contracts/index';
import { sendError, sendJson } from '../httpUtil';
import type { AuditRecord, Principal } from '../session/index';
import { createLoopbackTransferSites, type TransferSites } from '../transfer/index';
import { attributeChanges, reconcile, sourcePatientOf } from './reconcile';
import { createLoopbackStudyQuery, type StudyQuery } from './siteQuery';
import { createStagedImport, stagingFolder, type StagedImport } from './stagedImport';

export interface ImportRoutesOptions {
  /** STOW-RS to the site (the transfer's loopback access). */
  sites: TransferSites;
  studies: StudyQuery;
  nationalIdIssuer: string;
  localIdsAt(nationalId: string, siteId: string): Promise<{ PatientID: string; IssuerOfPatientID: string }[]>;
  siteInfo(siteId: string): { name: string; patientIdIssuer: string } | undefined;
  maySee(principal: Principal, siteId: string): boolean;
  audit(record: AuditRecord): void;
  /** Default: a fresh folder under the system's temporary folder. */
  stagingRoot?: string;
  /** Largest instance accepted, bytes (default 1 GiB). */
  maxInstanceBytes?: number;
  /** Untouched imports are discarded after this (default 1 hour). */
  idleMs?: number;
  concurrency?: number;
}

/** The loopback wiring: STOW with the transfer's site access and QIDO through the gateway's own site routes. */
export interface LoopbackImportOptions extends Omit<ImportRoutesOptions, 'sites' | 'studies'> {
  gatewayUrl(): string;
  timeoutMs(siteId: string): number;
  internalHeaders(): Record<string, string>;
}

export interface ImportRoutes {
  handles(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, pathname: string, principal: Principal): Promise<void>;
  /** Discards every staged import (the gateway is closing). */
  close(): Promise<void>;
}

/**
 * @example
 * const imports = createLoopbackImportRoutes({ gatewayUrl: () => url, timeoutMs: () => 35_000, internalHeaders: gate.internalHeaders, ... });
 */
export function createLoopbackImportRoutes(options: LoopbackImportOptions): ImportRoutes {
  const { gatewayUrl, timeoutMs, internalHeaders, ...rest } = options;
  return createImportRoutes({
    ...rest,
    sites: createLoopbackTransferSites(gatewayUrl, timeoutMs, internalHeaders),
    studies: createLoopbackStudyQuery(gatewayUrl, timeoutMs, internalHeaders),
  });
}

const ITEM_PATH = /^\/api\/imports\/([^/]+)(?:\/(commit)|\/instances\/([^/]+))?$/;

class TooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const issues = (error: { issues: { path: PropertyKey[]; message: string }[] }) => error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');

export function createImportRoutes(options: ImportRoutesOptions): ImportRoutes {
  const root = options.stagingRoot ?? join(tmpdir(), `crossview-imports-${process.pid}-${randomUUID().slice(0, 8)}`);
  const imports = new Map<string, { owner: string; staged: StagedImport; patientIds: string[]; timer: NodeJS.Timeout }>();
  const idleMs = options.idleMs ?? 3_600_000;
  const maxBytes = options.maxInstanceBytes ?? 1024 ** 3;
  const siteName = (siteId: string) => options.siteInfo(siteId)?.name ?? siteId;

  const forget = async (id: string) => {
    const entry = imports.get(id);
    if (!entry) return;
    imports.delete(id);
    clearTimeout(entry.timer);
    await entry.staged.discard();
  };
  const idleTimer = (id: string) => {
    const timer = setTimeout(() => void forget(id), idleMs);
    timer.unref();
    return timer;
  };

  async function plan(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, 256 * 1024)).toString('utf8')) as unknown;
    } catch {
      return sendError(res, 400, { error: 'An import takes a JSON body {"toSiteId", "StudyInstanceUID", "patient", "instanceCount"}' });
    }
    const parsed = ImportRequestSchema.safeParse(body);
    if (!parsed.success) return sendError(res, 400, { error: `Bad import: ${issues(parsed.error)}` });
    const request = parsed.data;
    const site = options.siteInfo(request.toSiteId);
    if (!site) return sendError(res, 404, { error: 'Unknown site', siteId: request.toSiteId });
    const source = sourcePatientOf(request.patient, options.nationalIdIssuer);
    const sourceIds = [...new Set([...source.nationalIds, ...(source.PatientID ? [source.PatientID] : [])])];
    if (!options.maySee(principal, request.toSiteId)) {
      options.audit({ user: principal.username, site: request.toSiteId, action: 'import', patientIds: sourceIds, studyUid: request.StudyInstanceUID, outcome: 'denied', detail: 'site not allowed' });
      return sendError(res, 403, { error: 'Your account may not import into this site', siteId: request.toSiteId, siteName: site.name });
    }
    const match = await reconcile(
      {
        nationalIdIssuer: options.nationalIdIssuer,
        siteName: site.name,
        siteIssuer: site.patientIdIssuer,
        localIdsAt: (nationalId) => options.localIdsAt(nationalId, request.toSiteId),
        studies: (params) => options.studies(request.toSiteId, params),
      },
      source,
    );
    const id = randomUUID();
    const body_: ImportPlan = { id, toSiteId: request.toSiteId, StudyInstanceUID: request.StudyInstanceUID, match, changes: attributeChanges(source, match, options.nationalIdIssuer) };
    // A refused match stages nothing: the plan only says why.
    if (match.basis !== 'none') {
      const staged = createStagedImport({
        plan: body_,
        source,
        instanceCount: request.instanceCount,
        folder: await stagingFolder(root, id),
        nationalIdIssuer: options.nationalIdIssuer,
        concurrency: options.concurrency ?? 2,
      });
      imports.set(id, { owner: principal.username, staged, patientIds: [...new Set([...sourceIds, match.PatientID])], timer: idleTimer(id) });
    }
    sendJson(res, 201, body_);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, pathname: string, principal: Principal): Promise<void> {
    const method = req.method ?? 'GET';
    if (pathname === ImportsPath) {
      if (method === 'POST') return plan(req, res, principal);
      res.setHeader('Allow', 'POST');
      return sendError(res, 405, { error: 'Method not allowed' });
    }
    const match = ITEM_PATH.exec(pathname);
    const id = decodeURIComponent(match?.[1] ?? '');
    const entry = imports.get(id);
    // Someone else's import is as unknown as one that never existed.
    if (!match || !entry || entry.owner !== principal.username) return sendError(res, 404, { error: 'No such import' });
    clearTimeout(entry.timer);
    entry.timer = idleTimer(id);
    const { staged } = entry;
    const sopPart = match[3];
    if (sopPart !== undefined) {
      if (method !== 'PUT') {
        res.setHeader('Allow', 'PUT');
        return sendError(res, 405, { error: 'Method not allowed' });
      }
      const SOPInstanceUID = decodeURIComponent(sopPart);
      if (!/^[0-9.]{1,64}$/.test(SOPInstanceUID)) return sendError(res, 400, { error: 'The path must name a SOPInstanceUID' });
      if (staged.committing) return sendError(res, 409, { error: 'The import is being stored at the site' });
      let bytes: Buffer;
      try {
        bytes = await readBody(req, maxBytes);
      } catch (error) {
        if (error instanceof TooLarge) return sendError(res, 413, { error: `An instance may be at most ${maxBytes} bytes` });
        throw error;
      }
      const done = await staged.stage(SOPInstanceUID, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (!done.ok) return sendError(res, 422, { error: `Not staged: ${done.error}` });
      const answer: ImportStaged = { SOPInstanceUID, staged: done.value };
      return sendJson(res, 200, answer);
    }
    if (match[2] === 'commit') {
      if (method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return sendError(res, 405, { error: 'Method not allowed' });
      }
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req, 4096)).toString('utf8')) as unknown;
      } catch {
        return sendError(res, 400, { error: 'A commit takes a JSON body {"confirmedBasis"}' });
      }
      const parsed = ImportCommitRequestSchema.safeParse(body);
      if (!parsed.success) return sendError(res, 400, { error: `Bad commit: ${issues(parsed.error)}` });
      const basis = staged.plan.match.basis;
      if (parsed.data.confirmedBasis !== basis) return sendError(res, 409, { error: `The match was by ${basis === 'demographics' ? 'name and birth date' : 'national ID'}: confirm that basis to import` });
      if (staged.committing) return sendError(res, 409, { error: 'The import is already being stored at the site' });
      if (staged.stagedCount() < staged.instanceCount) {
        return sendError(res, 409, { error: `Only ${staged.stagedCount()} of ${staged.instanceCount} instances are staged: nothing was stored`, siteId: staged.plan.toSiteId });
      }
      const name = siteName(staged.plan.toSiteId);
      const result = await staged.commit(options.sites, name);
      options.audit({
        user: principal.username,
        site: staged.plan.toSiteId,
        action: 'import',
        patientIds: entry.patientIds,
        studyUid: staged.plan.StudyInstanceUID,
        outcome: result.state === 'done' ? 'ok' : 'failed',
        detail: `local files, matched by ${basis}: ${result.stored} of ${result.total} stored, ${result.failed} failed`,
      });
      if (result.state === 'done') await forget(id);
      return sendJson(res, 200, result);
    }
    if (method === 'DELETE') {
      if (staged.committing) return sendError(res, 409, { error: 'The import is being stored at the site' });
      await forget(id);
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    res.setHeader('Allow', 'DELETE');
    sendError(res, 405, { error: 'Method not allowed' });
  }

  return {
    handles: (pathname) => pathname === ImportsPath || pathname.startsWith(`${ImportsPath}/`),
    handle,
    async close() {
      await Promise.all([...imports.keys()].map(forget));
      await rm(root, { recursive: true, force: true });
    },
  };
}
