/**
 * A `Site` is one hospital as the browser sees it: a DICOMweb root behind the gateway
 * (`/sites/:id/dicom-web`), never the hospital's own address or credentials.
 */
import { SiteListSchema, type SiteState, type SiteSummary } from '../contracts/index';

export interface Site {
  id: string;
  name: string;
  /** IssuerOfPatientID that qualifies this site's local PatientIDs. */
  patientIdIssuer: string;
  /** Absolute DICOMweb root through the gateway, e.g. `http://host/sites/a/dicom-web`. */
  dicomwebRoot: string;
  /** Frames can be fetched by byte range (progressive HTJ2K); absent means no. */
  frameByteRanges?: boolean;
  state: SiteState;
  message?: string;
  latencyMs?: number;
}

export function siteFromSummary(summary: SiteSummary, origin: string): Site {
  return {
    id: summary.id,
    name: summary.name,
    patientIdIssuer: summary.patientIdIssuer,
    dicomwebRoot: new URL(summary.dicomwebPath, origin).href.replace(/\/$/, ''),
    ...(summary.frameByteRanges ? { frameByteRanges: true } : {}),
    state: summary.status.state,
    ...(summary.status.message ? { message: summary.status.message } : {}),
    ...(summary.status.latencyMs !== undefined ? { latencyMs: summary.status.latencyMs } : {}),
  };
}

export type SiteListResult =
  | { kind: 'ok'; sites: Site[]; nationalIdIssuer: string; queryTimeoutMs: number; slowThresholdMs: number; cacheBudgetBytes: number }
  | { kind: 'error'; message: string };

/** `GET /api/sites` on the gateway. A gateway that is unreachable is an expected failure. */
export async function fetchSites(origin: string, fetchFn: typeof fetch = fetch): Promise<SiteListResult> {
  try {
    const response = await fetchFn(new URL('/api/sites', origin).href, { headers: { Accept: 'application/json' } });
    if (!response.ok) return { kind: 'error', message: `The gateway answered ${response.status} for the site list` };
    const parsed = SiteListSchema.safeParse(await response.json());
    if (!parsed.success) return { kind: 'error', message: 'The gateway sent a site list this viewer does not understand' };
    return {
      kind: 'ok',
      sites: parsed.data.sites.map((summary) => siteFromSummary(summary, origin)),
      nationalIdIssuer: parsed.data.nationalIdIssuer,
      queryTimeoutMs: parsed.data.queryTimeoutMs,
      slowThresholdMs: parsed.data.slowThresholdMs,
      cacheBudgetBytes: parsed.data.cacheBudgetBytes,
    };
  } catch (error) {
    return { kind: 'error', message: `The gateway could not be reached: ${(error as Error).message}` };
  }
}

