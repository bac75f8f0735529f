/**
 * How a transfer reaches hospitals: through the gateway's own `/sites/:siteId/dicom-web` routes
 * on loopback (as the patient indexer does), so site credentials, timeouts, URL rewriting and
 * folder sites are the browser's path and nothing about reaching a PACS is written twice.
 * Every answer is a value: a site that is down is an expected failure, not an exception.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { dicomwebPathFor } from '../../contracts/index';
import type { DicomJsonDataset } from '../patientIndex/index';
import { boundaryOf, firstPart, stowBody } from './multipart';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export interface InstanceRef {
  SeriesInstanceUID: string;
  SOPInstanceUID: string;
}

export interface TransferSites {
  /** Every instance of the study at the site, all series (images, SR, PDF, RT). */
  listInstances(siteId: string, studyUid: string): Promise<Outcome<InstanceRef[]>>;
  /** One instance's header as DICOM JSON. */
  instanceMetadata(siteId: string, studyUid: string, ref: InstanceRef): Promise<Outcome<DicomJsonDataset>>;
  /** Studies at the site whose OtherPatientIDs match (the site may ignore the key: re-check). */
  studiesByNationalId(siteId: string, nationalId: string): Promise<Outcome<DicomJsonDataset[]>>;
  /** The Part 10 instance as stored. */
  retrieve(siteId: string, studyUid: string, ref: InstanceRef): Promise<Outcome<ArrayBuffer>>;
  /** STOW-RS of one instance. */
  store(siteId: string, part10: ArrayBuffer, SOPInstanceUID: string): Promise<Outcome<void>>;
}

const Tags = {
  SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018',
  FailedSOPSequence: '00081198',
  ReferencedSOPSequence: '00081199',
  FailureReason: '00081197',
  ReferencedSOPInstanceUID: '00081155',
} as const;

function firstString(dataset: DicomJsonDataset | undefined, tag: string): string | undefined {
  const value = dataset?.[tag]?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
}

/** The gateway's error JSON names the site and the failure, never the patient. */
async function failureOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return `HTTP ${response.status}: ${body.error}`;
  } catch {
    // not JSON
  }
  return `HTTP ${response.status}`;
}

function thrownReason(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return `the gateway could not be reached (${error instanceof Error ? error.message : String(error)})`;
}

/**
 * @example
 * const sites = createLoopbackTransferSites(() => gateway.url, () => 35_000, gate.internalHeaders);
 * const listed = await sites.listInstances('site-a', studyUid);
 */
