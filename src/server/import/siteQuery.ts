/**
 * QIDO-RS studies at a site through the gateway's own `/sites/:siteId/dicom-web` route on
 * loopback (as sends and the patient indexer do), so credentials, timeouts and folder sites are
 * the browser's path. A site that is down is a value, not an exception.
 */
import { dicomwebPathFor } from '../../contracts/index';
import type { DicomJsonDataset } from '../patientIndex/index';
import type { Outcome } from '../transfer/index';

export type StudyQuery = (siteId: string, params: Record<string, string>) => Promise<Outcome<DicomJsonDataset[]>>;

/**
 * @example
 * const studies = createLoopbackStudyQuery(() => gateway.url, () => 35_000, gate.internalHeaders);
 * await studies('site-a', { PatientID: '5526506', includefield: '00100010' });
 */
export function createLoopbackStudyQuery(gatewayUrl: () => string, timeoutMs: (siteId: string) => number, internalHeaders: () => Record<string, string>): StudyQuery {
  return async (siteId, params) => {
    const limit = timeoutMs(siteId);
    const target = `${gatewayUrl()}${dicomwebPathFor(siteId)}/studies?${new URLSearchParams(params)}`;
    try {
      const response = await fetch(target, { headers: { accept: 'application/dicom+json', ...internalHeaders() }, signal: AbortSignal.timeout(limit) });
      if (!response.ok) return { ok: false, error: `HTTP ${response.status}` };
      const text = await response.text();
      const parsed: unknown = text.trim() ? JSON.parse(text) : [];
      if (!Array.isArray(parsed)) return { ok: false, error: 'the site answered something other than a DICOM JSON list' };
      return { ok: true, value: parsed.filter((item): item is DicomJsonDataset => typeof item === 'object' && item !== null) };
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') return { ok: false, error: `no answer within ${limit} ms` };
      return { ok: false, error: error instanceof SyntaxError ? 'unreadable DICOM JSON answer' : 'the gateway could not be reached' };
    }
  };
}
