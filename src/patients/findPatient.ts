/**
 * Opening a patient. Every site is asked at once by every identifier that can find the person
 * there (national ID in OtherPatientIDs and as PatientID, issuer-qualified local IDs), the
 * gateway's patient index adds studies a site's own query cannot find (an NHS number only in
 * OtherPatientIDsSequence, or written with spaces), and a demographic search widens the net for
 * possible matches. Every record is judged by `decideLink` in our code, whatever the site's
 * filtering did, and results stream out as they arrive.
 */
import {
  askEverySite,
  naturalize,
  retrieveInstanceMetadata,
  searchForInstances,
  searchForStudies,
  textOf,
  type DicomJsonDataset,
  type DicomRecord,
  type Site,
  type SiteOutcome,
} from '../sites/index';
import { recordIdentity } from './identityCheck';
import { decideLink, normaliseName, type PatientAnchor } from './linking';
import type { PatientQuery } from './patientQuery';
import { buildTimeline, type SiteStudy, type TimelineStudy } from './timeline';

/** Returned with every study so the identity check and the timeline need no second request. */
const STUDY_FIELDS = ['00100010', '00100020', '00100021', '00100030', '00100040', '00101000', '00101002', '00081030', '00080020', '00080030', '00080050', '00080061', '00201206', '00201208'].join(',');

/** A study the gateway's patient index places at a site for this person. */
export interface IndexHit {
  siteId: string;
  StudyInstanceUID: string;
  match: 'national-id' | 'issuer-id' | 'demographics' | 'demographics-approximate';
}

export type IndexLookup = (query: { nationalId: string } | { PatientName: string; PatientBirthDate: string }) => Promise<IndexHit[]>;

/** The QIDO queries that find the person at one site by identifier (none when the site cannot hold that identity). */
export function studyQueriesFor(query: PatientQuery, site: Site): Record<string, string>[] {
  if (query.kind === 'national') {
    return [
      { '00101000': query.nationalId, includefield: STUDY_FIELDS },
      { PatientID: query.nationalId, IssuerOfPatientID: query.issuer, includefield: STUDY_FIELDS },
    ];
  }
  if (query.issuer !== site.patientIdIssuer) return [];
  return [{ PatientID: query.patientId, IssuerOfPatientID: query.issuer, includefield: STUDY_FIELDS }];
}

export interface SiteSearchResult {
  siteId: string;
  studies: number;
  /** Records the site returned that belong to someone else (its filtering was not trusted). */
  rejected: number;
}

export interface PossibleMatch extends SiteStudy {
  reasons: string[];
}

export interface PatientSearch {
  timeline: TimelineStudy[];
  possibleMatches: PossibleMatch[];
  outcomes: SiteOutcome<SiteSearchResult>[];
  /** Identity warnings to show beside the banner (conflicting demographics, invalid NHS numbers). */
  warnings: string[];
}

export interface FindOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  slowThresholdMs?: number;
  nationalIdIssuer?: string;
  indexLookup?: IndexLookup;
  onProgress?: (search: PatientSearch) => void;
}