export function createLoopbackTransferSites(
  gatewayUrl: () => string,
  timeoutMs: (siteId: string) => number,
  internalHeaders: () => Record<string, string>,
): TransferSites {
  const url = (siteId: string, subPath: string, search?: URLSearchParams) => {
    const query = search?.toString();
    return `${gatewayUrl()}${dicomwebPathFor(siteId)}/${subPath}${query ? `?${query}` : ''}`;
  };

  async function request(siteId: string, target: string, init: RequestInit): Promise<Outcome<Response>> {
    const limit = timeoutMs(siteId);
    try {
      const response = await fetch(target, { ...init, headers: { ...(init.headers as Record<string, string>), ...internalHeaders() }, signal: AbortSignal.timeout(limit) });
      if (!response.ok) return { ok: false, error: await failureOf(response) };
      return { ok: true, value: response };
    } catch (error) {
      return { ok: false, error: thrownReason(error, limit) };
    }
  }

  /**
   * A POST on a connection of its own: when the target is down the gateway answers before it has
   * read the body and drops the connection, which must not stall a pooled keep-alive socket
   * that the next request would reuse.
   */
  function post(siteId: string, target: string, body: Uint8Array, headers: Record<string, string>): Promise<Outcome<string>> {
    const limit = timeoutMs(siteId);
    return new Promise((resolve) => {
      const request = http.request(target, { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(body.byteLength), ...internalHeaders() }, timeout: limit });
      const chunks: Buffer[] = [];
      request.on('response', (response) => {
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve({ ok: true, value: text });
          let error = `HTTP ${status}`;
          try {
            const parsed = JSON.parse(text) as { error?: unknown };
            if (typeof parsed.error === 'string') error = `HTTP ${status}: ${parsed.error}`;
          } catch {
            // not JSON
          }
          resolve({ ok: false, error });
        });
        response.on('error', (error) => resolve({ ok: false, error: thrownReason(error, limit) }));
      });
      request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
      request.on('error', (error) => resolve({ ok: false, error: thrownReason(error, limit) }));
      request.end(body);
    });
  }

  async function json(siteId: string, target: string): Promise<Outcome<DicomJsonDataset[]>> {
    const answer = await request(siteId, target, { headers: { accept: 'application/dicom+json' } });
    if (!answer.ok) return answer;
    try {
      const text = await answer.value.text();
      const parsed: unknown = text.trim() ? JSON.parse(text) : [];
      if (!Array.isArray(parsed)) return { ok: false, error: 'the site answered something other than a DICOM JSON list' };
      return { ok: true, value: parsed.filter((item): item is DicomJsonDataset => typeof item === 'object' && item !== null) };
    } catch {
      return { ok: false, error: 'unreadable DICOM JSON answer' };
    }
  }

  return {
    async listInstances(siteId, studyUid) {
      const study = encodeURIComponent(studyUid);
      const series = await json(siteId, url(siteId, `studies/${study}/series`, new URLSearchParams({ includefield: Tags.SeriesInstanceUID })));
      if (!series.ok) return series;
      const refs: InstanceRef[] = [];
      // Series by series: every series of the study, reports included, and smaller answers.
      for (const SeriesInstanceUID of series.value.map((s) => firstString(s, Tags.SeriesInstanceUID)).filter((uid): uid is string => !!uid)) {
        const instances = await json(siteId, url(siteId, `studies/${study}/series/${encodeURIComponent(SeriesInstanceUID)}/instances`, new URLSearchParams({ includefield: Tags.SOPInstanceUID })));
        if (!instances.ok) return instances;
        for (const instance of instances.value) {
          const SOPInstanceUID = firstString(instance, Tags.SOPInstanceUID);
          if (SOPInstanceUID) refs.push({ SeriesInstanceUID, SOPInstanceUID });
        }
      }
      return { ok: true, value: refs };
    },
    async instanceMetadata(siteId, studyUid, ref) {
      const answer = await json(
        siteId,
        url(siteId, `studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(ref.SeriesInstanceUID)}/instances/${encodeURIComponent(ref.SOPInstanceUID)}/metadata`),
      );
      if (!answer.ok) return answer;
      const dataset = answer.value[0];
      return dataset ? { ok: true, value: dataset } : { ok: false, error: 'the site sent no metadata for the instance' };
    },
    studiesByNationalId(siteId, nationalId) {
      return json(siteId, url(siteId, 'studies', new URLSearchParams({ '00101000': nationalId, includefield: '00100020,00100021,00101000,00101002' })));
    },
    async retrieve(siteId, studyUid, ref) {
      const answer = await request(
        siteId,
        url(siteId, `studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(ref.SeriesInstanceUID)}/instances/${encodeURIComponent(ref.SOPInstanceUID)}`),
        // As stored: no transcoding on the way between hospitals.
        { headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' } },
      );
      if (!answer.ok) return answer;
      const boundary = boundaryOf(answer.value.headers.get('content-type') ?? '');
      try {
        const body = Buffer.from(await answer.value.arrayBuffer());
        const part = boundary ? firstPart(body, boundary) : undefined;
        return part ? { ok: true, value: part } : { ok: false, error: 'the source sent no DICOM part' };
      } catch (error) {
        return { ok: false, error: thrownReason(error, timeoutMs(siteId)) };
      }
    },
    async store(siteId, part10, SOPInstanceUID) {
      const boundary = `crossview-${randomUUID()}`;
      const answer = await post(siteId, url(siteId, 'studies'), stowBody(part10, boundary), {
        'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        accept: 'application/dicom+json',
      });
      if (!answer.ok) return answer;
      let result: DicomJsonDataset = {};
      try {
        const text = answer.value;
        result = text.trim() ? (JSON.parse(text) as DicomJsonDataset) : {};
      } catch {
        // Some servers answer 200 with no body: the status is the answer.
      }
      const failed = (result[Tags.FailedSOPSequence]?.Value ?? []) as DicomJsonDataset[];
      if (failed.length > 0) {
        const code = failed[0]?.[Tags.FailureReason]?.Value?.[0];
        return { ok: false, error: `the target refused the instance (failure reason ${typeof code === 'number' ? `0x${code.toString(16).toUpperCase()}` : 'not given'})` };
      }
      const stored = (result[Tags.ReferencedSOPSequence]?.Value ?? []) as DicomJsonDataset[];
      if (stored.length > 0 && !stored.some((item) => firstString(item, Tags.ReferencedSOPInstanceUID) === SOPInstanceUID)) {
        return { ok: false, error: 'the target did not list the instance as stored' };
      }
      return { ok: true, value: undefined };
    },
  };
}
