/**
 * The gateway's HTTP server: `/api/*`, `/sites/:siteId/dicom-web/*` (remote sites proxied,
 * folder sites served here) and the built app. Wiring only; each concern lives in its module.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { AuditPath, dicomwebPathFor, HangingProtocolsPath, SessionPath, type CrossviewConfig, type IndexerStatus, type SiteConfig } from '../contracts/index';
import { createGatewayAudit, openAuditLog } from './audit/index';
import { createFolderSite, type FolderSite } from './folderSite/index';
import { createHangingProtocolsRoute } from './hangingProtocols';
import { requestOrigin, sendError, sendJson } from './httpUtil';
import { createLoopbackSiteReader, createPatientIndex, IndexerHeader } from './patientIndex/index';
import { proxyDicomweb, type ProxyLogEntry } from './proxy';
import { createSessionGate, type AuditRecord, type Principal } from './session/index';
import { createSiteStatusBoard } from './siteStatus';
import { createStaticHandler } from './staticFiles';
import { createLoopbackTransferSites, createTransferRoutes } from './transfer/index';
import { createLoopbackImportRoutes } from './import/index';

export interface GatewayOptions {
  config: CrossviewConfig;
  /** 0 picks a free port. Default 8080. */
  port?: number;
  /** Default 127.0.0.1 (only this machine); `0.0.0.0` to serve a network. */
  host?: string;
  /** The built app; default `dist`. */
  staticDir?: string;
  /** Origin the browser uses, when behind a reverse proxy; default: the request's Host. */
  publicOrigin?: string;
  /** Where log lines go (method, site, status, duration: never paths or queries). */
  log?: (line: string) => void;
  /**
   * `problems` (default): only failed requests (status ≥ 400 other than a browser that went
   * away, refusals, timeouts). `all`: every request, for debugging (`CROSSVIEW_LOG_REQUESTS=all`).
   */
  logRequests?: 'all' | 'problems';
  /**
   * The patient index. By default it lives in memory and only the proxy tap feeds it; `main.ts`
   * sets `persist` (config `patientIndex.path`, or PostgreSQL when `DATABASE_URL` is set) and
   * `startIndexer` (a pass at start, then every `indexer.intervalMs`).
   */
  patientIndex?: { persist?: boolean; startIndexer?: boolean; env?: NodeJS.ProcessEnv };
  /** The embedded demo's documented account, shown on its sign-in page. Never for a real config. */
  demoAccount?: { username: string; password: string };
  /** Environment for the session secret (`CROSSVIEW_SESSION_SECRET`); default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

export interface Gateway {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** One full indexer pass over every site (waits for a pass already running); its status after. */
  runIndexerOnce(): Promise<IndexerStatus>;
  close(): Promise<void>;
}

const SITE_PATH = /^\/sites\/([^/]+)\/dicom-web(?:\/(.*))?$/;

function isProblem(entry: ProxyLogEntry): boolean {
  return entry.outcome === 'aborted' ? false : entry.outcome !== 'ok' || entry.status >= 400;
}

function formatLog(entry: ProxyLogEntry): string {
  return `gateway: ${entry.method} ${entry.siteId} ${entry.status} ${entry.durationMs}ms${entry.outcome === 'ok' ? '' : ` ${entry.outcome}`}`;
}