export async function findPatientStudies(sites: readonly Site[], query: PatientQuery, options: FindOptions = {}): Promise<PatientSearch> {
  const nationalIssuer = options.nationalIdIssuer ?? 'NHS';
  const requestOptions = { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: options.timeoutMs ?? 4000, slowThresholdMs: options.slowThresholdMs ?? 1500 };
  const anchor: PatientAnchor = query.kind === 'national' ? { nationalId: query.nationalId, localIds: [] } : { localIds: [{ PatientID: query.patientId, IssuerOfPatientID: query.issuer }] };
  const linked = new Map<string, SiteStudy>();
  const possible = new Map<string, PossibleMatch>();
  const warnings = new Set<string>();
  const rejectedBySite = new Map<string, number>();
  const outcomes: SiteOutcome<SiteSearchResult>[] = [];
  const bySite = new Map(sites.map((site) => [site.id, site]));

  const snapshot = (): PatientSearch => ({
    timeline: buildTimeline([...linked.values()]),
    possibleMatches: [...possible.values()].filter((p) => !linked.has(`${p.siteId}|${textOf(p.record, 'StudyInstanceUID')}`)),
    outcomes: [...outcomes],
    warnings: [...warnings],
  });
  const report = () => {
    if (!options.signal?.aborted) options.onProgress?.(snapshot());
  };

  const consider = (site: Site, record: DicomRecord): void => {
    const uid = textOf(record, 'StudyInstanceUID');
    if (!uid) return;
    const key = `${site.id}|${uid}`;
    if (linked.has(key)) return;
    const decision = decideLink(recordIdentity(record, site.patientIdIssuer, nationalIssuer), anchor);
    decision.warnings.forEach((w) => warnings.add(`${site.name}: ${w}`));
    if (decision.kind === 'linked') {
      linked.set(key, { siteId: site.id, siteIssuer: site.patientIdIssuer, record, linkBasis: decision.basis });
      possible.delete(key);
    } else if (decision.kind === 'possible') {
      possible.set(key, { siteId: site.id, siteIssuer: site.patientIdIssuer, record, linkBasis: 'demographics-confirmed', reasons: decision.reasons });
    } else {
      rejectedBySite.set(site.id, (rejectedBySite.get(site.id) ?? 0) + 1);
    }
  };

  /** Runs QIDO queries at one site in parallel, judging (and showing) every answer as it lands. */
  const ask = async (site: Site, queries: Record<string, string>[]): Promise<SiteOutcome<DicomJsonDataset[]> | undefined> => {
    const answers = await Promise.all(
      queries.map(async (params) => {
        const answer = await searchForStudies(site, params, requestOptions);
        if (answer.kind === 'ok') {
          answer.value.forEach((dataset) => consider(site, naturalize(dataset)));
          report();
        }
        return answer;
      }),
    );
    // The site's outcome: its worst answer, so a failure is never hidden behind a success.
    return answers.find((a) => a.kind !== 'ok') ?? answers[0];
  };

  // 1. Every site by identifier, streamed; 2. the patient index at the same time.
  const direct = askEverySite<SiteSearchResult>(
    sites.filter((site) => studyQueriesFor(query, site).length > 0),
    async (site) => {
      const answer = (await ask(site, studyQueriesFor(query, site)))!;
      if (answer.kind !== 'ok') return answer;
      const studies = [...linked.values()].filter((s) => s.siteId === site.id).length;
      return { ...answer, value: { siteId: site.id, studies, rejected: rejectedBySite.get(site.id) ?? 0 } };
    },
    { ...(options.signal ? { signal: options.signal } : {}), onOutcome: (outcome) => (outcomes.push(outcome), report()) },
  );
  const fromIndex = query.kind === 'national' && options.indexLookup ? verifyIndexHits(await safely(options.indexLookup({ nationalId: query.nationalId }))) : Promise.resolve();

  async function verifyIndexHits(hits: IndexHit[]) {
    await Promise.all(
      hits.map(async (hit) => {
        const site = bySite.get(hit.siteId);
        if (!site || linked.has(`${site.id}|${hit.StudyInstanceUID}`)) return;
        const record = await studyRecordWithIdentity(site, hit.StudyInstanceUID);
        if (record) consider(site, record);
      }),
    );
    report();
  }

  /** QIDO gives no sequences at some sites: read OtherPatientIDsSequence from one instance's metadata. */
  async function studyRecordWithIdentity(site: Site, StudyInstanceUID: string): Promise<DicomRecord | undefined> {
    const study = await searchForStudies(site, { StudyInstanceUID, includefield: STUDY_FIELDS }, requestOptions);
    const record = study.kind === 'ok' ? study.value.map(naturalize).find((r) => textOf(r, 'StudyInstanceUID') === StudyInstanceUID) : undefined;
    if (!record || record.OtherPatientIDsSequence) return record;
    const instances = await searchForInstances(site, StudyInstanceUID, { limit: '1' }, requestOptions);
    const instance = instances.kind === 'ok' && instances.value[0] ? naturalize(instances.value[0]) : undefined;
    const series = instance && textOf(instance, 'SeriesInstanceUID');
    const sop = instance && textOf(instance, 'SOPInstanceUID');
    if (!series || !sop) return record;
    const metadata = await retrieveInstanceMetadata(site, StudyInstanceUID, series, sop, requestOptions);
    const full = metadata.kind === 'ok' && metadata.value[0] ? naturalize(metadata.value[0]) : undefined;
    return full ? { ...record, OtherPatientIDsSequence: full.OtherPatientIDsSequence } : record;
  }

  await Promise.all([direct, fromIndex]);

  // 3. Widen: local IDs the linked records revealed, and the demographics they agree on.
  const first = [...linked.values()][0]?.record;
  if (first) {
    anchor.PatientName = textOf(first, 'PatientName');
    anchor.PatientBirthDate = textOf(first, 'PatientBirthDate');
    anchor.PatientSex = textOf(first, 'PatientSex');
    for (const study of linked.values()) {
      const PatientID = textOf(study.record, 'PatientID');
      const IssuerOfPatientID = textOf(study.record, 'IssuerOfPatientID') ?? study.siteIssuer;
      if (PatientID && IssuerOfPatientID !== nationalIssuer && !anchor.localIds.some((l) => l.PatientID === PatientID && l.IssuerOfPatientID === IssuerOfPatientID)) {
        anchor.localIds.push({ PatientID, IssuerOfPatientID });
      }
    }
    const { family } = normaliseName(anchor.PatientName);
    const reachable = sites.filter((site) => outcomes.find((o) => o.siteId === site.id)?.kind === 'ok' || query.kind === 'local');
    await Promise.all(
      reachable.map((site) => {
        const local = anchor.localIds.filter((l) => l.IssuerOfPatientID === site.patientIdIssuer).map((l) => ({ ...l, includefield: STUDY_FIELDS }));
        const demographic = family.length >= 2 && anchor.PatientBirthDate ? [{ PatientName: `${family.replace(/ .*/, '').slice(0, 3)}*`, PatientBirthDate: anchor.PatientBirthDate, includefield: STUDY_FIELDS }] : [];
        return ask(site, [...local, ...demographic]);
      }),
    );
    if (options.indexLookup && anchor.PatientName && anchor.PatientBirthDate) {
      await verifyIndexHits(await safely(options.indexLookup({ PatientName: anchor.PatientName, PatientBirthDate: anchor.PatientBirthDate })));
    }
  }
  const result = snapshot();
  report();
  return result;
}

async function safely(hits: Promise<IndexHit[]>): Promise<IndexHit[]> {
  try {
    return await hits;
  } catch {
    return []; // the index only widens the search; the direct queries stand without it
  }
}

/** Kept for callers that judge one site's raw answer (tests, STUDY launch). */
export function recheckSiteAnswer(site: Site, query: PatientQuery, datasets: readonly DicomJsonDataset[], nationalIssuer = 'NHS'): { studies: SiteStudy[]; rejected: number } {
  const anchor: PatientAnchor = query.kind === 'national' ? { nationalId: query.nationalId, localIds: [] } : { localIds: [{ PatientID: query.patientId, IssuerOfPatientID: query.issuer }] };
  const studies: SiteStudy[] = [];
  let rejected = 0;
  for (const dataset of datasets) {
    const record = naturalize(dataset);
    const decision = decideLink(recordIdentity(record, site.patientIdIssuer, nationalIssuer), anchor);
    if (decision.kind === 'linked' && textOf(record, 'StudyInstanceUID')) studies.push({ siteId: site.id, siteIssuer: site.patientIdIssuer, record, linkBasis: decision.basis });
    else rejected += 1;
  }
  return { studies, rejected };
}
