/** What one request to one site came to, as the site bar and the timeline show it. */
import type { Site } from './site';

export type SiteFailureKind = 'down' | 'unauthorised' | 'error' | 'timeout';

export type SiteOutcome<T> =
  /** `slow`: it answered, but after the soft threshold (the status bar shows it amber). */
  | { kind: 'ok'; siteId: string; value: T; elapsedMs: number; slow: boolean }
  | { kind: SiteFailureKind; siteId: string; message: string; elapsedMs: number };

export interface FailedRequest {
  /** HTTP status; 0 when no response arrived. */
  status: number;
  timedOut: boolean;
  timeoutMs: number;
}

/**
 * Turns a failed request into words a clinician can act on. The gateway answers 502/504 when
 * the hospital behind it is unreachable, so those mean the site is down, not that we erred.
 */
export function classifyFailure(site: Pick<Site, 'id' | 'name'>, failure: FailedRequest, elapsedMs: number): SiteOutcome<never> {
  const base = { siteId: site.id, elapsedMs };
  if (failure.timedOut) return { ...base, kind: 'timeout', message: `${site.name} did not answer within ${(failure.timeoutMs / 1000).toFixed(1)} s` };
  if (failure.status === 0 || failure.status === 502 || failure.status === 503 || failure.status === 504) {
    return { ...base, kind: 'down', message: `${site.name} is not reachable${failure.status ? ` (${failure.status})` : ''}` };
  }
  if (failure.status === 401 || failure.status === 403) {
    return { ...base, kind: 'unauthorised', message: `${site.name} refused access (${failure.status})` };
  }
  return { ...base, kind: 'error', message: `${site.name} answered with an error (${failure.status})` };
}
