/**
 * DICOMweb requests to one site through the gateway, via dicomweb-client. Each request gets its
 * own XMLHttpRequest so it can time out per site and abort when the user navigates away.
 */
import { api } from 'dicomweb-client';
import { classifyFailure, type SiteOutcome } from './outcome';
import type { DicomJsonDataset } from './dicomJson';
import type { Site } from './site';

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

type QueryParams = Record<string, string>;

const DEFAULT_TIMEOUT_MS = 30_000;

function clientFor(site: Site) {
  // verbose off: dicomweb-client would otherwise log failed URLs, which carry patient IDs.
  return new api.DICOMwebClient({ url: site.dicomwebRoot, singlepart: false, verbose: false });
}

async function run<T>(site: Site, options: RequestOptions, call: (xhr: XMLHttpRequest) => Promise<T>): Promise<SiteOutcome<T>> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const xhr = new XMLHttpRequest();
  xhr.timeout = timeoutMs;
  let timedOut = false;
  xhr.addEventListener('timeout', () => {
    timedOut = true;
  });
  const abort = () => xhr.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const value = await call(xhr);
    return { kind: 'ok', siteId: site.id, value, elapsedMs: elapsed() };
  } catch (error) {
    if (options.signal?.aborted) throw new DOMException('The request was aborted', 'AbortError');
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 0;
    return classifyFailure(site, { status, timedOut, timeoutMs }, elapsed());
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

export function searchForStudies(site: Site, queryParams: QueryParams, options: RequestOptions = {}) {
  return run(site, options, (instance) =>
    clientFor(site).searchForStudies({ queryParams, request: { instance } } as never) as unknown as Promise<DicomJsonDataset[]>,
  );
}

export function searchForSeries(site: Site, studyInstanceUID: string, queryParams: QueryParams = {}, options: RequestOptions = {}) {
  return run(site, options, (instance) =>
    clientFor(site).searchForSeries({ studyInstanceUID, queryParams, request: { instance } } as never) as unknown as Promise<DicomJsonDataset[]>,
  );
}

export function retrieveSeriesMetadata(site: Site, studyInstanceUID: string, seriesInstanceUID: string, options: RequestOptions = {}) {
  return run(site, options, (instance) =>
    clientFor(site).retrieveSeriesMetadata({ studyInstanceUID, seriesInstanceUID, request: { instance } as never }) as Promise<DicomJsonDataset[]>,
  );
}
