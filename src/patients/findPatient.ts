/**
 * Opening a patient: ask every site at once for this person's studies, keep only records that
 * prove they belong to the person, and merge what is left into one timeline.
 */
import { askEverySite, searchForStudies, naturalize, textOf, type Site, type SiteOutcome, type DicomJsonDataset } from '../sites/index';
import { checkIdentity } from './identityCheck';
import type { PatientQuery } from './patientQuery';
import { buildTimeline, type SiteStudy, type TimelineStudy } from './timeline';

/** Returned with every study so the re-check and the timeline need no second request. */
const STUDY_FIELDS = ['00100010', '00100020', '00100021', '00100030', '00100040', '00101000', '00101002', '00081030', '00080020', '00080030', '00080050', '00080061', '00201206', '00201208'].join(',');

/** The QIDO query that finds the person at one site, or undefined when the site cannot hold that identity. */
export function studyQueryFor(query: PatientQuery, site: Site): Record<string, string> | undefined {
  if (query.kind === 'national') return { '00101000': query.nationalId, includefield: STUDY_FIELDS };
  if (query.issuer !== site.patientIdIssuer) return undefined;
  return { PatientID: query.patientId, IssuerOfPatientID: query.issuer, includefield: STUDY_FIELDS };
}

export interface SiteSearchResult {
  siteId: string;
  /** Studies that passed the identity check. */
  studies: SiteStudy[];
  /** Records the site returned that belong to someone else (its filtering was not trusted). */
  rejected: number;
}

export function recheckSiteAnswer(site: Site, query: PatientQuery, datasets: readonly DicomJsonDataset[]): SiteSearchResult {
  const studies: SiteStudy[] = [];
  let rejected = 0;
  for (const dataset of datasets) {
    const record = naturalize(dataset);
    const check = checkIdentity(record, query, site.patientIdIssuer);
    if (check.matches && textOf(record, 'StudyInstanceUID')) studies.push({ siteId: site.id, siteIssuer: site.patientIdIssuer, record, linkBasis: check.basis });
    else rejected += 1;
  }
  return { siteId: site.id, studies, rejected };
}

export interface PatientSearch {
  timeline: TimelineStudy[];
  outcomes: SiteOutcome<SiteSearchResult>[];
}

export async function findPatientStudies(
  sites: readonly Site[],
  query: PatientQuery,
  options: { signal?: AbortSignal; timeoutMs?: number; onProgress?: (search: PatientSearch) => void } = {},
): Promise<PatientSearch> {
  const found: SiteStudy[] = [];
  const outcomes: SiteOutcome<SiteSearchResult>[] = [];
  const relevant = sites.filter((site) => studyQueryFor(query, site));
  await askEverySite<SiteSearchResult>(
    relevant,
    async (site) => {
      const answer = await searchForStudies(site, studyQueryFor(query, site) ?? {}, options);
      if (answer.kind !== 'ok') return answer;
      return { ...answer, value: recheckSiteAnswer(site, query, answer.value) };
    },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      onOutcome: (outcome) => {
        outcomes.push(outcome);
        if (outcome.kind === 'ok') found.push(...outcome.value.studies);
        options.onProgress?.({ timeline: buildTimeline(found), outcomes: [...outcomes] });
      },
    },
  );
  return { timeline: buildTimeline(found), outcomes };
}
