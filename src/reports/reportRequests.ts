/**
 * The three DICOMweb requests report finding needs, through the gateway's site path: an
 * instance search limited to report SOP classes, one instance's metadata, and bulk data. They use
 * `fetch` (AbortSignal for navigation, a timer for the per-site limit) and answer with the same
 * `SiteOutcome` every other site request does, so a down site reads the same everywhere.
 */
import { classifyFailure, type DicomJsonDataset, type Site, type SiteOutcome } from '../sites/index';
import { ReportSopClassUIDs } from './sopClasses';

export interface ReportRequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  fetchFn?: typeof fetch;
}

export const REPORT_REQUEST_TIMEOUT_MS = 8000;

async function request<T>(site: Site, url: string, accept: string, options: ReportRequestOptions, read: (response: Response) => Promise<T>): Promise<SiteOutcome<T>> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? REPORT_REQUEST_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const abort = () => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  const failed = (status: number) => classifyFailure(site, { status, timedOut, timeoutMs }, Date.now() - started);
  try {
    const response = await (options.fetchFn ?? fetch)(url, { headers: { Accept: accept }, signal: controller.signal });
    if (!response.ok) return failed(response.status);
    return { kind: 'ok', siteId: site.id, value: await read(response), elapsedMs: Date.now() - started, slow: false };
  } catch (error) {
    if (options.signal?.aborted) throw new DOMException('The request was aborted', 'AbortError');
    // A body that is not what it claims (bad JSON) is the site's error, not a network failure.
    return failed(error instanceof SyntaxError ? 500 : 0);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
  }
}

async function readJsonList(response: Response): Promise<DicomJsonDataset[]> {
  if (response.status === 204) return [];
  const text = await response.text();
  if (!text.trim()) return [];
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new SyntaxError('expected a JSON array of datasets');
  return parsed.filter((item): item is DicomJsonDataset => typeof item === 'object' && item !== null);
}

const path = (...uids: string[]) => uids.map(encodeURIComponent).join('/');

/** QIDO-RS instances of one study whose SOP class is a report (the answer is still re-checked by the caller). */
export function searchReportInstances(site: Site, StudyInstanceUID: string, options: ReportRequestOptions = {}) {
  const query = new URLSearchParams({ SOPClassUID: ReportSopClassUIDs.join(','), includefield: '00080016,0020000E,00080023,00080033' });
  // Commas stay raw: Orthanc splits UID lists on literal commas and does not percent-decode them.
  const url = `${site.dicomwebRoot}/studies/${path(StudyInstanceUID)}/instances?${query.toString().replace(/%2C/g, ',')}`;
  return request(site, url, 'application/dicom+json', options, readJsonList);
}

export function retrieveInstanceMetadata(site: Site, StudyInstanceUID: string, SeriesInstanceUID: string, SOPInstanceUID: string, options: ReportRequestOptions = {}) {
  const url = `${site.dicomwebRoot}/studies/${path(StudyInstanceUID)}/series/${path(SeriesInstanceUID)}/instances/${path(SOPInstanceUID)}/metadata`;
  return request(site, url, 'application/dicom+json', options, async (response) => {
    const first = (await readJsonList(response))[0];
    if (!first) throw new SyntaxError('metadata answer holds no dataset');
    return first;
  });
}

/** WADO-RS bulk data: the first part of a multipart answer, or the whole body when it is not multipart. */
export function retrieveBulkData(site: Site, url: string, options: ReportRequestOptions = {}) {
  return request(site, url, 'multipart/related; type="application/octet-stream", application/octet-stream', options, async (response) => {
    const body = new Uint8Array(await response.arrayBuffer());
    return firstPartOf(body, response.headers.get('content-type') ?? '');
  });
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** RFC 2046 framing: the body of the first part, between its header block and the next delimiter. */
export function firstPartOf(body: Uint8Array, contentType: string): Uint8Array {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\//i.test(contentType.trim()) || !boundary) return body;
  const encoder = new TextEncoder();
  const start = indexOf(body, encoder.encode(`--${boundary}`), 0);
  if (start < 0) throw new SyntaxError('multipart body without its boundary');
  const headersEnd = indexOf(body, encoder.encode('\r\n\r\n'), start);
  if (headersEnd < 0) throw new SyntaxError('multipart part without a header block');
  const contentStart = headersEnd + 4;
  const end = indexOf(body, encoder.encode(`\r\n--${boundary}`), contentStart);
  return body.subarray(contentStart, end < 0 ? body.length : end);
}
