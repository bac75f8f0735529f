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
  /** The whole wait for this site, retry included. */
  timeoutMs?: number;
  /** An answer later than this is reported as slow. */
  slowThresholdMs?: number;
}

type QueryParams = Record<string, string>;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_SLOW_MS = 1_500;
/** One retry after a network error (not after a timeout or an HTTP error): a dropped keep-alive
 *  connection or a restarting proxy should not make a hospital look down. */
const RETRY_BACKOFF_MS = 250;

function clientFor(site: Site) {
  // verbose off: dicomweb-client would otherwise log failed URLs, which carry patient IDs.
  return new api.DICOMwebClient({ url: site.dicomwebRoot, singlepart: false, verbose: false });
}

interface Attempt<T> {
  value?: T;
  failure?: { status: number; timedOut: boolean };
}

async function attempt<T>(timeoutMs: number, signal: AbortSignal | undefined, call: (xhr: XMLHttpRequest) => Promise<T>): Promise<Attempt<T>> {
  const xhr = new XMLHttpRequest();
  xhr.timeout = Math.max(1, Math.round(timeoutMs));
  const started = performance.now();
  // The 'timeout' event fires after readystatechange, where dicomweb-client has already
  // rejected; the elapsed time tells a timeout from a refused connection reliably.
  let timedOut = false;
  xhr.addEventListener('timeout', () => {
    timedOut = true;
  });
  const abort = () => xhr.abort();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    return { value: await call(xhr) };
  } catch (error) {
    if (signal?.aborted) throw new DOMException('The request was aborted', 'AbortError');
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 0;
    return { failure: { status, timedOut: timedOut || (status === 0 && performance.now() - started >= timeoutMs - 25) } };
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

/** Exported for tests: the retry and slow rules without a network. */
export async function runWithRetry<T>(
  site: Pick<Site, 'id' | 'name'>,
  options: RequestOptions,
  once: (remainingMs: number) => Promise<Attempt<T>>,
  now: () => number = () => performance.now(),
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<SiteOutcome<T>> {
  const started = now();
  const elapsed = () => Math.round(now() - started);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let result = await once(timeoutMs);
  const networkError = (r: Attempt<T>) => r.failure && r.failure.status === 0 && !r.failure.timedOut;
  if (networkError(result) && timeoutMs - elapsed() > RETRY_BACKOFF_MS * 2) {
    await sleep(RETRY_BACKOFF_MS);
    if (options.signal?.aborted) throw new DOMException('The request was aborted', 'AbortError');
    result = await once(timeoutMs - elapsed());
  }
  if (result.failure) return classifyFailure(site, { ...result.failure, timeoutMs }, elapsed());
  const ms = elapsed();
  return { kind: 'ok', siteId: site.id, value: result.value as T, elapsedMs: ms, slow: ms > (options.slowThresholdMs ?? DEFAULT_SLOW_MS) };
}

function run<T>(site: Site, options: RequestOptions, call: (xhr: XMLHttpRequest) => Promise<T>): Promise<SiteOutcome<T>> {
  return runWithRetry(site, options, (remainingMs) => attempt(remainingMs, options.signal, call));
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

export function searchForInstances(site: Site, studyInstanceUID: string, queryParams: QueryParams = {}, options: RequestOptions = {}) {
  return run(site, options, (instance) =>
    clientFor(site).searchForInstances({ studyInstanceUID, queryParams, request: { instance } } as never) as unknown as Promise<DicomJsonDataset[]>,
  );
}

export function retrieveInstanceMetadata(site: Site, studyInstanceUID: string, seriesInstanceUID: string, sopInstanceUID: string, options: RequestOptions = {}) {
  return run(site, options, (instance) =>
    clientFor(site).retrieveInstanceMetadata({ studyInstanceUID, seriesInstanceUID, sopInstanceUID, request: { instance } } as never) as unknown as Promise<DicomJsonDataset[]>,
  );
}
