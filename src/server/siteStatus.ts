/**
 * Live status of every site for the status bar (`GET /api/sites`). All sites are probed in
 * parallel, each bounded by its own timeout, and results are cached briefly so a page full of
 * components asking at once costs the hospitals one probe each.
 */
import http from 'node:http';
import https from 'node:https';
import { dicomwebPathFor, type CrossviewConfig, type SiteConfig, type SiteList, type SiteStatus } from '../contracts/index';
import { siteAuthorization, targetUrl } from './proxy';

/** A UID under our demo root that matches nothing: the probe exercises QIDO without fetching patient data. */
const PROBE_QUERY = '?StudyInstanceUID=1.2.826.0.1.3680043.10.1096.0.0';
const CACHE_MS = 2_000;
/** How long the list waits for a fresh probe before answering with the last known status. */
const FRESH_GRACE_MS = 250;

export type ProbeOutcome =
  | { kind: 'answered'; status: number; latencyMs: number }
  | { kind: 'refused'; code: string; latencyMs: number }
  | { kind: 'timeout'; latencyMs: number };

/** Pure: what a probe's outcome means for the status bar. */
export function classifyProbe(outcome: ProbeOutcome, site: SiteConfig, slowThresholdMs: number, now: Date): SiteStatus {
  const checkedAt = now.toISOString();
  const latencyMs = outcome.latencyMs;
  if (outcome.kind === 'refused') return { state: 'down', latencyMs, message: `connection failed (${outcome.code})`, checkedAt };
  if (outcome.kind === 'timeout') return { state: 'down', latencyMs, message: `no answer within ${site.timeoutMs} ms`, checkedAt };
  if (outcome.status === 401 || outcome.status === 403) return { state: 'unauthorised', latencyMs, message: `HTTP ${outcome.status}`, checkedAt };
  if (outcome.status >= 200 && outcome.status < 300) {
    return latencyMs > slowThresholdMs
      ? { state: 'slow', latencyMs, message: `answered in ${latencyMs} ms`, checkedAt }
      : { state: 'ok', latencyMs, checkedAt };
  }
  return { state: 'error', latencyMs, message: `HTTP ${outcome.status}`, checkedAt };
}

export function probeDicomwebSite(site: SiteConfig, agents: { http: http.Agent; https: https.Agent }): Promise<ProbeOutcome> {
  const started = Date.now();
  const target = targetUrl(site.dicomweb?.url ?? '', 'studies', PROBE_QUERY);
  if (!target) throw new Error('probeDicomwebSite: site has no dicomweb url');
  const isHttps = target.protocol === 'https:';
  const authorization = siteAuthorization(site);
  return new Promise((resolve) => {
    const request = (isHttps ? https : http).get(target, {
      agent: isHttps ? agents.https : agents.http,
      headers: { accept: 'application/dicom+json', ...(authorization ? { authorization } : {}) },
    });
    const timer = setTimeout(() => {
      request.destroy();
      resolve({ kind: 'timeout', latencyMs: Date.now() - started });
    }, site.timeoutMs);
    request.on('response', (answer) => {
      clearTimeout(timer);
      answer.resume();
      resolve({ kind: 'answered', status: answer.statusCode ?? 0, latencyMs: Date.now() - started });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ kind: 'refused', code: error.code ?? error.message, latencyMs: Date.now() - started });
    });
  });
}

function withinSlowThreshold(status: Promise<SiteStatus>, slowThresholdMs: number): Promise<SiteStatus> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<SiteStatus>((resolve) => {
    timer = setTimeout(
      () => resolve({ state: 'slow', message: `no answer yet after ${slowThresholdMs} ms`, checkedAt: new Date().toISOString() }),
      slowThresholdMs,
    );
  });
  return Promise.race([status, pending]).finally(() => clearTimeout(timer));
}

export interface SiteStatusBoard {
  list(): Promise<SiteList>;
}

/**
 * `localStatus` answers for sites the gateway serves itself (folders); remote ones are probed.
 */
export function createSiteStatusBoard(
  config: CrossviewConfig,
  agents: { http: http.Agent; https: https.Agent },
  localStatus: (site: SiteConfig) => SiteStatus | undefined,
): SiteStatusBoard {
  const cache = new Map<string, { at: number; status: Promise<SiteStatus> }>();
  /** The last status shown for each site: answered at once while a fresh probe runs behind it. */
  const lastKnown = new Map<string, SiteStatus>();
  const statusOf = (site: SiteConfig): Promise<SiteStatus> => {
    const local = localStatus(site);
    if (local) return Promise.resolve(local);
    const cached = cache.get(site.id);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.status;
    const status = probeDicomwebSite(site, agents).then((outcome) => {
      const classified = classifyProbe(outcome, site, config.gateway.slowThresholdMs, new Date());
      lastKnown.set(site.id, classified);
      return classified;
    });
    cache.set(site.id, { at: Date.now(), status });
    return status;
  };
  const shownStatus = (site: SiteConfig): Promise<SiteStatus> => {
    const fresh = statusOf(site);
    const known = lastKnown.get(site.id);
    // A refused connection shows within the grace; a site that is merely slow keeps its last status.
    if (known) return Promise.race([fresh, new Promise<SiteStatus>((resolve) => setTimeout(() => resolve(known), FRESH_GRACE_MS).unref?.())]);
    return withinSlowThreshold(fresh, config.gateway.slowThresholdMs).then((status) => {
      if (!lastKnown.has(site.id)) lastKnown.set(site.id, status);
      return status;
    });
  };
  return {
    async list() {
      // The list never waits longer than the slow threshold for a probe: a hospital that has not
      // answered by then is shown as slow, and its probe finishes in the background. Once a site
      // has a status, the list answers with it after a short grace while a fresh probe runs.
      const statuses = await Promise.all(config.sites.map(shownStatus));
      return {
        nationalIdIssuer: config.identity.nationalIdIssuer,
        queryTimeoutMs: config.gateway.queryTimeoutMs,
        slowThresholdMs: config.gateway.slowThresholdMs,
        cacheBudgetBytes: config.viewer.cacheBudgetMiB * 1024 * 1024,
        sites: config.sites.map((site, i) => ({
          id: site.id,
          name: site.name,
          patientIdIssuer: site.patientIdIssuer,
          dicomwebPath: dicomwebPathFor(site.id),
          // The gateway serves folder frames by byte range itself; remote servers say so in config.
          frameByteRanges: site.folder !== undefined || site.dicomweb?.frameByteRanges === true,
          status: statuses[i] as SiteStatus,
        })),
      };
    },
  };
}
