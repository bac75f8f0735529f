/**
 * The proxy tap: DICOM JSON the gateway sends a browser (WADO-RS metadata, QIDO-RS studies)
 * also feeds the patient index. The answer is watched on its way out (`captureResponse`:
 * nothing delayed or changed); once it has finished, and only if it succeeded, the body is
 * parsed on a later turn of the event loop. Bodies over the cap are dropped from the tap.
 */
import type { ServerResponse } from 'node:http';
import { captureResponse } from '../responseCapture';
import type { DicomJsonDataset } from './record';

export type TapKind = 'metadata' | 'query';

/** Which site sub-paths are tapped: any WADO-RS metadata, and QIDO-RS at study level. */
export function tapKindFor(method: string | undefined, subPath: string): TapKind | undefined {
  if (method !== 'GET') return undefined;
  const path = subPath.replace(/\/+$/, '');
  if (/^studies\/[^/]+(\/series\/[^/]+(\/instances\/[^/]+)?)?\/metadata$/.test(path)) return 'metadata';
  if (path === 'studies') return 'query';
  return undefined;
}

/**
 * After a 200 answer has been sent whole (and under the capture cap), `ingest` gets its datasets.
 * Errors in parsing or ingesting are swallowed: the index is a helper, never a reason to fail.
 */
export function tapResponse(res: ServerResponse, ingest: (datasets: DicomJsonDataset[]) => Promise<void> | void, limitBytes?: number): void {
  captureResponse(
    res,
    true,
    ({ status, body }) => {
      if (!body || status !== 200) return;
      setImmediate(() => {
        try {
          const json = JSON.parse(body.toString('utf8')) as unknown;
          const datasets = Array.isArray(json) ? json.filter((d): d is DicomJsonDataset => typeof d === 'object' && d !== null) : [];
          if (datasets.length) Promise.resolve(ingest(datasets)).catch(() => undefined);
        } catch {
          // Not JSON (or cut short): nothing to learn.
        }
      });
    },
    limitBytes,
  );
}
