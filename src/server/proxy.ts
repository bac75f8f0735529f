/**
 * `/sites/:siteId/dicom-web/*` → the site's DICOMweb base URL. Bodies stream both ways through
 * `pipeline` (a whole study is never held in memory); the site's credentials are added here and
 * never reach the browser; the site's `timeoutMs` bounds connect + first byte and any stall of
 * the body. Failures before the answer starts become 502/504 JSON naming the site.
 */
import http from 'node:http';
import https from 'node:https';
import { PassThrough, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { SiteConfig } from '../contracts/index';
import { forwardableHeaders, sendError } from './httpUtil';
import { createUrlRewriteStream, siteUrlReplacements } from './urlRewrite';

export interface ProxyLogEntry {
  method: string;
  siteId: string;
  status: number;
  durationMs: number;
  outcome: 'ok' | 'refused' | 'timeout' | 'aborted' | 'error';
}

export interface ProxyContext {
  agents: { http: http.Agent; https: https.Agent };
  log: (entry: ProxyLogEntry) => void;
}

export interface ProxyRequest {
  site: SiteConfig;
  /** Path below the site's DICOMweb root, already percent-encoded, without leading slash. */
  subPath: string;
  /** Raw query string including `?`, or ''. */
  search: string;
  /** `<gateway origin>/sites/:siteId/dicom-web`: what the site's own URLs are rewritten to. */
  gatewayBase: string;
}

/** Headers the browser sends that must not go to a hospital: it gets the site's credentials instead. */
// The browser's own credentials (session cookie, CSRF token) and ours never reach a hospital.
const DROPPED_REQUEST_HEADERS = ['host', 'authorization', 'cookie', 'origin', 'referer', 'x-csrf-token', 'x-crossview-internal', 'x-crossview-indexer'];
const REWRITTEN_TYPES = /^application\/(dicom\+)?json\b/i;

export function siteAuthorization(site: SiteConfig): string | undefined {
  if (site.auth.type === 'basic') return `Basic ${Buffer.from(`${site.auth.username}:${site.auth.password}`).toString('base64')}`;
  if (site.auth.type === 'bearer') return `Bearer ${site.auth.token}`;
  return undefined;
}

/** Characters that may stand unencoded in a query value without changing how the query parses. */
const SAFE_IN_QUERY = /^[A-Za-z0-9\-._~,^*?:/@!$'()|;[\]{}]$/;

/**
 * Orthanc 1.10 does not percent-decode QIDO values: `includefield=a%2Cb` or
 * `PatientName=DOE%5EJOHN` silently match as literal text. Browsers and dicomweb-client encode
 * those characters, so the gateway sends them raw. Separators (`&`, `=`, `+`, `#`, `%`) and spaces
 * stay encoded, so the query means exactly what the browser asked.
 */
export function normaliseQueryForSite(search: string): string {
  return search.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return SAFE_IN_QUERY.test(char) ? char : escape;
  });
}

/** Joins the base and the sub-path; rejects dot segments that would climb out of the base. */
export function targetUrl(baseUrl: string, subPath: string, search: string): URL | undefined {
  if (subPath.split('/').some((segment) => segment === '..' || segment === '.' || /%2e%2e/i.test(segment))) return undefined;
  const base = baseUrl.replace(/\/+$/, '');
  return new URL(`${base}${subPath ? `/${subPath}` : ''}${normaliseQueryForSite(search)}`);
}

