/**
 * How the indexer reads a site: through the gateway's own `/sites/:siteId/dicom-web` route on
 * loopback, so it takes exactly the path a browser's request takes (site credentials, timeouts,
 * URL rewriting, folder sites) and nothing about reaching hospitals is written twice. Requests
 * carry `IndexerHeader` so the response tap leaves them to the indexer.
 */
import { dicomwebPathFor } from '../../contracts/index';

export const IndexerHeader = 'x-crossview-indexer';

export type SiteReadResult = { ok: true; json: unknown } | { ok: false; error: string };

export type SiteReader = (siteId: string, subPath: string, search: URLSearchParams, signal: AbortSignal) => Promise<SiteReadResult>;

/** A reader for a gateway listening at `gatewayUrl`; `timeoutMs` bounds one whole request. */
export function createLoopbackSiteReader(
  gatewayUrl: () => string,
  timeoutMs: (siteId: string) => number,
  /** The gateway's own credential for requests to itself. */
  internalHeaders: () => Record<string, string> = () => ({}),
): SiteReader {
  return async (siteId, subPath, search, signal) => {
    const query = search.toString();
    const url = `${gatewayUrl()}${dicomwebPathFor(siteId)}/${subPath}${query ? `?${query}` : ''}`;
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/dicom+json', [IndexerHeader]: '1', ...internalHeaders() },
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs(siteId))]),
      });
      const text = await response.text();
      if (!response.ok) {
        // Gateway errors are JSON naming the site and the failure, never the patient.
        let error = `HTTP ${response.status}`;
        try {
          const body = JSON.parse(text) as { error?: unknown };
          if (typeof body.error === 'string') error = body.error;
        } catch {
          // not JSON: the status says enough
        }
        return { ok: false, error };
      }
      return { ok: true, json: text.trim() ? (JSON.parse(text) as unknown) : [] };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      return { ok: false, error: name === 'TimeoutError' ? `no answer within ${timeoutMs(siteId)} ms` : name === 'AbortError' ? 'stopped' : 'unreadable answer' };
    }
  };
}