/**
 * @example
 * const gateway = await startGateway({ config, port: 0 });
 * await fetch(`${gateway.url}/api/sites`);
 * await gateway.close();
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { config } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const logAll = (options.logRequests ?? (process.env.CROSSVIEW_LOG_REQUESTS === 'all' ? 'all' : 'problems')) === 'all';
  const logRequest = (entry: ProxyLogEntry) => {
    if (logAll || isProblem(entry)) log(formatLog(entry));
  };
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const folderSites = new Map<string, FolderSite>();
  await Promise.all(
    config.sites.map(async (site) => {
      if (!site.folder) return;
      const folderSite = await createFolderSite(site.folder.path);
      if (folderSite.skipped.length) log(`gateway: ${site.id}: skipped ${folderSite.skipped.length} file(s) that are not usable DICOM`);
      folderSites.set(site.id, folderSite);
    }),
  );
  const sitesById = new Map<string, SiteConfig>(config.sites.map((site) => [site.id, site]));
  const board = createSiteStatusBoard(config, agents, (site) => {
    const folder = folderSites.get(site.id);
    if (!folder) return undefined;
    const checkedAt = new Date().toISOString();
    return folder.instanceCount > 0 ? { state: 'ok', latencyMs: 0, checkedAt } : { state: 'error', message: 'folder holds no DICOM files', checkedAt };
  });
  const host = options.host ?? '127.0.0.1';
  const env = options.env ?? process.env;
  // The audit trail: config `audit.path`, or PostgreSQL with DATABASE_URL (shared by instances).
  const auditLog = await openAuditLog({ config, env, log, gatewayId: env.CROSSVIEW_GATEWAY_ID || `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}` });
  // A retrieve whose study was opened elsewhere (another instance, before a restart) is still named by the index.
  const audit = createGatewayAudit(auditLog, undefined, (siteId, studyUid) => patientIndex.patientIdsOfStudy(siteId, studyUid));
  const recordAudit = (record: AuditRecord): void => audit.record(record);
  let gate: ReturnType<typeof createSessionGate>;
  try {
    gate = createSessionGate({ config, env, host, demoAccount: options.demoAccount, log, audit: (record) => recordAudit(record) });
  } catch (error) {
    // A refused start (sign-in off on a network address, a bad accounts file) leaves nothing open.
    await auditLog.close();
    throw error;
  }
  const serveStatic = createStaticHandler(options.staticDir ?? 'dist');
  const serveHangingProtocols = createHangingProtocolsRoute(config.hanging?.protocolFolder, log);
  const indexOptions = options.patientIndex ?? {};
  const patientIndex = await createPatientIndex({
    config,
    env: indexOptions.env ?? process.env,
    path: indexOptions.persist ? undefined : null,
    // Through our own site routes: the same credentials, timeouts and folder sites as a browser.
    read: createLoopbackSiteReader(() => gatewayUrl, (siteId) => (sitesById.get(siteId)?.timeoutMs ?? 30_000) + 5000, gate.internalHeaders),
    log,
  }).catch(async (error: unknown) => {
    await auditLog.close();
    throw error;
  });
  // Sends read the source and STOW to the target through our own site routes, like the indexer.
  const transfers = createTransferRoutes({
    sites: createLoopbackTransferSites(() => gatewayUrl, (siteId) => (sitesById.get(siteId)?.timeoutMs ?? 30_000) + 5000, gate.internalHeaders),
    nationalIdIssuer: config.identity.nationalIdIssuer,
    localIdsAt: (nationalId, siteId) => patientIndex.localIdsAt(nationalId, siteId),
    siteInfo: (siteId) => sitesById.get(siteId),
    maySee: (principal, siteId) => gate.maySee(principal, siteId),
    audit: (record) => recordAudit(record),
  });
  // Imports of local files: staged here, then stored with the transfer's loopback STOW.
  const imports = createLoopbackImportRoutes({
    gatewayUrl: () => gatewayUrl,
    timeoutMs: (siteId) => (sitesById.get(siteId)?.timeoutMs ?? 30_000) + 5000,
    internalHeaders: gate.internalHeaders,
    nationalIdIssuer: config.identity.nationalIdIssuer,
    localIdsAt: (nationalId, siteId) => patientIndex.localIdsAt(nationalId, siteId),
    siteInfo: (siteId) => sitesById.get(siteId),
    maySee: (principal, siteId) => gate.maySee(principal, siteId),
    audit: (record) => recordAudit(record),
  });

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`gateway: internal error ${error instanceof Error ? error.message : String(error)}`);
      sendError(res, 500, { error: 'Internal gateway error' });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const pathname = queryAt >= 0 ? rawUrl.slice(0, queryAt) : rawUrl;
    const search = queryAt >= 0 ? rawUrl.slice(queryAt) : '';

    const siteMatch = SITE_PATH.exec(pathname);
    // `/api/session/oidc/*` (OpenID Connect start and callback) are open like the sign-in itself.
    if (pathname === SessionPath || pathname.startsWith(`${SessionPath}/oidc/`)) {
      await gate.handleSessionRoute(req, res);
      return;
    }
    // Health stays open for load balancers: it says nothing about patients or sites.
    const guarded = (siteMatch !== null || pathname.startsWith('/api/')) && pathname !== '/api/health';
    let principal: Principal | undefined;
    if (guarded) {
      principal = gate.authenticate(req);
      if (!principal) {
        sendError(res, 401, { error: 'Sign in first' });
        return;
      }
      if (!gate.passesCsrf(req, principal)) {
        sendError(res, 403, { error: 'Missing or wrong CSRF token: reload the page' });
        return;
      }
    }
    if (siteMatch && principal) {
      const siteId = decodeURIComponent(siteMatch[1] ?? '');
      const site = sitesById.get(siteId);
      if (!site) {
        sendError(res, 404, { error: 'Unknown site', siteId });
        return;
      }
      if (!gate.maySee(principal, siteId)) {
        audit.recordSiteDenied(principal, { method: req.method, siteId, subPath: siteMatch[2] ?? '', search });
        sendError(res, 403, { error: 'Your account may not see this site', siteId, siteName: site.name });
        return;
      }
      const origin = requestOrigin(req.headers.host, options.publicOrigin, gatewayUrl);
      const gatewayBase = `${origin}${dicomwebPathFor(site.id)}`;
      const subPath = siteMatch[2] ?? '';
      if (!req.headers[IndexerHeader]) patientIndex.tap(res, { method: req.method, siteId: site.id, subPath });
      if (principal.kind !== 'internal' && !(await audit.admit())) {
        sendError(res, 503, { error: 'The audit trail cannot be written: patient data is withheld until it can', siteId });
        return;
      }
      audit.observeSiteRequest(res, principal, { method: req.method, siteId: site.id, subPath, search });
      const folder = folderSites.get(site.id);
      if (folder) {
        const started = Date.now();
        await folder.handle(req, res, { subPath, search, base: gatewayBase, siteId: site.id, siteName: site.name });
        logRequest({ method: req.method ?? 'GET', siteId: site.id, status: res.statusCode, durationMs: Date.now() - started, outcome: 'ok' });
        return;
      }
      proxyDicomweb(req, res, { site, subPath, search, gatewayBase }, { agents, log: logRequest });
      return;
    }
    const who = principal!;
    if (pathname === '/api/sites') {
      const list = await board.list();
      sendJson(res, 200, { ...list, sites: list.sites.filter((site) => gate.maySee(who, site.id)) });
      return;
    }
    if (pathname === '/api/patients') {
      if (who.kind !== 'internal' && !(await audit.admit())) {
        sendError(res, 503, { error: 'The audit trail cannot be written: patient data is withheld until it can' });
        return;
      }
      audit.observePatientSearch(res, who, search);
      await patientIndex.handleRequest(res, search, (siteId) => gate.maySee(who, siteId));
      return;
    }
    if (pathname === AuditPath) {
      await audit.handleAuditRoute(req, res, who, search);
      return;
    }
    if (pathname === HangingProtocolsPath) {
      await serveHangingProtocols(req, res);
      return;
    }
    if (transfers.handles(pathname)) {
      await transfers.handle(req, res, pathname, search, who);
      return;
    }
    if (imports.handles(pathname)) {
      await imports.handle(req, res, pathname, who);
      return;
    }
    if (pathname === '/api/health') {
      const memory = process.memoryUsage();
      sendJson(res, 200, { ok: true, rss: memory.rss, heapUsed: memory.heapUsed, uptimeS: Math.round(process.uptime()) });
      return;
    }
    if (pathname.startsWith('/api/')) {
      sendError(res, 404, { error: 'Unknown API path' });
      return;
    }
    await serveStatic(req, res, pathname);
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      Promise.all([patientIndex.close(), auditLog.close()]).finally(() => reject(error));
    };
    server.once('error', onError);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const gatewayUrl = `http://${urlHost}:${port}`;
  if (indexOptions.startIndexer) patientIndex.startIndexer();
  return {
    url: gatewayUrl,
    port,
    runIndexerOnce: () => patientIndex.runIndexerOnce(),
    close: async () => {
      await imports.close();
      await patientIndex.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agents.http.destroy();
        agents.https.destroy();
      });
      await auditLog.close();
    },
  };
}