export function proxyDicomweb(req: http.IncomingMessage, res: http.ServerResponse, request: ProxyRequest, context: ProxyContext): void {
  const { site } = request;
  const started = Date.now();
  const named = { siteId: site.id, siteName: site.name };
  const baseUrl = site.dicomweb?.url;
  if (!baseUrl) throw new Error('proxyDicomweb: site has no dicomweb url');
  const target = targetUrl(baseUrl, request.subPath, request.search);
  if (!target) {
    sendError(res, 400, { error: 'Path not allowed', ...named });
    return;
  }
  let finished = false;
  const finish = (status: number, outcome: ProxyLogEntry['outcome']) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    context.log({ method: req.method ?? 'GET', siteId: site.id, status, durationMs: Date.now() - started, outcome });
  };

  const headers = forwardableHeaders(req.headers, DROPPED_REQUEST_HEADERS);
  const authorization = siteAuthorization(site);
  if (authorization) headers.authorization = authorization;
  const isHttps = target.protocol === 'https:';
  const upstream = (isHttps ? https : http).request(target, {
    method: req.method,
    headers,
    agent: isHttps ? context.agents.https : context.agents.http,
  });

  // An error answered while the browser is still sending (STOW to a site that is down) must
  // close the connection: the rest of the body would otherwise sit unread in a kept-alive socket
  // and the browser's next request on it would hang.
  const closeIfBodyUnread = () => {
    if (!req.complete && !res.headersSent) res.setHeader('Connection', 'close');
  };

  // Until the answer starts: connect + first byte must happen within timeoutMs.
  let timer = setTimeout(() => {
    closeIfBodyUnread();
    sendError(res, 504, { error: `${site.name} did not answer within ${site.timeoutMs} ms`, ...named });
    finish(504, 'timeout');
    upstream.destroy();
  }, site.timeoutMs);

  upstream.on('error', (error: NodeJS.ErrnoException) => {
    if (finished) return;
    closeIfBodyUnread();
    const refused = ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH'].includes(error.code ?? '');
    sendError(res, 502, {
      error: refused ? `${site.name} refused the connection (${error.code})` : `${site.name} could not be reached (${error.code ?? error.message})`,
      ...named,
    });
    finish(502, refused ? 'refused' : 'error');
  });

  res.on('close', () => {
    if (!res.writableFinished) {
      upstream.destroy();
      finish(499, 'aborted');
    }
  });

  upstream.on('response', (answer) => {
    clearTimeout(timer);
    if (finished) {
      answer.destroy();
      return;
    }
    const status = answer.statusCode ?? 502;
    const responseHeaders = forwardableHeaders(answer.headers);
    const stages: Transform[] = [];
    if (REWRITTEN_TYPES.test(String(answer.headers['content-type'] ?? ''))) {
      // The body changes length, and compressed bytes cannot be rewritten: decode, rewrite, send plain.
      const decoder = decoderFor(String(answer.headers['content-encoding'] ?? ''));
      if (decoder !== null) {
        delete responseHeaders['content-length'];
        delete responseHeaders['content-encoding'];
        if (decoder) stages.push(decoder);
        stages.push(createUrlRewriteStream(siteUrlReplacements(baseUrl, request.gatewayBase)));
      }
    }
    // Redirects and Content-Location name the site's own host; point them through the gateway too.
    for (const name of ['location', 'content-location']) {
      const value = responseHeaders[name];
      if (typeof value === 'string') responseHeaders[name] = rewriteUrl(value, baseUrl, request.gatewayBase);
    }
    res.writeHead(status, responseHeaders);

    // A stalled body aborts too, but waiting on a slow browser (backpressure) is not a stall.
    const armStallTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (answer.isPaused() || res.writableNeedDrain) armStallTimer();
        else answer.destroy(new Error('stalled'));
      }, site.timeoutMs);
    };
    armStallTimer();
    const watch = new PassThrough();
    watch.on('data', armStallTimer);
    pipeline(answer, watch, ...stages, res)
      .then(() => finish(status, 'ok'))
      .catch(() => {
        res.destroy();
        finish(status, answer.destroyed ? 'timeout' : 'aborted');
      });
  });

  // GET has an empty body; STOW's body streams straight through.
  pipeline(req, upstream).catch(() => upstream.destroy());
}

function rewriteUrl(value: string, siteBaseUrl: string, gatewayBase: string): string {
  const match = siteUrlReplacements(siteBaseUrl, gatewayBase).find((r) => value.startsWith(r.from));
  return match ? match.to + value.slice(match.from.length) : value;
}

/** A decoder for the content encoding, undefined for identity, null for one we cannot decode. */
function decoderFor(encoding: string): Transform | undefined | null {
  const value = encoding.trim().toLowerCase();
  if (!value || value === 'identity') return undefined;
  if (value === 'gzip' || value === 'x-gzip') return zlib.createGunzip();
  if (value === 'deflate') return zlib.createInflate();
  if (value === 'br') return zlib.createBrotliDecompress();
  return null;
}
