/**
 * Asks every site at once. Each site's answer is reported the moment it arrives, so one slow or
 * dead hospital never holds back the others; the overall promise settles when all have answered
 * or timed out.
 */
import type { SiteOutcome } from './outcome';
import type { Site } from './site';

export interface FederatedOptions<T> {
  signal?: AbortSignal;
  /** Called once per site as soon as that site's outcome is known. */
  onOutcome?: (outcome: SiteOutcome<T>) => void;
}

export async function askEverySite<T>(
  sites: readonly Site[],
  ask: (site: Site) => Promise<SiteOutcome<T>>,
  options: FederatedOptions<T> = {},
): Promise<SiteOutcome<T>[]> {
  return Promise.all(
    sites.map(async (site) => {
      const outcome = await ask(site);
      if (!options.signal?.aborted) options.onOutcome?.(outcome);
      return outcome;
    }),
  );
}
